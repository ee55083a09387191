// One-click few-shot fine-tuning, evaluation, trying and exporting a model, through the CLI as a user runs it.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrainConfig } from '../../common/config';
import type { EvalReport, ExportResult, ModelInfo } from '../../common/evaluation';
import type { RunDetail } from '../../common/domain';
import type { GenerateResult } from '../../common/protocol';
import { selectBackend } from '../../main/trainer/backend';
import { loadGptCheckpoint } from '../../main/trainer/gpt/gptInference';
import { readLlamaCheckpoint } from '../../main/trainer/llama/llamaCheckpoint';
import * as tf from '../../main/trainer/tfjs';
import { assertBuilt, SHARED_DATA, tempDir, tunebench, tunebenchJson } from '../helpers/cli';
import { corpusLines, sentimentCsv, writeFixture } from '../helpers/fixtures';

interface TrainJson {
  runId: string;
  status: string;
  config: TrainConfig;
  metrics: Record<string, number>;
  evaluation: EvalReport | null;
}

const STORIES = join(SHARED_DATA, 'models', 'stories260k', 'greedy_t0_255steps_from_BOS.txt');
const SMS = join(SHARED_DATA, 'classify', 'sms-spam', 'SMSSpamCollection');
const TINYSTORIES = join(SHARED_DATA, 'corpora', 'tinystories-subset', 'tinystories_valid_head.txt');
for (const [what, path] of [['stories260K golden output', STORIES], ['SMS spam', SMS], ['TinyStories', TINYSTORIES]]) {
  if (!existsSync(path)) console.warn(`Skipping the ${what} checks: ${path} is absent.`);
}
const hasTorch = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { encoding: 'utf8' }).status === 0;
if (!hasTorch) console.warn('Skipping the PyTorch export checks: Debian python3-torch (/usr/bin/python3 -c "import torch") is not installed.');

/** The same token ids through our model (the trainer's logits) and PyTorch on the exported folder. */
function torchLogits(folder: string, ids: number[]): number[][] {
  const out = spawnSync('/usr/bin/python3', [join(__dirname, '..', 'python', 'torch_forward.py'), folder, JSON.stringify(ids)], {
    encoding: 'utf8',
    env: { ...process.env, OPENBLAS_NUM_THREADS: '1' },
  });
  if (out.status !== 0) throw new Error(`torch_forward.py failed: ${out.stderr}`);
  return (JSON.parse(out.stdout) as { logits: number[][] }).logits;
}

