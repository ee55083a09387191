// The training loop: AdamW on the schedule of optimizer.ts (warmup, then cosine / linear / constant), gradient
// accumulation over gradAccumulation micro-batches, global-norm clipping, label smoothing in the training loss, metrics
// every logEvery steps, validation (plain cross-entropy) every evalEvery steps and at the end, early stopping on
// val_loss (a resumed run counts evaluations without improvement afresh), checkpoints through a callback. Each step
// leaves no tensors behind (tf.memory().numTensors is flat once Adam has made its moment variables), and the loop
// yields to the event loop between steps so pause / resume / cancel messages are handled promptly.
import * as tf from './tfjs';
import type { TrainConfig } from '../../common/config';
import type { Batch, PreparedData } from './data';
import type { GptModel } from './model';
import { batchLoss, evaluate } from './objective';
import { AdamW, EarlyStopping, learningRateAt } from './optimizer';
import { rngFor } from './rng';
import type { NamedArray } from './safetensors';

export { learningRateAt };

export interface TrainHooks {
  /** Metric points for a step: loss, lr, grad_norm, tokens_per_s and/or val_loss, val_accuracy. */
  onMetrics?(step: number, values: Record<string, number>): void;
  /**
   * Called every checkpointEvery steps (if > 0) and after the last step of a completed run (also one that stopped
   * early), with Adam's moments
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
  /** 'completed' also when early stopping ended the run before config.steps. */
  status: 'completed' | 'cancelled';
  /** Last completed step (0 when none ran). */
  step: number;
  /** Set when early stopping ended the run: the step with the lowest val_loss and that loss. */
  stoppedEarly?: { bestStep: number; bestValLoss: number };
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Weight decay applies to matrices only: not to LayerNorm gains, biases, or the embedding tables (wte, tied to the LM
 * head, and wpe), whose rows for rare tokens or late positions get no gradient most steps and would only shrink.
 */
export const decaysGptWeight = (name: string, variable: tf.Variable): boolean => variable.rank === 2 && name !== 'wte.weight' && name !== 'wpe.weight';

export async function train(opts: TrainOptions): Promise<TrainResult> {
  const { model, data, config } = opts;
  const now = opts.now ?? (() => performance.now());
  const optimizer = new AdamW(model.params, config, decaysGptWeight);
  const micro = config.gradAccumulation;
  const stopping = new EarlyStopping(config.earlyStoppingPatience);

  let step = 0;
  if (opts.resume) {
    await optimizer.restore(opts.resume);
    // the batches those steps drew, so the next ones match
    for (; step < opts.resume.step; step++) for (let i = 0; i < micro; i++) data.nextTrainBatch();
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
      // dropout masks come from a stream per step, so a resumed run draws the same ones
      const rng = rngFor(config.seed, `dropout:${s}`);
      const batches: Batch[] = Array.from({ length: micro }, () => data.nextTrainBatch());
      const { loss, gradNorm } = optimizer.step((i) => batchLoss(model, batches[i], rng, config.labelSmoothing), lr);
      step = s;
      windowTokens += data.tokensPerBatch * micro;

      let isLast = s === config.steps;
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
      let stopsEarly = false;
      if (s % config.evalEvery === 0 || isLast) {
        Object.assign(values, await evaluate(model, data.validation));
        stopsEarly = stopping.observe(s, values.val_loss) && !isLast;
      }
      if (Object.keys(values).length > 0) opts.onMetrics?.(s, values);
      if (stopsEarly) {
        opts.onLog?.('info', stopping.message(s));
        isLast = true;
      }
      if ((config.checkpointEvery > 0 && s % config.checkpointEvery === 0) || isLast) {
        if (opts.onCheckpoint) await opts.onCheckpoint(s, await optimizer.state());
      }
      if (stopsEarly) return { status: 'completed', step, stoppedEarly: { bestStep: stopping.bestStep, bestValLoss: stopping.bestLoss } };
      windowStart += now() - busyFrom; // evaluation and checkpoints do not count against throughput
    }
    return { status: 'completed', step };
  } finally {
    optimizer.dispose();
  }
}
