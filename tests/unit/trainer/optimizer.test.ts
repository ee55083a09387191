// The shared optimisation rules (main/trainer/optimizer.ts) on a small least-squares problem: y ≈ x·W + b.
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../main/trainer/backend';
import { AdamW, EarlyStopping, learningRateAt, type OptimizerConfig } from '../../../main/trainer/optimizer';
import { mulberry32 } from '../../../main/trainer/rng';
import * as tf from '../../../main/trainer/tfjs';

const IN = 6;
const OUT = 3;
const ROWS = 8;

/** A fixed problem: x (ROWS, IN), y (ROWS, OUT). */
function problem(): { x: Float32Array; y: Float32Array } {
  const r = mulberry32(7);
  return { x: Float32Array.from({ length: ROWS * IN }, () => r.next() * 2 - 1), y: Float32Array.from({ length: ROWS * OUT }, () => r.next() * 2 - 1) };
}

/** Fresh weights (W a matrix, b a vector) with the same start every time. */
function weights(): Map<string, tf.Variable> {
  const r = mulberry32(3);
  return new Map<string, tf.Variable>([
    ['w', tf.variable(tf.tensor2d(Float32Array.from({ length: IN * OUT }, () => r.next() - 0.5), [IN, OUT]))],
    ['b', tf.variable(tf.tensor1d(Float32Array.from({ length: OUT }, () => r.next() - 0.5)))],
  ]);
}

/** Mean squared error over rows [from, to). */
function mse(params: Map<string, tf.Variable>, from: number, to: number): tf.Scalar {
  const { x, y } = problem();
  return tf.tidy(() => {
    const xs = tf.tensor2d(x.subarray(from * IN, to * IN), [to - from, IN]);
    const ys = tf.tensor2d(y.subarray(from * OUT, to * OUT), [to - from, OUT]);
    const pred = tf.add(tf.matMul(xs, params.get('w')!), params.get('b')!);
    return tf.mean(tf.square(tf.sub(pred, ys))) as tf.Scalar;
  });
}

const CONFIG: OptimizerConfig = { learningRate: 0.05, gradClip: 0.5, weightDecay: 0, gradAccumulation: 1 };
const matricesOnly = (_: string, v: tf.Variable) => v.rank === 2;
const values = (params: Map<string, tf.Variable>, name: string) => Array.from(params.get(name)!.dataSync());
const norm = (xs: number[]) => Math.sqrt(xs.reduce((s, v) => s + v * v, 0));

/** `steps` AdamW steps on the whole problem (or in `micro` equal slices); returns the weights and the step values. */
function fit(config: OptimizerConfig, steps: number, decays = matricesOnly) {
  const params = weights();
  const optimizer = new AdamW(params, config, decays);
  const k = config.gradAccumulation;
  const log: { loss: number; gradNorm: number }[] = [];
  for (let s = 0; s < steps; s++) {
    const { loss, gradNorm } = optimizer.step((i) => mse(params, (i * ROWS) / k, ((i + 1) * ROWS) / k), config.learningRate);
    log.push({ loss: loss.dataSync()[0], gradNorm: gradNorm.dataSync()[0] });
    tf.dispose([loss, gradNorm]);
  }
  optimizer.dispose();
  const result = { w: values(params, 'w'), b: values(params, 'b'), log };
  params.forEach((v) => v.dispose());
  return result;
}

describe('learningRateAt', () => {
  const base = { learningRate: 1e-3, warmupSteps: 10, steps: 110 };
  it('warms up linearly, then follows the chosen schedule down to 10% of the peak (or stays there)', () => {
    for (const schedule of ['cosine', 'linear', 'constant'] as const) {
      expect(learningRateAt(5, { ...base, schedule })).toBeCloseTo(0.5e-3, 10);
      expect(learningRateAt(10, { ...base, schedule })).toBeCloseTo(1e-3, 10);
    }
    expect(learningRateAt(60, { ...base, schedule: 'cosine' })).toBeCloseTo(0.55e-3, 10);
    expect(learningRateAt(35, { ...base, schedule: 'cosine' })).toBeGreaterThan(learningRateAt(35, { ...base, schedule: 'linear' }));
    expect(learningRateAt(35, { ...base, schedule: 'linear' })).toBeCloseTo(1e-3 - 0.9e-3 * 0.25, 10);
    expect(learningRateAt(110, { ...base, schedule: 'linear' })).toBeCloseTo(1e-4, 10);
    expect(learningRateAt(110, { ...base, schedule: 'constant' })).toBeCloseTo(1e-3, 10);
    expect(learningRateAt(110, base)).toBeCloseTo(1e-4, 10); // cosine when the schedule is not given
  });
});

