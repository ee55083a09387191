// Continuing a run from a checkpoint: the model, Adam's moments and the data order come back, so the curve after the
// checkpoint is the one the uninterrupted run drew.
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunDetail } from '../../common/domain';
import { assertBuilt, tempDir, tunebench, tunebenchJson } from '../helpers/cli';
import { corpusLines, writeFixture } from '../helpers/fixtures';

const SMALL = ['--set', 'steps=20', '--set', 'checkpointEvery=10', '--set', 'logEvery=1', '--set', 'evalEvery=5', '--set', 'nLayer=1', '--set', 'dModel=32', '--set', 'contextLength=16', '--set', 'dropout=0.1', '--set', 'backend=cpu'];

const after = (detail: RunDetail, name: string, step: number) => detail.series[name].filter((p) => p.step > step);

describe('runs continue', () => {
  beforeAll(assertBuilt);

  it('continues from a checkpoint on the same curve as the run that never stopped', () => {
    const dataDir = tempDir();
    const file = writeFixture(tempDir(), 'corpus.txt', `${corpusLines(200).join('\n')}\n`);
    const first = tunebenchJson<{ runId: string; status: string }>(dataDir, ['train', '--dataset', file, '--preset', 'quick', ...SMALL]);
    expect(first.status).toBe('completed');
    const original = tunebenchJson<RunDetail>(dataDir, ['runs', 'show', first.runId]);
    expect(original.checkpoints.map((c) => c.step)).toEqual([10, 20]);

    const again = tunebenchJson<{ status: string }>(dataDir, ['runs', 'continue', first.runId, '--from-step', '10']);
    expect(again.status).toBe('completed');
    const resumed = tunebenchJson<RunDetail>(dataDir, ['runs', 'show', first.runId]);
    for (const name of ['loss', 'grad_norm', 'val_loss']) {
      const want = after(original, name, 10);
      const got = after(resumed, name, 10);
      expect(got.map((p) => p.step)).toEqual(want.map((p) => p.step));
      got.forEach((p, i) => expect(p.value).toBeCloseTo(want[i].value, 5));
    }
    expect(resumed.series.loss.filter((p) => p.step <= 10)).toEqual(original.series.loss.filter((p) => p.step <= 10));
  });

  it('says in one sentence when there is nothing to continue', () => {
    const dataDir = tempDir();
    const file = writeFixture(tempDir(), 'corpus.txt', `${corpusLines(200).join('\n')}\n`);
    const run = tunebenchJson<{ runId: string }>(dataDir, ['train', '--dataset', file, '--preset', 'quick', '--set', 'steps=5', '--set', 'nLayer=1', '--set', 'dModel=32', '--set', 'contextLength=16']);
    const result = tunebench(dataDir, ['runs', 'continue', run.runId]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/already finished all 5 steps/);
  });

  it('does not train on past early stopping unless a checkpoint is named', () => {
    const dataDir = tempDir();
    // every text comes with both labels: held-out loss cannot improve for long, so patience 1 ends the run early
    const rows = Array.from({ length: 40 }, (_, i) => `review number ${i >> 1} of the film,${i % 2 ? 'good' : 'bad'}`);
    const file = writeFixture(tempDir(), 'noise.csv', `text,label\n${rows.join('\n')}\n`);
    const run = tunebenchJson<{ runId: string; status: string }>(dataDir, ['train', '--dataset', file, '--preset', 'quick', '--set', 'steps=200', '--set', 'evalEvery=1', '--set', 'earlyStoppingPatience=1', '--set', 'learningRate=0.01', '--set', 'nLayer=1', '--set', 'dModel=32', '--set', 'contextLength=32', '--set', 'backend=cpu']);
    expect(run.status).toBe('completed');
    const detail = tunebenchJson<RunDetail>(dataDir, ['runs', 'show', run.runId]);
    const stoppedAt = detail.checkpoints.at(-1)!.step;
    expect(stoppedAt).toBeLessThan(200);
    const result = tunebench(dataDir, ['runs', 'continue', run.runId]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`completed at step ${stoppedAt}, stopped early`);
  });
});
