// Training the GPT-2-layout char model from scratch through the one loop (trainLoop.ts): its batches (data.ts), its
// loss with seeded dropout and label smoothing (objective.ts), validation loss and accuracy, and checkpoints through a
// callback that receives Adam's moments. Each step leaves no tensors behind (tf.memory().numTensors is flat once Adam
// has made its moment variables).
import type * as tf from '../tfjs';
import type { TrainConfig } from '../../../common/config';
import type { Batch, PreparedData } from '../data';
import type { GptModel } from './model';
import { batchLoss, evaluate } from './objective';
import { learningRateAt } from '../optimizer';
import { rngFor, type Rng } from '../rng';
import type { StepControl } from '../stepClock';
import type { NamedArray } from '../safetensors';
import { runTrainLoop, type Trainable } from '../trainLoop';

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
  let rng: Rng | null = null;
  let rngStep = -1;
  const trainable: Trainable<Batch> = {
    params: model.params,
    decays: decaysGptWeight,
    nextBatch: () => data.nextTrainBatch(),
    tokensPerBatch: data.tokensPerBatch,
    loss(batch, s) {
      // dropout masks come from a stream per step, so a resumed run draws the same ones
      if (s !== rngStep) [rng, rngStep] = [rngFor(config.seed, `dropout:${s}`), s];
      return batchLoss(model, batch, rng, config.labelSmoothing);
    },
    validate: () => evaluate(model, data.validation),
    async save(step, optimizerState) {
      await opts.onCheckpoint?.(step, optimizerState);
      return { step, path: '', bytes: 0 };
    },
  };
  const { onMetrics, onLog, shouldStop, waitWhilePaused, now, resume } = opts;
  const result = await runTrainLoop(trainable, { config, resume, onMetrics, onLog, shouldStop, waitWhilePaused, now });
  return { status: result.status, step: result.step, ...(result.status === 'completed' && result.stoppedEarly ? { stoppedEarly: result.stoppedEarly } : {}) };
}
