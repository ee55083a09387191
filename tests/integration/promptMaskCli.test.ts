// Instruction data through the CLI: a small alpaca-style file is imported, trained for two steps from scratch and as a
// stories260K fine-tune, and each run's log says the prompt tokens are left out of the loss.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DatasetSummary, RunDetail } from '../../common/domain';
import { assertBuilt, ROOT, tempDir, tunebenchJson } from '../helpers/cli';
import { writeFixture } from '../helpers/fixtures';

const STORIES = join(ROOT, 'resources', 'models', 'stories260k', 'stories260K.bin');
if (!existsSync(STORIES)) console.warn(`promptMaskCli.test: ${STORIES} is absent; skipping the fine-tune case.`);

const colours = ['red', 'blue', 'green', 'yellow', 'purple'];
const things = ['apple', 'sky', 'leaf', 'sun', 'plum'];
/** 20 records in Stanford Alpaca's layout, some with an input. */
const RECORDS = Array.from({ length: 20 }, (_, i) => ({
  instruction: i % 2 ? 'Name the colour of the thing.' : `Say what colour the ${things[i % 5]} is.`,
  input: i % 2 ? `the ${things[i % 5]}` : '',
  output: `The ${things[i % 5]} is ${colours[i % 5]}.`,
}));

const MASKED = /^Loss on completions only: ([\d,]+) of ([\d,]+) tokens are prompt and not trained\.$/;

function maskedLine(detail: RunDetail): { prompt: number; total: number } {
  const line = detail.logs.map((l) => l.message).find((m) => MASKED.test(m));
  expect(line, 'the run log names the prompt tokens left out of the loss').toBeDefined();
  const [, prompt, total] = MASKED.exec(line!)!.map((n) => Number(n.replaceAll(',', '')));
  return { prompt, total };
}

describe('training on instruction data: loss on completions only', () => {
  beforeAll(assertBuilt);
  let dataDir: string;
  let dataset: DatasetSummary;

  beforeAll(() => {
    dataDir = tempDir();
    const file = writeFixture(tempDir(), 'alpaca-20.json', JSON.stringify(RECORDS));
    dataset = tunebenchJson<DatasetSummary>(dataDir, ['datasets', 'import', file]);
  });

  it('imports the records as instructions and trains from scratch on their outputs only', () => {
    expect(dataset).toMatchObject({ task: 'instruction', trainTask: 'generate', rows: 20 });
    const run = tunebenchJson<{ runId: string; status: string }>(dataDir, ['train', '--dataset', dataset.id, '--preset', 'quick', '--set', 'steps=2', '--set', 'nLayer=1', '--set', 'dModel=32']);
    expect(run.status).toBe('completed');
    const { prompt, total } = maskedLine(tunebenchJson<RunDetail>(dataDir, ['runs', 'show', run.runId]));
    // every record's instruction (and input) is prompt; its output and the newline after it are trained
    expect(prompt).toBeGreaterThan(total / 2);
    expect(prompt).toBeLessThan(total);
  });

  it.skipIf(!existsSync(STORIES))('fine-tunes stories260K with lora on the outputs only', () => {
    const run = tunebenchJson<{ runId: string; status: string }>(dataDir, ['train', '--dataset', dataset.id, '--preset', 'quick', '--set', 'base=stories260k', '--set', 'method=lora', '--set', 'steps=2', '--set', 'batchSize=2', '--set', 'contextLength=32']);
    expect(run.status).toBe('completed');
    const detail = tunebenchJson<RunDetail>(dataDir, ['runs', 'show', run.runId]);
    const { prompt, total } = maskedLine(detail);
    expect(prompt).toBeGreaterThan(0);
    expect(prompt).toBeLessThan(total);
    expect(detail.series.val_loss.every((p) => Number.isFinite(p.value))).toBe(true);
  });
});
