import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveTrainConfig, type BackendName, type Overrides } from '../../../common/config';
import type { TrainData } from '../../../common/protocol';
import { selectBackend } from '../../../main/trainer/backend';
import { prepareData } from '../../../main/trainer/data';
import { learningRateAt, train } from '../../../main/trainer/gpt/loop';
import { GptModel } from '../../../main/trainer/gpt/model';
import * as tf from '../../../main/trainer/tfjs';
import { corpusLines } from '../../helpers/fixtures';

const CORPUS = join(__dirname, '../../../../shared/data/corpora/tinyshakespeare/input.txt');
const hasCorpus = existsSync(CORPUS);
if (!hasCorpus) console.warn(`Skipping the real-corpus training tests: ${CORPUS} is absent.`);

// A model small enough that 40 steps take seconds on the cpu backend of a slow machine.
const TINY: Overrides = { nLayer: 1, nHead: 2, dModel: 32, contextLength: 16, batchSize: 8, learningRate: 1e-2, warmupSteps: 5, logEvery: 1, evalEvery: 20, evalBatches: 2 };

interface RunRecord {
  losses: number[];
  metrics: Map<number, Record<string, number>>;
  tensorCounts: number[];
  tensorsBefore: number;
  tensorsAfter: number;
}

async function run(backend: BackendName, data: TrainData, overrides: Overrides): Promise<RunRecord> {
  await selectBackend(backend);
  const config = resolveTrainConfig('quick', { ...TINY, ...overrides, backend });
  const tensorsBefore = tf.memory().numTensors;
  const prepared = prepareData(data, config, () => {});
  const model = new GptModel(
    { task: data.task, vocabSize: prepared.tokenizer.size, numLabels: prepared.labels.length, nLayer: config.nLayer, nHead: config.nHead, dModel: config.dModel, contextLength: config.contextLength, dropout: config.dropout },
    config.seed,
  );
  const record: RunRecord = { losses: [], metrics: new Map(), tensorCounts: [], tensorsBefore, tensorsAfter: 0 };
  await train({
    model,
    data: prepared,
    config,
    onMetrics: (step, values) => {
      record.metrics.set(step, values);
      if (values.loss !== undefined) record.losses.push(values.loss);
      record.tensorCounts.push(tf.memory().numTensors);
    },
  });
  model.dispose();
  record.tensorsAfter = tf.memory().numTensors;
  return record;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe.skipIf(!hasCorpus)('training on tinyshakespeare (first 20k characters)', () => {
  const text = hasCorpus ? readFileSync(CORPUS, 'utf8').slice(0, 20_000) : '';
  const data: TrainData = { task: 'generate', train: text.split('\n'), validation: [] };
  let wasm: RunRecord;
  let cpu: RunRecord;

  beforeAll(async () => {
    wasm = await run('wasm', data, { steps: 40, evalBatches: 4 });
    cpu = await run('cpu', data, { steps: 20, evalBatches: 4 });
  });

  it('lowers the loss on wasm', () => {
    expect(wasm.losses).toHaveLength(40);
    expect(wasm.losses[0]).toBeGreaterThan(3.5); // ≈ ln(vocabulary) at initialisation
    expect(mean(wasm.losses.slice(-5))).toBeLessThan(wasm.losses[0] - 0.7);
    expect(wasm.metrics.get(40)!.val_loss).toBeLessThan(wasm.losses[0] - 0.5);
  });

  it('lowers the loss on cpu', () => {
    expect(mean(cpu.losses.slice(-5))).toBeLessThan(cpu.losses[0] - 0.5);
  });

  it('gives the same losses on wasm and cpu for the first steps', () => {
    for (let i = 0; i < 5; i++) expect(Math.abs(wasm.losses[i] - cpu.losses[i])).toBeLessThan(1e-3);
  });

  it('reports lr, grad_norm, tokens_per_s every logged step and val_loss at evalEvery and the end', () => {
    const first = wasm.metrics.get(1)!;
    expect(Object.keys(first).sort()).toEqual(['grad_norm', 'loss', 'lr', 'tokens_per_s']);
    expect(first.tokens_per_s).toBeGreaterThan(0);
    expect(wasm.metrics.get(20)!.val_loss).toBeGreaterThan(0);
    expect(wasm.metrics.get(19)!.val_loss).toBeUndefined();
    expect(wasm.metrics.get(40)!.lr).toBeCloseTo(1e-3, 8); // cosine ends at 10% of peak
  });

  it('keeps tf.memory().numTensors flat across steps and leaves nothing behind', () => {
    for (const record of [wasm, cpu]) {
      expect(new Set(record.tensorCounts).size).toBe(1);
      expect(record.tensorsAfter).toBe(record.tensorsBefore);
    }
  });
});

describe('seeded training', () => {
  const data: TrainData = { task: 'generate', train: corpusLines(200), validation: [] };
  const short: Overrides = { steps: 6, dropout: 0.1, evalEvery: 100 };

  it('repeats the same losses for the same seed (dropout included) and differs for another seed', async () => {
    const a = await run('wasm', data, { ...short, seed: 11 });
    const b = await run('wasm', data, { ...short, seed: 11 });
    const c = await run('wasm', data, { ...short, seed: 12 });
    expect(b.losses).toEqual(a.losses);
    expect(c.losses).not.toEqual(a.losses);
  });
});

describe('classification training', () => {
  it('learns a two-class task and reports val_accuracy', async () => {
    const words = [
      ['great', 'lovely', 'fine', 'superb'],
      ['awful', 'dull', 'poor', 'bad'],
    ];
    const rows = Array.from({ length: 80 }, (_, i) => ({ text: `the film was ${words[i % 2][(i >> 1) % 4]}`, label: i % 2 }));
    const record = await run('wasm', { task: 'classify', labels: ['positive', 'negative'], train: rows.slice(0, 64), validation: rows.slice(64) }, { steps: 60, contextLength: 24, evalEvery: 20 });
    const last = record.metrics.get(60)!;
    expect(record.metrics.get(20)!.val_accuracy).toBeGreaterThanOrEqual(0);
    expect(last.val_accuracy).toBeGreaterThanOrEqual(0.8);
    expect(last.val_loss).toBeLessThan(record.losses[0] - 0.1);
  });
});

describe('learningRateAt', () => {
  const config = { learningRate: 1e-3, warmupSteps: 10, steps: 110 };
  it('warms up linearly, peaks, then decays along a cosine to 10% of the peak', () => {
    expect(learningRateAt(1, config)).toBeCloseTo(1e-4, 10);
    expect(learningRateAt(10, config)).toBeCloseTo(1e-3, 10);
    expect(learningRateAt(60, config)).toBeCloseTo(0.55e-3, 10);
    expect(learningRateAt(110, config)).toBeCloseTo(1e-4, 10);
    expect(learningRateAt(1, { ...config, warmupSteps: 0 })).toBeCloseTo(1e-3, 6);
  });
});
