import { expect, it } from 'vitest';
import { selectBackend } from '../../../main/trainer/backend';
import * as tf from '../../../main/trainer/tfjs';

// kernels/wasmIdentity.ts: on wasm a clone (and every tensor the engine saves for a gradient) shares its source's
// buffer instead of copying it, and each stays readable until the last of them is disposed.
it('clones on wasm without copying, and keeps the buffer until the last holder is disposed', async () => {
  await selectBackend('wasm');
  const backend = tf.backend() as unknown as { numDataIds(): number };
  const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
  const before = backend.numDataIds();
  const y = tf.clone(x);
  expect(backend.numDataIds()).toBe(before);
  x.dispose();
  expect(Array.from(await y.data())).toEqual([1, 2, 3, 4, 5, 6]);
  y.dispose();
  expect(backend.numDataIds()).toBe(before - 1);

  // a gradient through ops that save their inputs (Mul saves both, Exp its output) matches the formula
  const a = tf.tensor1d([0.5, -1, 2]);
  const grad = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.exp(v), v)))(a);
  const expected = [0.5, -1, 2].map((v) => Math.exp(v) * (1 + v));
  Array.from(await grad.data()).forEach((g, i) => expect(g).toBeCloseTo(expected[i], 5));
  tf.dispose([a, grad]);
});
