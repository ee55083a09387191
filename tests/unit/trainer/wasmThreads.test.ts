import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../../main/trainer/backend';
import { mulberry32 } from '../../../main/trainer/rng';
import * as tf from '../../../main/trainer/tfjs';

// The threaded wasm build (wasmThreads.ts) with products on two threads, whatever this machine's core count: it must say so, give
// the numbers the reference cpu backend gives, and (as every test file here) let the process exit when done.
process.env.TUNEBENCH_WASM_THREADS = '2';

const values = (n: number, seed: number) => {
  const rng = mulberry32(seed);
  return Float32Array.from({ length: n }, () => rng.next() * 2 - 1);
};

/** A product big enough to be split across threads (kernels/wasmGemm.ts), and the gradient of a softmax over it. */
const compute = () =>
  tf.tidy(() => {
    const a = tf.tensor2d(values(256 * 64, 1), [256, 64]);
    const b = tf.tensor2d(values(64 * 96, 2), [64, 96]);
    const [ga] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.softmax(tf.matMul(x, y)), tf.range(0, 96))))([a, b]);
    return [tf.matMul(a, b).dataSync(), ga.dataSync()];
  });

describe('threaded wasm backend', () => {
  it('runs on two threads and matches the cpu backend', async () => {
    await selectBackend('cpu');
    const expected = compute();
    const chosen = await selectBackend('wasm');
    expect(chosen.device).toMatch(/, 2 threads$/);
    const got = compute();
    got.forEach((arr, i) => arr.forEach((v, j) => expect(Math.abs(v - expected[i][j]), `output ${i}[${j}]`).toBeLessThan(1e-4)));
  });
});