describe('few-shot and models through the CLI', () => {
  beforeAll(assertBuilt);

  it('lists the built-in models', () => {
    const models = tunebenchJson<ModelInfo[]>(tempDir(), ['models', 'list']);
    const ids = models.map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining(['stories260k', 'glove-6b-100d']));
    expect(models.find((m) => m.id === 'stories260k')).toMatchObject({ kind: 'generator', parameters: 260_032 });
  });

  it.skipIf(!existsSync(STORIES))('generates the documented stories260K text, greedy from BOS', () => {
    const result = tunebenchJson<GenerateResult>(tempDir(), ['generate', 'stories260k', '--temperature', '0', '--max-tokens', '255']);
    expect(result.text.trimEnd()).toBe(readFileSync(STORIES, 'utf8').trimEnd());
    expect(result.tokens).toBeGreaterThan(100);
  });

  it('fine-tunes a classifier in one command, evaluates it, classifies and exports', () => {
    const dataDir = tempDir();
    const csv = writeFixture(tempDir(), 'reviews.csv', sentimentCsv(40));
    const train = tunebenchJson<TrainJson>(dataDir, ['train', '--dataset', csv, '--preset', 'few-shot']);
    expect(train.status).toBe('completed');
    expect(train.config).toMatchObject({ base: 'glove-6b-100d', method: 'setfit' });
    const report = train.evaluation!;
    // 40 rows split 36/4 hold out too few to measure: the model trains on all 40 and reports 5-fold cross-validation
    expect(report.source).toMatchObject({ split: 'cross-validation', folds: 5 });
    expect(report.classification!.examples).toBe(40);
    expect(train.metrics.val_accuracy).toBeCloseTo(report.classification!.accuracy, 6); // the Runs table shows it
    expect(report.classification!.labels).toEqual(['negative', 'positive']);
    const own = tunebenchJson<{ datasetId: string }>(dataDir, ['runs', 'show', train.runId]).datasetId;
    expect(tunebenchJson<EvalReport>(dataDir, ['eval', train.runId, '--dataset', own]).source).toMatchObject({ split: 'cross-validation', folds: 5 });
    expect(report.classification!.accuracy).toBeGreaterThanOrEqual(0.75);

    const held = writeFixture(tempDir(), 'held-out.csv', sentimentCsv(30, 99));
    const again = tunebenchJson<EvalReport>(dataDir, ['eval', train.runId, '--dataset', held]);
    const c = again.classification!;
    expect(c.examples).toBe(30); // every row of the file, none kept back for training
    expect(again.source).toMatchObject({ datasetName: 'held-out', split: 'test' });
    expect(c.confusion.flat().reduce((a, b) => a + b, 0)).toBe(c.examples);

    const guess = tunebenchJson<{ label: string; probabilities: Record<string, number> }>(dataDir, ['classify', train.runId, '--text', 'the film was wonderful, really lovely']);
    expect(guess.label).toBe('positive');

    for (const format of ['safetensors', 'tfjs']) {
      const exported = tunebenchJson<ExportResult>(dataDir, ['export', train.runId, '--format', format]);
      expect(exported.files.map((f) => f.name)).toEqual(expect.arrayContaining(format === 'tfjs' ? ['model.json', 'weights.bin'] : ['config.json', 'model.safetensors']));
    }
  });

  it('refuses to classify with a run that does not exist, in one sentence', () => {
    const dataDir = tempDir();
    const result = tunebench(dataDir, ['classify', 'run-00000000', '--text', 'hello']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it.skipIf(!existsSync(SMS))('learns SMS spam from 8 examples per class', () => {
    const lines = readFileSync(SMS, 'utf8').split('\n').filter(Boolean).map((l) => l.split('\t'));
    const pick = (label: string, from: number, n: number) => lines.filter((l) => l[0] === label).slice(from, from + n);
    const csv = (rows: string[][]) => ['label\ttext', ...rows.map(([label, text]) => `${label}\t${text.replace(/[\t"]/g, ' ')}`)].join('\n');
    const dataDir = tempDir();
    const train = writeFixture(tempDir(), 'sms-few.tsv', csv([...pick('ham', 0, 8), ...pick('spam', 0, 8)]));
    const test = writeFixture(tempDir(), 'sms-test.tsv', csv([...pick('ham', 100, 100), ...pick('spam', 100, 100)]));
    const run = tunebenchJson<TrainJson>(dataDir, ['train', '--dataset', train, '--preset', 'few-shot']);
    expect(run.status).toBe('completed');
    const report = tunebenchJson<EvalReport>(dataDir, ['eval', run.runId, '--dataset', test]);
    expect(report.classification!.accuracy).toBeGreaterThan(0.8);
    expect(report.classification!.perClass.map((c) => c.label)).toEqual(['ham', 'spam']);
  });

  it.skipIf(!existsSync(TINYSTORIES))('fine-tunes stories260K on short texts: held-out perplexity falls; export loads in PyTorch', async () => {
    const paragraphs = readFileSync(TINYSTORIES, 'utf8').split(/\n\s*\n/).map((p) => p.replace(/\s+/g, ' ').trim()).filter((p) => p.length > 40);
    const dataDir = tempDir();
    const file = writeFixture(tempDir(), 'stories.txt', paragraphs.slice(0, 120).join('\n'));
    const run = tunebenchJson<TrainJson>(dataDir, ['train', '--dataset', file, '--preset', 'few-shot', '--set', 'steps=30']);
    expect(run.status).toBe('completed');
    expect(run.config.base).toBe('stories260k');
    const g = run.evaluation!.generation!;
    expect(g.base!.perplexity).toBeGreaterThan(1);
    expect(g.tuned.perplexity).toBeLessThan(g.base!.perplexity);
    expect(g.samples.length).toBeGreaterThan(0);

    const out = tunebenchJson<GenerateResult>(dataDir, ['generate', run.runId, '--prompt', 'Once upon a time', '--max-tokens', '20', '--temperature', '0.8', '--top-k', '40', '--seed', '7']);
    expect(out.tokens).toBeGreaterThan(0);

    const exported = tunebenchJson<ExportResult>(dataDir, ['export', run.runId, '--format', 'safetensors']);
    expect(exported.files.map((f) => f.name)).toEqual(expect.arrayContaining(['config.json', 'model.safetensors', 'tokenizer.model', 'tokenizer.json']));
    if (!hasTorch) return;
    const ids = [1, 403, 407, 261, 378, 442, 267, 370, 280];
    const checkpoint = tunebenchJson<RunDetail>(dataDir, ['runs', 'show', run.runId]).checkpoints.at(-1)!.path;
    await selectBackend('cpu');
    const model = readLlamaCheckpoint(checkpoint).toInference();
    const cache = model.newCache();
    const ours = model.forward(ids, cache).arraySync() as number[][];
    cache.dispose();
    model.dispose();
    expect(maxAbsDiff(ours, torchLogits(exported.dir, ids))).toBeLessThan(1e-4);
  });

  it.skipIf(!hasTorch)('exports a model trained from scratch that PyTorch loads with the same logits', async () => {
    const dataDir = tempDir();
    const file = writeFixture(tempDir(), 'corpus.txt', `${corpusLines(120).join('\n')}\n`);
    const run = tunebenchJson<TrainJson>(dataDir, ['train', '--dataset', file, '--preset', 'quick', '--set', 'steps=3', '--set', 'nLayer=1', '--set', 'dModel=32', '--set', 'contextLength=16']);
    const exported = tunebenchJson<ExportResult>(dataDir, ['export', run.runId]);
    const checkpoint = tunebenchJson<RunDetail>(dataDir, ['runs', 'show', run.runId]).checkpoints.at(-1)!.path;
    await selectBackend('cpu');
    const loaded = loadGptCheckpoint(checkpoint);
    const ids = Array.from(loaded.tokenizer.encode('the cat sat on'));
    const ours = tf.tidy(() => loaded.model.lmLogits(loaded.model.hidden(tf.tensor2d([ids], [1, ids.length], 'int32'), null)).arraySync() as number[][]);
    loaded.model.dispose();
    expect(maxAbsDiff(ours, torchLogits(exported.dir, ids))).toBeLessThan(1e-4);
  });
});

function maxAbsDiff(a: number[][], b: number[][]): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  a.forEach((row, i) => row.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - b[i][j])))));
  return worst;
}
