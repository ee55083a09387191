// The char GPT loop's optimisation settings: gradient accumulation, weight decay, label smoothing, early stopping,
// resuming with accumulation, and flat memory with everything on. Small models on the cpu backend.
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveTrainConfig, type Overrides, type TrainConfig } from '../../../common/config';
import type { TrainData } from '../../../common/protocol';
import { selectBackend } from '../../../main/trainer/backend';
import { prepareData, type PreparedData } from '../../../main/trainer/data';
import { train, type TrainResult } from '../../../main/trainer/gpt/loop';
import { GptModel } from '../../../main/trainer/gpt/model';
import { batchLoss, evaluate } from '../../../main/trainer/gpt/objective';
import type { NamedArray } from '../../../main/trainer/safetensors';
import * as tf from '../../../main/trainer/tfjs';
import { corpusLines } from '../../helpers/fixtures';

const TINY: Overrides = { nLayer: 1, nHead: 2, dModel: 32, contextLength: 16, batchSize: 8, learningRate: 1e-2, warmupSteps: 2, logEvery: 1, evalEvery: 100, evalBatches: 2, backend: 'cpu' };
const TEXT: TrainData = { task: 'generate', train: corpusLines(200), validation: [] };

interface Run {
  result: TrainResult;
  metrics: Map<number, Record<string, number>>;
  logs: string[];
  checkpoints: { step: number; weights: NamedArray[]; optimizerState: NamedArray[] }[];
  weights: Map<string, Float32Array>;
  tensorCounts: number[];
}

function modelFor(config: TrainConfig, prepared: PreparedData, task: TrainData['task']): GptModel {
  const { nLayer, nHead, dModel, contextLength, dropout } = config;
  return new GptModel({ task, vocabSize: prepared.tokenizer.size, numLabels: prepared.labels.length, nLayer, nHead, dModel, contextLength, dropout }, config.seed);
}

const readWeights = (model: GptModel): NamedArray[] => [...model.params].map(([name, v]) => ({ name, shape: v.shape, data: v.dataSync() as Float32Array }));

/** Trains on `data`; with `resume`, from that checkpoint. A fake clock ticks 1 ms per read. */
async function run(data: TrainData, overrides: Overrides, resume?: Run['checkpoints'][number]): Promise<Run> {
  const config = resolveTrainConfig('quick', { ...TINY, ...overrides });
  const prepared = prepareData(data, config, () => {});
  const model = modelFor(config, prepared, data.task);
  if (resume) for (const w of resume.weights) model.params.get(w.name)!.assign(tf.tensor(w.data, w.shape));
  let clock = 0;
  const rec: Omit<Run, 'result' | 'weights'> = { metrics: new Map(), logs: [], checkpoints: [], tensorCounts: [] };
  const result = await train({
    model,
    data: prepared,
    config,
    now: () => (clock += 1),
    resume: resume && { step: resume.step, optimizerState: resume.optimizerState },
    onMetrics: (step, values) => {
      rec.metrics.set(step, values);
      rec.tensorCounts.push(tf.memory().numTensors);
    },
    onLog: (_, message) => rec.logs.push(message),
    onCheckpoint: (step, optimizerState) => void rec.checkpoints.push({ step, weights: readWeights(model), optimizerState }),
  });
  const weights = new Map(readWeights(model).map((w) => [w.name, w.data]));
  model.dispose();
  return { ...rec, result, weights };
}

const maxDiff = (a: Map<string, Float32Array>, b: Map<string, Float32Array>) =>
  Math.max(...[...a].map(([name, x]) => Math.max(...x.map((v, i) => Math.abs(v - b.get(name)![i])))));
const norm = (x: Float32Array) => Math.sqrt(x.reduce((s, v) => s + v * v, 0));

