// The optimisation rules both training loops share (the char GPT in loop.ts, Llama fine-tuning in llama/fineTune.ts):
//   - the learning-rate schedule: linear warmup, then cosine or linear decay to 10% of peak, or constant;
//   - AdamW: tfjs's Adam (β1 0.9, β2 0.99) plus decoupled weight decay w ← w − lr·wd·w before each update (PyTorch's
//     order), on the weights the caller marks (matrices, not norms, biases or embedding tables);
//   - gradient accumulation: k micro-batches per step, their gradients averaged, the global-norm clip applied to
//     the average (so k micro-batches of B equal one batch of k·B);
//   - Adam's moments read out and put back, for resuming from a checkpoint;
//   - early stopping on val_loss.
// Memory: one accumulated gradient per trainable weight lives during a step; nothing is left behind after it.
import type { TrainConfig } from '../../common/config';
import type { NamedArray } from './safetensors';
import * as tf from './tfjs';

const ADAM_BETA1 = 0.9;
const ADAM_BETA2 = 0.99; // nanoGPT's choice for small batches
const ADAM_EPSILON = 1e-8;
const FINAL_LR_FRACTION = 0.1;

export type ScheduleConfig = Pick<TrainConfig, 'learningRate' | 'warmupSteps' | 'steps'> & Partial<Pick<TrainConfig, 'schedule'>>;

/**
 * Learning rate for step s (1-based): linear warmup over warmupSteps, then (schedule, cosine when absent) cosine or
 * linear decay to 10% of peak at the last step, or the peak throughout.
 */
export function learningRateAt(step: number, config: ScheduleConfig): number {
  const { learningRate: peak, warmupSteps: warmup, steps } = config;
  if (step <= warmup) return (peak * step) / warmup;
  const schedule = config.schedule ?? 'cosine';
  if (schedule === 'constant') return peak;
  const progress = steps > warmup ? Math.min(1, (step - warmup) / (steps - warmup)) : 1;
  const floor = peak * FINAL_LR_FRACTION;
  if (schedule === 'linear') return peak - (peak - floor) * progress;
  return floor + 0.5 * (peak - floor) * (1 + Math.cos(Math.PI * progress));
}

export interface StepTensors {
  loss: tf.Scalar; // mean over the micro-batches
  gradNorm: tf.Scalar; // of the averaged gradient, before clipping
}

export type OptimizerConfig = Pick<TrainConfig, 'learningRate' | 'gradClip' | 'weightDecay' | 'gradAccumulation'>;

/** Parameter count of a set of weights. */
export const countParameters = (params: ReadonlyMap<string, tf.Variable>): number => [...params.values()].reduce((n, v) => n + v.size, 0);

export class AdamW {
  private readonly adam: tf.AdamOptimizer;
  private readonly names: string[];
  private readonly vars: tf.Variable[];
  private readonly decayed: tf.Variable[];

  /**
   * `params`: the weights to train, by name (their order fixes the saved state's order); `decays(name, v)`: whether
   * weight decay applies to one.
   */
  constructor(
    params: ReadonlyMap<string, tf.Variable>,
    private readonly config: OptimizerConfig,
    decays: (name: string, variable: tf.Variable) => boolean,
  ) {
    this.adam = tf.train.adam(config.learningRate, ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON);
    this.names = [...params.keys()];
    this.vars = [...params.values()];
    this.decayed = [...params].filter(([name, v]) => decays(name, v)).map(([, v]) => v);
  }

