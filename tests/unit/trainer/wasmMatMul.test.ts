import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../../main/trainer/backend';
import { mulberry32 } from '../../../main/trainer/rng';
import * as tf from '../../../main/trainer/tfjs';

// Our wasm kernels, not the system BLAS (kernels/blas.ts, tested in blasMatMul.test.ts): read when the first backend
// starts, so both backends here keep their own products and the cpu backend's loops are the reference.
process.env.TUNEBENCH_BLAS = 'off';

// The wasm BatchMatMul override (kernels/wasmMatMul.ts) must give the same numbers as the reference cpu kernels for
// every layout autograd and attention produce: transposed operands, batches, and batches against a shared operand.
const CASES: { a: number[]; b: number[]; ta?: boolean; tb?: boolean; productOnly?: boolean }[] = [
  { a: [5, 3], b: [3, 4] },
  { a: [3, 5], b: [3, 4], ta: true },
  { a: [5, 3], b: [4, 3], tb: true },
  { a: [3, 5], b: [4, 3], ta: true, tb: true },
  { a: [6, 5, 3], b: [6, 3, 4] }, // batched: one 2-D product per entry
  { a: [6, 3, 5], b: [6, 4, 3], ta: true, tb: true },
  // broadcast batches (tfjs has no gradient for these on any backend)
  { a: [6, 5, 3], b: [3, 4], productOnly: true }, // shared right operand: one tall product
  { a: [5, 3], b: [6, 3, 4], productOnly: true }, // shared left operand
  { a: [2, 3, 5, 3], b: [2, 3, 3, 4] },
  // rows a multiple of 4 and columns of 8: our SIMD kernels (kernels/wasmGemm.ts), 2-D with B packed, or batched
  { a: [8, 5], b: [5, 16] },
  { a: [5, 64], b: [72, 5], ta: true, tb: true }, // split across threads
  { a: [3, 4, 5], b: [5, 8], productOnly: true }, // a batch against a shared right operand: one tall product
  { a: [6, 8, 5], b: [6, 5, 16] },
  { a: [2, 3, 4, 7], b: [2, 3, 16, 7], tb: true }, // attention scores: Q·Kᵀ
  { a: [6, 5, 8], b: [6, 5, 8], ta: true }, // the scores' gradient for K
  { a: [8, 5], b: [6, 5, 16], productOnly: true }, // shared left operand
];

const randomArray = (n: number, seed: number) => {
  const rng = mulberry32(seed);
  return Float32Array.from({ length: n }, () => rng.next() * 2 - 1);
};
const size = (s: number[]) => s.reduce((x, y) => x * y, 1);

/** The product and (unless productOnly) both gradients of sum(product · w) for a fixed weighting w. */
async function compute(c: (typeof CASES)[number]): Promise<Float32Array[]> {
  return tf.tidy(() => {
    const a = tf.tensor(randomArray(size(c.a), 1), c.a);
    const b = tf.tensor(randomArray(size(c.b), 2), c.b);
    const product = tf.matMul(a, b, c.ta, c.tb);
    const w = tf.tensor(randomArray(product.size, 3), product.shape);
    if (c.productOnly) return [product.dataSync() as Float32Array];
    const grads = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x, y, c.ta, c.tb), w)))([a, b]);
    return [product, ...grads].map((t) => t.dataSync() as Float32Array);
  });
}

describe('wasm BatchMatMul override', () => {
  it('matches the cpu backend for transposed, batched and broadcast products and their gradients', async () => {
    await selectBackend('cpu');
    const expected = await Promise.all(CASES.map(compute));
    await selectBackend('wasm');
    const before = tf.memory().numTensors;
    for (let i = 0; i < CASES.length; i++) {
      const got = await compute(CASES[i]);
      got.forEach((values, j) => {
        expect(values.length, `case ${i} output ${j}`).toBe(expected[i][j].length);
        values.forEach((v, k) => expect(Math.abs(v - expected[i][j][k]), `case ${i} output ${j}[${k}]`).toBeLessThan(1e-5));
      });
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('leaves the operands of a batched product intact (it multiplies views into their memory)', async () => {
    await selectBackend('wasm');
    const a = tf.tensor(randomArray(6 * 5 * 3, 4), [6, 5, 3]);
    const b = tf.tensor(randomArray(6 * 3 * 4, 5), [6, 3, 4]);
    const [aBefore, bBefore] = [a.dataSync().slice(), b.dataSync().slice()];
    const first = tf.matMul(a, b);
    const filler = tf.fill([64, 64], 7); // reuses any memory the product wrongly freed
    const second = tf.matMul(a, b);
    expect(Array.from(a.dataSync())).toEqual(Array.from(aBefore));
    expect(Array.from(b.dataSync())).toEqual(Array.from(bBefore));
    expect(Array.from(second.dataSync())).toEqual(Array.from(first.dataSync()));
    tf.dispose([a, b, first, second, filler]);
  });
});