describe('the GPT loop', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('takes the same step from 2 accumulated micro-batches of 4 as from one batch of 8, counting all their tokens', async () => {
    const whole = await run(TEXT, { steps: 1, batchSize: 8 });
    const accumulated = await run(TEXT, { steps: 1, batchSize: 4, gradAccumulation: 2 });
    const [a, b] = [whole.metrics.get(1)!, accumulated.metrics.get(1)!];
    expect(Math.abs(a.loss - b.loss)).toBeLessThan(1e-5);
    expect(Math.abs(a.grad_norm - b.grad_norm)).toBeLessThan(1e-5);
    expect(b.tokens_per_s).toBeCloseTo(a.tokens_per_s, 6); // same clock ticks, same 8 × 16 tokens
    expect(maxDiff(whole.weights, accumulated.weights)).toBeLessThan(1e-5);
  });

  it('with weight decay ends with smaller matrices, and leaves the embeddings and norms to Adam', async () => {
    const plain = await run(TEXT, { steps: 10 });
    const decayed = await run(TEXT, { steps: 10, weightDecay: 1 });
    const fc = 'h.0.mlp.c_fc.weight';
    expect(norm(decayed.weights.get(fc)!)).toBeLessThan(0.97 * norm(plain.weights.get(fc)!));
    // not decayed, only moved by gradients that differ a little: no (1 − lr·wd) shrink
    for (const name of ['wte.weight', 'h.0.ln_1.weight']) expect(norm(decayed.weights.get(name)!)).toBeGreaterThan(0.99 * norm(plain.weights.get(name)!));
  });

  it('smooths the training loss only: validation stays plain cross-entropy', async () => {
    const config = resolveTrainConfig('quick', { ...TINY });
    const prepared = prepareData(TEXT, config, () => {});
    const model = modelFor(config, prepared, 'generate');
    const batch = prepared.validation[0];
    const eps = 0.2;
    const [plain, smoothed, uniform] = tf.tidy(() => {
      const logits = model.lmLogits(model.hidden(tf.tensor2d(batch.inputs, [batch.B, batch.T], 'int32'), null));
      const logp = tf.logSoftmax(logits);
      const uniformCe = tf.mean(tf.neg(tf.mean(logp, 1))); // cross-entropy against 1/V everywhere
      return [batchLoss(model, batch, null), batchLoss(model, batch, null, eps), uniformCe].map((t) => t.dataSync()[0]);
    });
    expect(smoothed).toBeCloseTo((1 - eps) * plain + eps * uniform, 5);
    expect(smoothed).not.toBeCloseTo(plain, 3);
    expect((await evaluate(model, [batch])).val_loss).toBeCloseTo(plain, 5);
    model.dispose();
  });

  it('stops early when val_loss stops improving, with a checkpoint and a log line at that step', async () => {
    // validation labels are the opposite of training's: once the model learns, val_loss only rises
    const words = [
      ['great', 'lovely', 'fine', 'superb'],
      ['awful', 'dull', 'poor', 'bad'],
    ];
    const rows = Array.from({ length: 48 }, (_, i) => ({ text: `the film was ${words[i % 2][(i >> 1) % 4]}`, label: i % 2 }));
    const flipped = rows.slice(40).map((r) => ({ ...r, label: 1 - r.label }));
    const data: TrainData = { task: 'classify', labels: ['positive', 'negative'], train: rows.slice(0, 40), validation: flipped };
    const stopped = await run(data, { steps: 60, contextLength: 24, evalEvery: 3, earlyStoppingPatience: 2 });
    const { result } = stopped;
    expect(result.status).toBe('completed');
    expect(result.step).toBeLessThan(60);
    expect(result.stoppedEarly!.bestStep).toBe(result.step - 6);
    expect(stopped.checkpoints.map((c) => c.step)).toEqual([result.step]);
    expect(Math.max(...stopped.metrics.keys())).toBe(result.step);
    expect(stopped.logs.filter((l) => /Stopped early/.test(l))).toEqual([expect.stringContaining(`best was ${result.stoppedEarly!.bestValLoss.toFixed(4)} at step ${result.stoppedEarly!.bestStep}`)]);
  });

  it('continues from a checkpoint on the same curve with accumulation, keeping memory flat with everything on', async () => {
    const everything: Overrides = { steps: 8, checkpointEvery: 4, gradAccumulation: 2, batchSize: 4, weightDecay: 0.1, labelSmoothing: 0.1, dropout: 0.1, earlyStoppingPatience: 50, evalEvery: 2, schedule: 'linear' };
    const tensorsBefore = tf.memory().numTensors;
    const whole = await run(TEXT, everything);
    expect(whole.result).toEqual({ status: 'completed', step: 8 });
    expect(new Set(whole.tensorCounts).size).toBe(1);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(whole.metrics.get(8)!.lr).toBeCloseTo(1e-3, 8); // linear to 10% of peak

    const resumed = await run(TEXT, everything, whole.checkpoints[0]);
    for (let s = 5; s <= 8; s++) {
      expect(resumed.metrics.get(s)!.loss).toBeCloseTo(whole.metrics.get(s)!.loss, 5);
      expect(resumed.metrics.get(s)!.grad_norm).toBeCloseTo(whole.metrics.get(s)!.grad_norm, 5);
    }
    expect(resumed.metrics.get(8)!.val_loss).toBeCloseTo(whole.metrics.get(8)!.val_loss, 5);
  });
});
