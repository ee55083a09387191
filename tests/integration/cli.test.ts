// The CLI end to end: real processes (the CLI and its trainer), a real SQLite file in a temp data directory.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DatasetSummary, RunDetail } from '../../common/domain';
import { assertBuilt, tempDir, tunebench, tunebenchJson } from '../helpers/cli';
import { corpusLines, sentimentCsv, writeFixture } from '../helpers/fixtures';

interface TrainJson {
  runId: string;
  status: string;
  backend: string;
  metrics: Record<string, number>;
  durationMs: number;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('tunebench CLI', () => {
  beforeAll(assertBuilt);

  it('imports a CSV, trains in a trainer process and records a falling loss', () => {
    const dataDir = tempDir();
    const csv = writeFixture(tempDir(), 'reviews.csv', sentimentCsv(80));
    const dataset = tunebenchJson<DatasetSummary>(dataDir, ['datasets', 'import', csv]);
    expect(dataset).toMatchObject({ rows: 80, task: 'classify', labels: ['negative', 'positive'] });

    const train = tunebenchJson<TrainJson>(dataDir, ['train', '--dataset', dataset.id, '--preset', 'quick', '--set', 'steps=40', '--set', 'evalEvery=10', '--set', 'logEvery=2']);
    expect(train.status).toBe('completed');
    expect(['wasm', 'cpu', 'webgpu', 'tensorflow']).toContain(train.backend);
    expect(train.durationMs).toBeGreaterThan(0);
    expect(train.metrics.val_loss).toBeTypeOf('number');

    const detail = tunebenchJson<RunDetail>(dataDir, ['runs', 'show', train.runId]);
    expect(detail.status).toBe('completed');
    expect(detail.backend).toBe(train.backend);
    const loss = detail.series.loss.map((p) => p.value);
    expect(loss.length).toBeGreaterThanOrEqual(10);
    expect(mean(loss.slice(-4))).toBeLessThan(mean(loss.slice(0, 4)));
    expect(detail.series.val_loss.length).toBeGreaterThanOrEqual(2);
    expect(detail.checkpoints.length).toBeGreaterThanOrEqual(1);

    const runs = tunebenchJson<{ id: string }[]>(dataDir, ['runs', 'list']);
    expect(runs.map((r) => r.id)).toEqual([train.runId]);
    expect(tunebenchJson(dataDir, ['runs', 'delete', train.runId])).toEqual({ deleted: train.runId });
    expect(tunebenchJson(dataDir, ['runs', 'list'])).toEqual([]);
    expect(existsSync(detail.checkpoints[0].path)).toBe(false);
  });

  it('trains a character model on a text file given by path', () => {
    const dataDir = tempDir();
    const txt = writeFixture(tempDir(), 'sentences.txt', `${corpusLines(300).join('\n')}\n`);
    const train = tunebenchJson<TrainJson>(dataDir, ['train', '--dataset', txt, '--set', 'steps=60', '--set', 'evalEvery=20', '--set', 'nLayer=1', '--set', 'contextLength=32']);
    expect(train.status).toBe('completed');
    const detail = tunebenchJson<RunDetail>(dataDir, ['runs', 'show', train.runId]);
    const val = detail.series.val_loss.map((p) => p.value);
    expect(val[val.length - 1]).toBeLessThan(val[0]);
    expect(tunebenchJson<DatasetSummary[]>(dataDir, ['datasets', 'list'])).toHaveLength(1);
  });

  it('rejects bad files with exit 2, one sentence, and nothing written', () => {
    const dataDir = tempDir();
    const files = tempDir();
    const good = writeFixture(files, 'good.csv', sentimentCsv(20));
    tunebenchJson(dataDir, ['datasets', 'import', good]);
    const before = tunebench(dataDir, ['datasets', 'list', '--json']).stdout;
    const beforeFiles = readdirSync(dataDir, { recursive: true }).filter((f) => !String(f).includes('tunebench.db')).sort();

    const cases: [string, string | Buffer, RegExp][] = [
      ['empty.csv', '', /empty\.csv is empty/],
      ['binary.csv', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48]), /binary\.csv is not a UTF-8 text file/],
      ['broken.csv', 'text,label\n"unclosed quote,positive\nfine,negative\n', /broken\.csv line 2/],
      ['ragged.csv', 'text,label\nhello,positive,extra\n', /ragged\.csv line 2/],
      ['bad.jsonl', '{"text": "ok", "label": "a"}\n{"text": oops}\n', /bad\.jsonl line 2/],
    ];
    for (const [name, content, message] of cases) {
      const result = tunebench(dataDir, ['datasets', 'import', writeFixture(files, name, content), '--json']);
      expect(result.code, name).toBe(2);
      expect(result.stdout, name).toBe('');
      expect(result.stderr.split('\n').filter((line) => line.startsWith('tunebench:')), name).toHaveLength(1);
      expect(result.stderr, name).toMatch(message);
    }
    const viaTrain = tunebench(dataDir, ['train', '--dataset', join(files, 'empty.csv'), '--json']);
    expect(viaTrain.code).toBe(2);

    expect(tunebench(dataDir, ['datasets', 'list', '--json']).stdout).toBe(before);
    const afterFiles = readdirSync(dataDir, { recursive: true }).filter((f) => !String(f).includes('tunebench.db')).sort();
    expect(afterFiles).toEqual(beforeFiles);
    expect(tunebenchJson<unknown[]>(dataDir, ['runs', 'list'])).toEqual([]);
  });

  it('names a bad setting, an unknown dataset and an unknown command with exit 2', () => {
    const dataDir = tempDir();
    const bad = [
      [['train', '--dataset', 'ds-missing'], /No dataset 'ds-missing'/],
      [['train', '--dataset', 'x', '--set', 'stepz=1'], /unknown setting 'stepz'/],
      [['train', '--dataset', 'x', '--preset', 'huge'], /Unknown preset 'huge'/],
      [['runs', 'show', 'run-nope'], /No run 'run-nope'/],
      [['frobnicate'], /Unknown command 'frobnicate'/],
      [['datasets', 'import'], /exactly one file/],
    ] as const;
    for (const [args, message] of bad) {
      const result = tunebench(dataDir, [...args]);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(message);
    }
  });
});