  /**
   * One optimizer step at learning rate `lr`: `lossOf(i)` for micro-batch i = 0 … gradAccumulation − 1 (built inside
   * a gradient tape; it may read the batch lazily). The caller disposes the two scalars returned.
   */
  step(lossOf: (micro: number) => tf.Scalar, lr: number): StepTensors {
    const k = this.config.gradAccumulation;
    const initial = tf.variableGrads(() => lossOf(0), this.vars);
    let lossSum: tf.Tensor = initial.value;
    let sum: tf.Tensor[] = this.vars.map((v) => initial.grads[v.name]);
    for (let i = 1; i < k; i++) {
      const { value, grads } = tf.variableGrads(() => lossOf(i), this.vars);
      const [before, lossBefore] = [sum, lossSum];
      sum = tf.tidy(() => before.map((s, j) => tf.add(s, grads[this.vars[j].name])));
      lossSum = tf.add(lossBefore, value);
      tf.dispose([...before, lossBefore, ...Object.values(grads), value]);
    }
    // k = 1 keeps the gradients as they are, so plain Adam's numbers are reproduced exactly
    const grads = k === 1 ? sum : tf.tidy(() => sum.map((g) => tf.div(g, k)));
    const loss = (k === 1 ? lossSum : tf.div(lossSum, k)) as tf.Scalar;
    if (k > 1) tf.dispose([...sum, lossSum]);
    // pairwise adds, not addN: webgpu's AddN shader takes one storage buffer per input and fails to build past the
    // device's limit (8 on SwiftShader), silently giving a wrong norm
    const gradNorm = tf.tidy(() => tf.sqrt(grads.map((g) => tf.sum(tf.square(g))).reduce((a, b) => tf.add(a, b))) as tf.Scalar);
    const applied = tf.tidy(() => {
      if (this.config.gradClip <= 0) return grads;
      // scale = min(1, clip / norm), kept on the device: no sync needed on a GPU
      const scale = tf.minimum(1, tf.div(this.config.gradClip, tf.add(gradNorm, 1e-6)));
      return grads.map((g) => tf.mul(g, scale));
    });
    if (this.config.weightDecay > 0) {
      const keep = 1 - lr * this.config.weightDecay;
      for (const v of this.decayed) tf.tidy(() => v.assign(tf.mul(v, keep)));
    }
    (this.adam as unknown as { learningRate: number }).learningRate = lr; // read by every applyGradients
    this.adam.applyGradients(this.vars.map((v, j) => ({ name: v.name, tensor: applied[j] }))); // in parameter order
    tf.dispose(applied === grads ? grads : [...grads, ...applied]);
    return { loss, gradNorm };
  }

  /** Adam's moment estimates (m.<name>, v.<name>), read back from the backend. */
  async state(): Promise<NamedArray[]> {
    const all = await this.adam.getWeights(); // [iterations, m₀…mₙ, v₀…vₙ] in parameter order
    all[0].tensor.dispose(); // a fresh scalar made by getWeights
    const weights = all.slice(1);
    const n = this.names.length;
    if (weights.length !== 2 * n) return [];
    return Promise.all(
      weights.map(async ({ tensor }, i) => ({
        name: `${i < n ? 'm' : 'v'}.${this.names[i % n]}`,
        shape: tensor.shape,
        data: (await tensor.data()) as Float32Array,
      })),
    );
  }

  /** Puts saved moments back as they were after `step` steps (tfjs rebuilds its bias corrections from the count). */
  async restore(saved: { step: number; optimizerState: NamedArray[] }): Promise<void> {
    const byName = new Map(saved.optimizerState.map((t) => [t.name, t]));
    const moments = ['m', 'v'].flatMap((kind) =>
      this.names.map((name) => {
        const t = byName.get(`${kind}.${name}`);
        if (!t) throw new Error(`The checkpoint's optimizer state has no '${kind}.${name}'; it cannot be resumed.`);
        return { name: `${name}/${kind}`, tensor: tf.tensor(t.data, t.shape, 'float32') };
      }),
    );
    // tfjs sets accBeta = beta^(iterations + 1), the value after `iterations` steps
    const iterations = tf.scalar(saved.step, 'int32');
    await this.adam.setWeights([{ name: 'iter', tensor: iterations }, ...moments]);
    tf.dispose([iterations, ...moments.map((m) => m.tensor)]);
  }

  dispose(): void {
    this.adam.dispose();
  }
}

/** Counts validation passes without a lower val_loss; `patience` 0 never stops. */
export class EarlyStopping {
  bestLoss = Infinity;
  bestStep = 0;
  private sinceBest = 0;

  constructor(private readonly patience: number) {}

  /** Records a validation pass; true when the run should stop here. */
  observe(step: number, valLoss: number): boolean {
    if (valLoss < this.bestLoss) {
      this.bestLoss = valLoss;
      this.bestStep = step;
      this.sinceBest = 0;
      return false;
    }
    this.sinceBest++;
    return this.patience > 0 && this.sinceBest >= this.patience;
  }

  /** The log line for a run stopped at `step`. */
  message(step: number): string {
    return `Stopped early after step ${step}: val_loss has not improved for ${this.sinceBest} evaluations (earlyStoppingPatience ${this.patience}); the best was ${this.bestLoss.toFixed(4)} at step ${this.bestStep}.`;
  }
}
