// The training loop: AdamW on the schedule of optimizer.ts (warmup, then cosine / linear / constant), gradient
// accumulation over gradAccumulation micro-batches, global-norm clipping, label smoothing in the training loss, metrics
// every logEvery steps, validation (plain cross-entropy) every evalEvery steps and at the end, early stopping on
// val_loss (a resumed run counts evaluations without improvement afresh), checkpoints through a callback. Each step
// leaves no tensors behind (tf.memory().numTensors is flat once Adam has made its moment variables), and the loop
// yields to the event loop between steps so pause / resume / cancel messages are handled promptly.
import type * as tf from './tfjs';
import type { TrainConfig } from '../../common/config';
import type { Batch, PreparedData } from './data';
import type { GptModel } from './model';
import { batchLoss, evaluate } from './objective';
import { AdamW, EarlyStopping, learningRateAt } from './optimizer';
import { rngFor } from './rng';
import { StepClock, type StepControl } from './stepClock';
import type { NamedArray } from './safetensors';

export { learningRateAt };

export interface TrainHooks extends StepControl {
  /** Metric points for a step: loss, lr, grad_norm, tokens_per_s and/or val_loss, val_accuracy. */
  onMetrics?(step: number, values: Record<string, number>): void;
  /**
   * Called every checkpointEvery steps (if > 0) and after the last step of a completed run (also one that stopped
   * early), with Adam's moments
   * (m.<param>, v.<param>) so the run can be resumed from this step.
   */
  onCheckpoint?(step: number, optimizerState: NamedArray[]): void | Promise<void>;
  onLog?(level: 'info' | 'warn', message: string): void;
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
  const clock = new StepClock(now);
  try {
    while (step < config.steps) {
      if (!(await clock.readyForStep(opts))) return { status: 'cancelled', step };

      const s = step + 1;
      const lr = learningRateAt(s, config);
      // dropout masks come from a stream per step, so a resumed run draws the same ones
      const rng = rngFor(config.seed, `dropout:${s}`);
      const batches: Batch[] = Array.from({ length: micro }, () => data.nextTrainBatch());
      const result = optimizer.step((i) => batchLoss(model, batches[i], rng, config.labelSmoothing), lr);
      step = s;
      const values = await clock.afterStep(result, s, lr, data.tokensPerBatch * micro, config);

      // evaluation and checkpoints do not count against throughput
      const stopsEarly = await clock.outside(async () => {
        let isLast = s === config.steps;
        let early = false;
        if (s % config.evalEvery === 0 || isLast) {
          Object.assign(values, await evaluate(model, data.validation));
          early = stopping.observe(s, values.val_loss) && !isLast;
        }
        if (Object.keys(values).length > 0) opts.onMetrics?.(s, values);
        if (early) {
          opts.onLog?.('info', stopping.message(s));
          isLast = true;
        }
        if ((config.checkpointEvery > 0 && s % config.checkpointEvery === 0) || isLast) {
          if (opts.onCheckpoint) await opts.onCheckpoint(s, await optimizer.state());
        }
        return early;
      });
      if (stopsEarly) return { status: 'completed', step, stoppedEarly: { bestStep: stopping.bestStep, bestValLoss: stopping.bestLoss } };
    }
    return { status: 'completed', step };
  } finally {
    optimizer.dispose();
  }
}
