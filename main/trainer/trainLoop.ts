// The one training loop (minGPT's Trainer): it knows a model only through Trainable — the weights to train, the loss
// on a micro-batch, validation and saving — and runs AdamW on optimizer.ts's schedule (warmup, then cosine / linear /
// constant), gradient accumulation over gradAccumulation micro-batches, global-norm clipping, metrics every logEvery
// steps, validation every evalEvery steps and at the end (and at step 0 for a pretrained base, so the chart starts
// from it), early stopping on val_loss (a resumed run counts evaluations afresh), and checkpoints every
// checkpointEvery steps and at the end. It yields between steps so pause / resume / cancel are handled at once, and
// leaves no tensors behind a step. The char GPT from scratch (loop.ts), stories260K (llama/fineTune.ts) and every
// imported decoder family (decoder/fineTune.ts) train through it.
import type { TrainConfig } from '../../common/config';
import { AdamW, EarlyStopping, learningRateAt } from './optimizer';
import type { NamedArray } from './safetensors';
import { StepClock, type StepControl } from './stepClock';
import type * as tf from './tfjs';

export interface Trainable<Batch> {
  /** The weights this run trains (by name: the saved optimizer state is keyed by it). */
  params: ReadonlyMap<string, tf.Variable>;
  /** Whether AdamW's decoupled weight decay applies to a weight. */
  decays(name: string, variable: tf.Variable): boolean;
  /** The next seeded training micro-batch (the n-th call draws the same batch in any process). */
  nextBatch(): Batch;
  /** Tokens one micro-batch trains on, for tokens_per_s. */
  tokensPerBatch: number;
  /** Mean training loss of a micro-batch at step s (built inside a gradient tape). */
  loss(batch: Batch, step: number): tf.Scalar;
  /** Validation metrics: val_loss at least. */
  validate(): Promise<Record<string, number>> | Record<string, number>;
  /** Writes a checkpoint of step s with Adam's moments; what it returns is handed to onCheckpoint. */
  save(step: number, optimizerState: NamedArray[]): Promise<SavedCheckpoint> | SavedCheckpoint;
}

export interface SavedCheckpoint {
  step: number;
  path: string;
  bytes: number;
}

export interface LoopOptions extends StepControl {
  config: TrainConfig;
  /** Continue after `step` with the saved optimizer state (the model already holds that step's weights). */
  resume?: { step: number; optimizerState: NamedArray[] };
  /** Validate the untrained model as step 0 (a pretrained base). */
  validateAtStart?: boolean;
  onMetrics?(step: number, values: Record<string, number>): void;
  onLog?(level: 'info' | 'warn', message: string): void;
  /** Every checkpoint but the final one (which is in the result). */
  onCheckpoint?(checkpoint: SavedCheckpoint): void | Promise<void>;
  now?: () => number;
}

export type LoopResult =
  | { status: 'completed'; step: number; checkpoint: SavedCheckpoint; stoppedEarly?: { bestStep: number; bestValLoss: number } }
  | { status: 'cancelled'; step: number; checkpoint: null };

export async function runTrainLoop<Batch>(model: Trainable<Batch>, o: LoopOptions): Promise<LoopResult> {
  const { config } = o;
  const optimizer = new AdamW(model.params, config, (name, v) => model.decays(name, v));
  const micro = config.gradAccumulation;
  const stopping = new EarlyStopping(config.earlyStoppingPatience);
  const save = async (s: number) => model.save(s, await optimizer.state());
  try {
    let step = 0;
    if (o.resume) {
      await optimizer.restore(o.resume);
      for (; step < o.resume.step; step++) for (let i = 0; i < micro; i++) model.nextBatch(); // the batches those steps drew
    } else if (o.validateAtStart) {
      o.onMetrics?.(0, await model.validate());
    }
    const clock = new StepClock(o.now ?? (() => performance.now()));
    while (step < config.steps) {
      if (!(await clock.readyForStep(o))) return { status: 'cancelled', step, checkpoint: null };
      const s = step + 1;
      const lr = learningRateAt(s, config);
      const batches = Array.from({ length: micro }, () => model.nextBatch());
      const result = optimizer.step((i) => model.loss(batches[i], s), lr);
      step = s;
      const values = await clock.afterStep(result, s, lr, micro * model.tokensPerBatch, config);
      // evaluation and checkpoints do not count against throughput
      const finished = await clock.outside(async (): Promise<LoopResult | null> => {
        const isLast = s === config.steps;
        let stopsEarly = false;
        if (s % config.evalEvery === 0 || isLast) {
          Object.assign(values, await model.validate());
          stopsEarly = stopping.observe(s, values.val_loss) && !isLast;
        }
        if (Object.keys(values).length > 0) o.onMetrics?.(s, values);
        if (isLast) return { status: 'completed', step, checkpoint: await save(s) };
        if (stopsEarly) {
          o.onLog?.('info', stopping.message(s));
          return { status: 'completed', step, checkpoint: await save(s), stoppedEarly: { bestStep: stopping.bestStep, bestValLoss: stopping.bestLoss } };
        }
        if (config.checkpointEvery > 0 && s % config.checkpointEvery === 0) {
          const saved = await save(s); // written with or without a listener
          await o.onCheckpoint?.(saved);
        }
        return null;
      });
      if (finished) return finished;
    }
    // only a resumed run already at its last step gets here
    return { status: 'completed', step, checkpoint: await save(step) };
  } finally {
    optimizer.dispose();
  }
}
