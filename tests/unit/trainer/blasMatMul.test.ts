import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../../main/trainer/backend';
import { loadBlas, physicalCores } from '../../../main/trainer/kernels/blas';
import { productShape } from '../../../main/trainer/kernels/blasMatMul';
import { mulberry32 } from '../../../main/trainer/rng';
import * as tf from '../../../main/trainer/tfjs';

// Matrix products on the system BLAS (kernels/blas.ts, kernels/blasMatMul.ts) on both CPU backends, against a plain
// triple loop: every layout autograd and attention ask for (transposed operands, batches, shared operands). Where no
// BLAS loads (no libopenblas0 / MKL / Accelerate), the products stay on the backends' own kernels and this says why.
const { blas, reason } = loadBlas();
const describeBlas = blas ? describe : describe.skip;
if (!blas) console.warn(`blasMatMul.test: skipped, no system BLAS: ${reason} (Debian: apt-get install libopenblas0-pthread)`);

const CASES: { a: number[]; b: number[]; ta?: boolean; tb?: boolean }[] = [
  { a: [5, 3], b: [3, 4] },
  { a: [3, 5], b: [3, 4], ta: true },
  { a: [5, 3], b: [4, 3], tb: true },
  { a: [3, 5], b: [4, 3], ta: true, tb: true },
  { a: [6, 5, 3], b: [6, 3, 4] },
  { a: [6, 3, 5], b: [6, 4, 3], ta: true, tb: true },
  { a: [6, 5, 3], b: [3, 4] }, // shared right operand: one tall product
  { a: [6, 3, 5], b: [3, 4], ta: true }, // …except when A's entries are stored transposed
  { a: [5, 3], b: [6, 3, 4] }, // shared left operand
  { a: [2, 3, 4, 7], b: [2, 3, 16, 7], tb: true }, // attention scores: Q·Kᵀ
  { a: [6, 5, 8], b: [6, 5, 8], ta: true },
  { a: [64, 96], b: [96, 40] },
];

const randomArray = (n: number, seed: number) => {
  const rng = mulberry32(seed);
  return Float32Array.from({ length: n }, () => rng.next() * 2 - 1);
};
const size = (s: number[]) => s.reduce((x, y) => x * y, 1);

/** op(A)·op(B) by the definition, in float64, broadcasting a batch of one. */
function reference(c: (typeof CASES)[number], a: Float32Array, b: Float32Array): Float64Array {
  const s = productShape(c.a, c.b, !!c.ta, !!c.tb)!;
  const { M, K, N, batchA, batchB } = s;
  const out = new Float64Array(size(s.outShape));
  for (let e = 0; e < Math.max(batchA, batchB); e++) {
    const oa = batchA === 1 ? 0 : e * M * K;
    const ob = batchB === 1 ? 0 : e * K * N;
    for (let i = 0; i < M; i++)
      for (let j = 0; j < N; j++) {
        let sum = 0;
        for (let k = 0; k < K; k++) sum += a[oa + (c.ta ? k * M + i : i * K + k)] * b[ob + (c.tb ? j * K + k : k * N + j)];
        out[e * M * N + i * N + j] = sum;
      }
  }
  return out;
}

describe('physicalCores', () => {
  it('counts at least one core and no more than the CPUs this process may use', async () => {
    const { availableParallelism } = await import('node:os');
    expect(physicalCores()).toBeGreaterThanOrEqual(1);
    expect(physicalCores()).toBeLessThanOrEqual(availableParallelism());
  });
});

describeBlas('BatchMatMul on the system BLAS', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    it(`on ${backend}: matches the definition for transposed, batched and shared-operand products`, async () => {
      const chosen = await selectBackend(backend);
      expect(chosen.device).toContain(`matrix products on ${blas!.description}`);
      const before = tf.memory().numTensors;
      CASES.forEach((c, i) => {
        const a = randomArray(size(c.a), 2 * i + 1);
        const b = randomArray(size(c.b), 2 * i + 2);
        const got = tf.tidy(() => tf.matMul(tf.tensor(a, c.a), tf.tensor(b, c.b), c.ta, c.tb).dataSync());
        const want = reference(c, a, b);
        expect(got.length, `case ${i}`).toBe(want.length);
        got.forEach((v, k) => expect(Math.abs(v - want[k]), `case ${i}[${k}]`).toBeLessThan(1e-4));
      });
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('gives the same gradients as the definition through autograd (dA = dY·Bᵀ, dB = Aᵀ·dY)', async () => {
    await selectBackend('wasm');
    const a = randomArray(4 * 6, 7);
    const b = randomArray(6 * 5, 8);
    const [da, db] = tf.tidy(() => tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.matMul(x, y)))([tf.tensor2d(a, [4, 6]), tf.tensor2d(b, [6, 5])]).map((g) => g.dataSync()));
    // d/dA sum(A·B) = 1·Bᵀ: every row of dA holds B's row sums; d/dB = Aᵀ·1: every column of dB holds A's column sums
    for (let i = 0; i < 4; i++) for (let k = 0; k < 6; k++) expect(da[i * 6 + k]).toBeCloseTo(b.slice(k * 5, k * 5 + 5).reduce((s, v) => s + v, 0), 5);
    for (let k = 0; k < 6; k++) for (let j = 0; j < 5; j++) expect(db[k * 5 + j]).toBeCloseTo([0, 1, 2, 3].reduce((s, i) => s + a[i * 6 + k], 0), 5);
  });
});
