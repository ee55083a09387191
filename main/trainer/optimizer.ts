// The optimisation rules both training loops share (the char GPT in loop.ts, Llama fine-tuning in llama/fineTune.ts):
//   - the learning-rate schedule: linear warmup, then cosine or linear decay to 10% of peak, or constant;
//   - AdamW: tfjs's Adam update (β1 0.9, β2 0.99, its formulas and float32 bias corrections) plus decoupled weight
//     decay w ← w − lr·wd·w before each update (PyTorch's order), on the weights the caller marks (matrices, not
//     norms, biases or embedding tables). The update runs one weight at a time, each in its own tidy, the clip's
//     scale applied inside it: tfjs's AdamOptimizer keeps every weight's ~12 intermediates until the last weight is
//     done (6 GB for a 106M-parameter full fine-tune, past WebAssembly's heap), and a clipped copy of every gradient
//     beside the gradients; here a weight's temporaries and its gradient are freed as soon as it is updated;
//   - gradient accumulation: k micro-batches per step, their gradients averaged, the global-norm clip applied to
//     the average (so k micro-batches of B equal one batch of k·B);
//   - Adam's moments read out and put back, for resuming from a checkpoint;
//   - early stopping on val_loss.
// Memory: one accumulated gradient per trainable weight lives during a step; nothing is left behind after it.
import type { TrainConfig } from '../../common/config';
import type { NamedArray } from './safetensors';
import { fusedAdam, hasFusedAdam } from './kernels/fusedOps';
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
  private readonly names: string[];
  /**
   * Adam's first and second moments per weight, made at the first step (as tfjs's Adam makes them): on wasm and cpu
   * plain arrays outside the backend's memory, updated by one kernel (kernels/decoderKernels.ts); elsewhere variables.
   */
  private moments: ({ host: true; m: Float32Array; v: Float32Array } | { host: false; m: tf.Variable; v: tf.Variable })[] = [];
  /** β^t as tfjs keeps it: a float32 multiplied by β each step (β^(t+1) after a restore). */
  private accBeta1 = Math.fround(ADAM_BETA1);
  private accBeta2 = Math.fround(ADAM_BETA2);
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
    // scale = min(1, clip / norm), kept on the device: no sync needed on a GPU
    const scale = this.config.gradClip > 0 ? tf.tidy(() => tf.minimum(1, tf.div(this.config.gradClip, tf.add(gradNorm, 1e-6))) as tf.Scalar) : null;
    if (this.config.weightDecay > 0) {
      const keep = 1 - lr * this.config.weightDecay;
      for (const v of this.decayed) tf.tidy(() => v.assign(tf.mul(v, keep)));
    }
    this.applyAdam(grads, scale, lr);
    scale?.dispose();
    return { loss, gradNorm };
  }

  /**
   * tfjs's Adam update, weight by weight, disposing each gradient once its weight is updated:
   *   m ← β1·m + (1 − β1)·g,  v ← β2·v + (1 − β2)·g²,  w ← w − lr · (m / (1 − β1^t)) / (√(v / (1 − β2^t)) + ε)
   */
  private applyAdam(grads: tf.Tensor[], scale: tf.Scalar | null, lr: number): void {
    if (this.moments.length === 0) this.moments = this.vars.map((w) => this.newMoments(w.shape, null, null));
    const [correction1, correction2] = [Math.fround(1 - this.accBeta1), Math.fround(1 - this.accBeta2)];
    const oneMinusAcc1 = tf.scalar(correction1);
    const oneMinusAcc2 = tf.scalar(correction2);
    const one = scale ? null : tf.scalar(1);
    const step = { beta1: ADAM_BETA1, beta2: ADAM_BETA2, epsilon: ADAM_EPSILON, lr, correction1, correction2 }; // rounded in the kernel as tfjs rounds them
    this.vars.forEach((weight, j) => {
      const moments = this.moments[j];
      if (moments.host) {
        const updated = fusedAdam(grads[j], weight, scale ?? one!, moments.m, moments.v, step);
        weight.assign(updated);
        updated.dispose();
      } else {
        tf.tidy(() => {
          const g = scale ? tf.mul(grads[j], scale) : grads[j];
          const { m, v } = moments;
          const newM = tf.add(tf.mul(m, ADAM_BETA1), tf.mul(g, 1 - ADAM_BETA1));
          const newV = tf.add(tf.mul(v, ADAM_BETA2), tf.mul(tf.square(g), 1 - ADAM_BETA2));
          const mHat = tf.div(newM, oneMinusAcc1);
          const vHat = tf.div(newV, oneMinusAcc2);
          m.assign(newM);
          v.assign(newV);
          weight.assign(tf.add(tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), ADAM_EPSILON)), -lr), weight));
        });
      }
      grads[j].dispose();
    });
    tf.dispose([oneMinusAcc1, oneMinusAcc2, ...(one ? [one] : [])]);
    this.accBeta1 = Math.fround(this.accBeta1 * Math.fround(ADAM_BETA1));
    this.accBeta2 = Math.fround(this.accBeta2 * Math.fround(ADAM_BETA2));
  }

  /** Zero moments for a weight (or the saved ones), where this backend keeps them. */
  private newMoments(shape: number[], m: Float32Array | null, v: Float32Array | null): AdamW['moments'][number] {
    const size = shape.reduce((a, b) => a * b, 1);
    if (hasFusedAdam()) return { host: true, m: m ? Float32Array.from(m) : new Float32Array(size), v: v ? Float32Array.from(v) : new Float32Array(size) };
    // tidy disposes the tensors, not the variables made from them
    const variable = (data: Float32Array | null) => tf.tidy(() => tf.variable(data ? tf.tensor(data, shape, 'float32') : tf.zeros(shape), false));
    return { host: false, m: variable(m), v: variable(v) };
  }

  /** Adam's moment estimates (m.<name> for every weight, then v.<name>), read back from the backend. */
  async state(): Promise<NamedArray[]> {
    if (this.moments.length === 0) return [];
    const read = async (x: Float32Array | tf.Variable) => (x instanceof Float32Array ? Float32Array.from(x) : ((await x.data()) as Float32Array));
    const entries = [...this.moments.map(({ m }, i) => ({ name: `m.${this.names[i]}`, x: m })), ...this.moments.map(({ v }, i) => ({ name: `v.${this.names[i]}`, x: v }))];
    return Promise.all(entries.map(async ({ name, x }, i) => ({ name, shape: this.vars[i % this.vars.length].shape, data: await read(x) })));
  }

  /** Puts saved moments back as they were after `step` steps (tfjs rebuilds its bias corrections from the count). */
  async restore(saved: { step: number; optimizerState: NamedArray[] }): Promise<void> {
    const byName = new Map(saved.optimizerState.map((t) => [t.name, t]));
    const read = (kind: 'm' | 'v', name: string) => {
      const t = byName.get(`${kind}.${name}`);
      if (!t) throw new Error(`The checkpoint's optimizer state has no '${kind}.${name}'; it cannot be resumed.`);
      return Float32Array.from(t.data);
    };
    const moments = this.names.map((name, i) => this.newMoments(this.vars[i].shape, read('m', name), read('v', name)));
    this.disposeMoments();
    this.moments = moments;
    // as tfjs's setWeights does: β^(step + 1), the value after `step` steps
    this.accBeta1 = Math.fround(Math.pow(Math.fround(ADAM_BETA1), saved.step + 1));
    this.accBeta2 = Math.fround(Math.pow(Math.fround(ADAM_BETA2), saved.step + 1));
  }

  private disposeMoments(): void {
    for (const moments of this.moments) if (!moments.host) tf.dispose([moments.m, moments.v]);
    this.moments = [];
  }

  dispose(): void {
    this.disposeMoments();
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
