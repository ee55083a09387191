// Continuing a stories260K fine-tune from a checkpoint through the CLI, as `runs continue` does for runs from scratch
// (resume.test.ts): the weights (lora: the adapters), Adam's moments and the sampler's position come back, so the
// curve after the checkpoint is the one the uninterrupted run drew.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunDetail } from '../../common/domain';
import { assertBuilt, ROOT, tempDir, tunebench, tunebenchJson } from '../helpers/cli';
import { corpusLines, sentimentCsv, writeFixture } from '../helpers/fixtures';

const BASE = join(ROOT, 'resources', 'models', 'stories260k', 'stories260K.bin');
if (!existsSync(BASE)) console.warn(`resumeLlama.test: ${BASE} is absent; skipping.`);

const SMALL = ['--set', 'base=stories260k', '--set', 'steps=6', '--set', 'checkpointEvery=3', '--set', 'logEvery=1', '--set', 'evalEvery=3', '--set', 'evalBatches=1', '--set', 'batchSize=2', '--set', 'contextLength=16', '--set', 'backend=cpu'];

const after = (detail: RunDetail, name: string, step: number) => detail.series[name].filter((p) => p.step > step);

describe.skipIf(!existsSync(BASE))('runs continue for a stories260K fine-tune', () => {
  beforeAll(assertBuilt);

  for (const method of ['full', 'lora'] as const) {
    it(`continues a ${method} fine-tune from a checkpoint on the same curve as the run that never stopped`, () => {
      const dataDir = tempDir();
      const file = writeFixture(tempDir(), 'stories.txt', `${corpusLines(40).join('\n')}\n`);
      const first = tunebenchJson<{ runId: string; status: string }>(dataDir, ['train', '--dataset', file, '--preset', 'quick', ...SMALL, '--set', `method=${method}`]);
      expect(first.status).toBe('completed');
      const original = tunebenchJson<RunDetail>(dataDir, ['runs', 'show', first.runId]);
      expect(original.checkpoints.map((c) => c.step)).toEqual([3, 6]);

      const again = tunebenchJson<{ status: string }>(dataDir, ['runs', 'continue', first.runId, '--from-step', '3']);
      expect(again.status).toBe('completed');
      const resumed = tunebenchJson<RunDetail>(dataDir, ['runs', 'show', first.runId]);
      for (const name of ['loss', 'grad_norm', 'val_loss']) {
        const want = after(original, name, 3);
        const got = after(resumed, name, 3);
        expect(got.map((p) => p.step)).toEqual(want.map((p) => p.step));
        // to float32 rounding (tfjs rebuilds Adam's bias correction as a power, not the running product): 5 digits
        got.forEach((p, i) => expect(Math.abs(p.value - want[i].value)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(want[i].value))));
      }
      expect(resumed.series.loss.filter((p) => p.step <= 3)).toEqual(original.series.loss.filter((p) => p.step <= 3));
      expect(resumed.series.val_loss.filter((p) => p.step === 0)).toHaveLength(1); // the base's val_loss is not measured again
      expect(resumed.logs.map((l) => l.message)).toContainEqual(expect.stringMatching(/^Resuming after step 3 from .*step-000003\.safetensors\.$/));
    });
  }

  it('says in one sentence that a few-shot run on the GloVe encoder is started again rather than continued', () => {
    const dataDir = tempDir();
    const csv = writeFixture(tempDir(), 'reviews.csv', sentimentCsv(40));
    const run = tunebenchJson<{ runId: string; status: string }>(dataDir, ['train', '--dataset', csv, '--preset', 'quick', '--set', 'base=glove-6b-100d', '--set', 'method=head', '--set', 'steps=5']);
    expect(run.status).toBe('completed');
    const result = tunebench(dataDir, ['runs', 'continue', run.runId]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/few-shot run on glove-6b-100d.*start it again instead/);
  });
});
