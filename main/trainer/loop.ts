// The training loop: Adam with linear warmup then cosine decay to 10% of peak, global-norm gradient clipping,
// metrics every logEvery steps, validation every evalEvery steps and at the end, checkpoints through a callback.
// Each step leaves no tensors behind (tf.memory().numTensors is flat once Adam has made its moment variables), and
// the loop yields to the event loop between steps so pause / resume / cancel messages are handled promptly.
import * as tf from './tfjs';
import type { TrainConfig } from '../../common/config';
import type { Batch, PreparedData } from './data';
import type { GptModel } from './model';
import { batchLoss, evaluate } from './objective';
import { rngFor, type Rng } from './rng';
import type { NamedArray } from './safetensors';

const ADAM_BETA1 = 0.9;
const ADAM_BETA2 = 0.99; // nanoGPT's choice for small batches
const ADAM_EPSILON = 1e-8;
const FINAL_LR_FRACTION = 0.1;

export interface TrainHooks {
  /** Metric points for a step: loss, lr, grad_norm, tokens_per_s and/or val_loss, val_accuracy. */
  onMetrics?(step: number, values: Record<string, number>): void;
  /**
   * Called every checkpointEvery steps (if > 0) and after the last step of a completed run, with Adam's moments
   * (m.<param>, v.<param>) so the run can be resumed from this step.
   */
  onCheckpoint?(step: number, optimizerState: NamedArray[]): void | Promise<void>;
  onLog?(level: 'info' | 'warn', message: string): void;
  /** Checked before every step; true ends the run as cancelled. */
  shouldStop?(): boolean;
  /** Awaited before every step; resolves at once unless the run is paused. */
  waitWhilePaused?(): Promise<void>;
}

export interface TrainOptions extends TrainHooks {
  model: GptModel;
  data: PreparedData;
  config: TrainConfig;
  /** Milliseconds clock for tokens_per_s; performance.now by default. */
  now?: () => number;
  /** Continue after `step` (the model already holds that checkpoint's weights) with the saved optimizer state. */
  resume?: { step: number; optimizerState: NamedArray[] };
}

export interface TrainResult {
  status: 'completed' | 'cancelled';
  /** Last completed step (0 when none ran). */
  step: number;
}

/** Learning rate for step s (1-based): linear warmup over warmupSteps, then cosine to 10% of peak at the end. */
export function learningRateAt(step: number, config: Pick<TrainConfig, 'learningRate' | 'warmupSteps' | 'steps'>): number {
  const { learningRate: peak, warmupSteps: warmup, steps } = config;
  if (step <= warmup) return (peak * step) / warmup;
  const progress = steps > warmup ? Math.min(1, (step - warmup) / (steps - warmup)) : 1;
  const floor = peak * FINAL_LR_FRACTION;
  return floor + 0.5 * (peak - floor) * (1 + Math.cos(Math.PI * progress));
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

interface StepTensors {
  loss: tf.Scalar;
  gradNorm: tf.Scalar; // before clipping
}

/** One optimizer step; the caller disposes the two scalars it returns. */
function trainStep(model: GptModel, optimizer: tf.Optimizer, batch: Batch, rng: Rng, gradClip: number): StepTensors {
  const vars = [...model.params.values()];
  const { value: loss, grads } = tf.variableGrads(() => batchLoss(model, batch, rng), vars);
  const gradNorm = tf.tidy(() => tf.sqrt(tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g))))) as tf.Scalar);
  if (gradClip > 0) {
    // scale = min(1, clip / norm), kept on the device: no sync needed on a GPU
    const clipped = tf.tidy(() => {
      const scale = tf.minimum(1, tf.div(gradClip, tf.add(gradNorm, 1e-6)));
      const out: tf.NamedTensorMap = {};
      for (const [name, g] of Object.entries(grads)) out[name] = tf.mul(g, scale);
      return out;
    });
    optimizer.applyGradients(clipped);
    tf.dispose(clipped);
  } else {
    optimizer.applyGradients(grads);
  }
  tf.dispose(grads);
  return { loss: loss as tf.Scalar, gradNorm };
}