describe('AdamW', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  /** Five steps of ours against five of tfjs's AdamOptimizer with the same clipping, on the active backend. */
  const matchesTfjsAdam = () => {
    const ours = fit(CONFIG, 5);
    const params = weights();
    const adam = tf.train.adam(CONFIG.learningRate, 0.9, 0.99, 1e-8);
    for (let s = 0; s < 5; s++) {
      const vars = [...params.values()];
      const { value, grads } = tf.variableGrads(() => mse(params, 0, ROWS), vars);
      const clipped = tf.tidy(() => {
        const n = tf.sqrt(tf.addN(vars.map((v) => tf.sum(tf.square(grads[v.name])))));
        const scale = tf.minimum(1, tf.div(CONFIG.gradClip, tf.add(n, 1e-6)));
        return vars.map((v) => ({ name: v.name, tensor: tf.mul(grads[v.name], scale) }));
      });
      adam.applyGradients(clipped);
      tf.dispose([value, ...Object.values(grads), ...clipped.map((c) => c.tensor)]);
    }
    expect(ours.w).toEqual(values(params, 'w'));
    expect(ours.b).toEqual(values(params, 'b'));
    adam.dispose();
    params.forEach((v) => v.dispose());
  };

  it('without weight decay takes exactly the steps of tfjs Adam (β2 0.99) with the same clipping', () => matchesTfjsAdam());

  it('on wasm too, where the update runs in SIMD with the moments outside the heap (16 lanes and a tail of 2 here)', async () => {
    await selectBackend('wasm');
    try {
      matchesTfjsAdam();
    } finally {
      await selectBackend('cpu');
    }
  });

  it('with weight decay shrinks the matrices, and changes nothing where the caller exempts a weight', () => {
    const plain = fit({ ...CONFIG, gradClip: 0, learningRate: 0.01 }, 20);
    const decayed = fit({ ...CONFIG, gradClip: 0, learningRate: 0.01, weightDecay: 0.5 }, 20);
    expect(norm(decayed.w)).toBeLessThan(norm(plain.w) * 0.95);
    const exempt = fit({ ...CONFIG, gradClip: 0, learningRate: 0.01, weightDecay: 0.5 }, 20, () => false);
    expect(exempt.w).toEqual(plain.w);
    expect(exempt.b).toEqual(plain.b);
  });

  it('averages accumulated micro-batch gradients: 2 × 4 rows equal one batch of 8, clipping included', () => {
    const whole = fit({ ...CONFIG, gradAccumulation: 1 }, 3);
    const halves = fit({ ...CONFIG, gradAccumulation: 2 }, 3);
    const quarters = fit({ ...CONFIG, gradAccumulation: 4 }, 3);
    expect(whole.log[0].gradNorm).toBeGreaterThan(CONFIG.gradClip); // the clip is active
    for (const other of [halves, quarters]) {
      other.log.forEach((l, i) => {
        expect(l.loss).toBeCloseTo(whole.log[i].loss, 5);
        expect(l.gradNorm).toBeCloseTo(whole.log[i].gradNorm, 5);
      });
      other.w.forEach((v, i) => expect(Math.abs(v - whole.w[i])).toBeLessThan(1e-5));
    }
  });

  it('leaves no tensors behind across steps with accumulation, clipping and decay', () => {
    const params = weights();
    const optimizer = new AdamW(params, { ...CONFIG, gradAccumulation: 2, weightDecay: 0.1 }, matricesOnly);
    const counts: number[] = [];
    for (let s = 0; s < 4; s++) {
      const { loss, gradNorm } = optimizer.step((i) => mse(params, i * 4, i * 4 + 4), 0.01);
      tf.dispose([loss, gradNorm]);
      counts.push(tf.memory().numTensors);
    }
    expect(new Set(counts).size).toBe(1);
    optimizer.dispose();
    params.forEach((v) => v.dispose());
  });

  it('saves and restores its moments so a restored optimizer continues on the same path', async () => {
    const config = { ...CONFIG, weightDecay: 0.1 };
    const params = weights();
    const optimizer = new AdamW(params, config, matricesOnly);
    const stepOnce = (o: AdamW, p: Map<string, tf.Variable>) => tf.dispose(Object.values(o.step(() => mse(p, 0, ROWS), 0.02)));
    for (let s = 0; s < 3; s++) stepOnce(optimizer, params);
    const saved = { step: 3, optimizerState: await optimizer.state() };
    expect(saved.optimizerState.map((t) => t.name)).toEqual(['m.w', 'm.b', 'v.w', 'v.b']);
    const copy = new Map([...params].map(([n, v]) => [n, tf.variable(tf.tensor(v.dataSync(), v.shape))] as const));
    const restored = new AdamW(copy, config, matricesOnly);
    await restored.restore(saved);
    stepOnce(optimizer, params);
    stepOnce(restored, copy);
    // tfjs recomputes its bias corrections as β^t rather than a running product: equal to float rounding
    const want = values(params, 'w');
    values(copy, 'w').forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThan(1e-6));
    [optimizer, restored].forEach((o) => o.dispose());
    [...params.values(), ...copy.values()].forEach((v) => v.dispose());
  });
});

describe('EarlyStopping', () => {
  it('stops after `patience` evaluations without a lower val_loss and remembers the best step', () => {
    const stopping = new EarlyStopping(2);
    expect([3, 2.5, 2.6, 2.4, 2.4, 2.45].map((loss, i) => stopping.observe((i + 1) * 10, loss))).toEqual([false, false, false, false, false, true]);
    expect(stopping.bestStep).toBe(40);
    expect(stopping.message(60)).toMatch(/after step 60.*best was 2\.4000 at step 40/);
    const never = new EarlyStopping(0);
    expect([1, 2, 3, 4].some((loss, i) => never.observe(i, loss))).toBe(false);
  });
});