/** Adam's moment estimates by parameter name, read back from the backend. */
async function optimizerState(optimizer: tf.Optimizer, names: readonly string[]): Promise<NamedArray[]> {
  const all = await optimizer.getWeights(); // [iterations, m₀…mₙ, v₀…vₙ] in parameter order
  all[0].tensor.dispose(); // a fresh scalar made by getWeights
  const weights = all.slice(1);
  if (weights.length !== 2 * names.length) return [];
  return Promise.all(
    weights.map(async ({ tensor }, i) => ({
      name: `${i < names.length ? 'm' : 'v'}.${names[i % names.length]}`,
      shape: tensor.shape,
      data: (await tensor.data()) as Float32Array,
    })),
  );
}

/** Puts saved moments back as they were after `step` steps (tfjs rebuilds its bias corrections from the count). */
async function restoreOptimizer(optimizer: tf.Optimizer, names: readonly string[], saved: { step: number; optimizerState: NamedArray[] }): Promise<void> {
  const byName = new Map(saved.optimizerState.map((t) => [t.name, t]));
  const moments = ['m', 'v'].flatMap((kind) =>
    names.map((name) => {
      const t = byName.get(`${kind}.${name}`);
      if (!t) throw new Error(`The checkpoint's optimizer state has no '${kind}.${name}'; it cannot be resumed.`);
      return { name: `${name}/${kind}`, tensor: tf.tensor(t.data, t.shape, 'float32') };
    }),
  );
  // tfjs sets accBeta = beta^(iterations + 1), the value after `iterations` steps
  const iterations = tf.scalar(saved.step, 'int32');
  await optimizer.setWeights([{ name: 'iter', tensor: iterations }, ...moments]);
  tf.dispose([iterations, ...moments.map((m) => m.tensor)]);
}

export async function train(opts: TrainOptions): Promise<TrainResult> {
  const { model, data, config } = opts;
  const now = opts.now ?? (() => performance.now());
  const optimizer = tf.train.adam(learningRateAt(1, config), ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON);
  const setLearningRate = (lr: number) => {
    (optimizer as unknown as { learningRate: number }).learningRate = lr; // read by every applyGradients
  };
  const names = [...model.params.keys()];

  let step = 0;
  if (opts.resume) {
    await restoreOptimizer(optimizer, names, opts.resume);
    for (; step < opts.resume.step; step++) data.nextTrainBatch(); // the batches those steps drew, so the next ones match
  }
  let windowStart = now();
  let windowTokens = 0;
  try {
    while (step < config.steps) {
      await yieldToEventLoop();
      if (opts.shouldStop?.()) return { status: 'cancelled', step };
      if (opts.waitWhilePaused) {
        const pausedAt = now();
        await opts.waitWhilePaused();
        windowStart += now() - pausedAt; // time spent paused does not count against throughput
        if (opts.shouldStop?.()) return { status: 'cancelled', step };
      }

      const s = step + 1;
      const lr = learningRateAt(s, config);
      setLearningRate(lr);
      // dropout masks come from a stream per step, so a resumed run draws the same ones
      const { loss, gradNorm } = trainStep(model, optimizer, data.nextTrainBatch(), rngFor(config.seed, `dropout:${s}`), config.gradClip);
      step = s;
      windowTokens += data.tokensPerBatch;

      const isLast = s === config.steps;
      const values: Record<string, number> = {};
      try {
        if (s === 1 || s % config.logEvery === 0 || isLast) {
          const [l, g] = await Promise.all([loss.data(), gradNorm.data()]); // forces a GPU→CPU sync
          if (!Number.isFinite(l[0])) {
            throw new Error(`Training diverged: the loss is ${l[0]} at step ${s}; lower learningRate (now ${config.learningRate}).`);
          }
          const seconds = Math.max(1e-6, (now() - windowStart) / 1000);
          Object.assign(values, { loss: l[0], lr, grad_norm: g[0], tokens_per_s: windowTokens / seconds });
          windowTokens = 0;
          windowStart = now();
        }
      } finally {
        tf.dispose([loss, gradNorm]);
      }

      const busyFrom = now();
      if (s % config.evalEvery === 0 || isLast) Object.assign(values, await evaluate(model, data.validation));
      if (Object.keys(values).length > 0) opts.onMetrics?.(s, values);
      if ((config.checkpointEvery > 0 && s % config.checkpointEvery === 0) || isLast) {
        if (opts.onCheckpoint) await opts.onCheckpoint(s, await optimizerState(optimizer, names));
      }
      windowStart += now() - busyFrom; // evaluation and checkpoints do not count against throughput
    }
    return { status: 'completed', step };
  } finally {
    optimizer.dispose();
  }
}
