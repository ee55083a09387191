import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../../main/trainer/backend';
import { addSavingNothing, fusedRmsNorm, fusedRope, fusedSwiGlu } from '../../../main/trainer/kernels/fusedOps';
import { mulberry32 } from '../../../main/trainer/rng';
import * as tf from '../../../main/trainer/tfjs';

// RMSNorm (Llama's w, Gemma's 1 + w) and the SwiGLU gate as one kernel each way (kernels/decoderKernels.ts), against
// the same functions written with tfjs ops: outputs and the gradients of a weighted sum for every input.
const randomTensor = (shape: number[], seed: number) => {
  const rng = mulberry32(seed);
  return tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.next() * 4 - 2), shape);
};

function compare(f: (...xs: tf.Tensor[]) => tf.Tensor, reference: (...xs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[]) {
  const w = tf.tidy(() => randomTensor(f(...inputs).shape, 99));
  const run = (g: (...xs: tf.Tensor[]) => tf.Tensor) =>
    tf.tidy(() => [g(...inputs), ...tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(g(...xs), w)))(inputs)].map((t) => t.dataSync()));
  const before = tf.memory().numTensors;
  const [got, want] = [run(f), run(reference)];
  expect(tf.memory().numTensors).toBe(before);
  got.forEach((values, i) => values.forEach((v, j) => expect(Math.abs(v - want[i][j]), `output ${i}[${j}]`).toBeLessThan(1e-4 * Math.max(1, Math.abs(want[i][j])))));
  w.dispose();
}

describe('fused decoder kernels', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    for (const plusOne of [0, 1] as const) {
      it(`on ${backend}: RMSNorm with gain ${plusOne ? '1 + w (Gemma)' : 'w (Llama)'}, over a row and over heads`, async () => {
        await selectBackend(backend);
        for (const shape of [[5, 12], [2, 3, 4, 8]]) {
          const x = randomTensor(shape, 1);
          const g = randomTensor([shape.at(-1)!], 2);
          compare(
            (a, b) => fusedRmsNorm(a, b, 1e-6, plusOne)!,
            (a, b) => tf.mul(tf.mul(a, tf.rsqrt(tf.add(tf.mean(tf.mul(a, a), -1, true), 1e-6))), plusOne ? tf.add(b, 1) : b),
            [x, g],
          );
          tf.dispose([x, g]);
        }
      });
    }
    it(`on ${backend}: RoPE (rotate_half) and an add that saves nothing`, async () => {
      await selectBackend(backend);
      const [B, T, heads, hd] = [2, 3, 2, 8];
      const x = randomTensor([B, T, heads, hd], 5);
      const [cos, sin] = [randomTensor([T, hd], 6), randomTensor([T, hd], 7)];
      const rotateHalf = (a: tf.Tensor) => {
        const [x1, x2] = tf.split(a, 2, -1);
        return tf.concat([tf.neg(x2), x1], -1);
      };
      const shaped = (t: tf.Tensor) => tf.reshape(t, [1, T, 1, hd]);
      compare((a) => fusedRope(a, cos, sin)!, (a) => tf.add(tf.mul(a, shaped(cos)), tf.mul(rotateHalf(a), shaped(sin))), [x]);
      const y = randomTensor([B, T, heads, hd], 8);
      compare((a, b) => addSavingNothing(tf.mul(a, b), b), (a, b) => tf.add(tf.mul(a, b), b), [x, y]);
      tf.dispose([x, y, cos, sin]);
    });
    it(`on ${backend}: silu(gate)·up`, async () => {
      await selectBackend(backend);
      const [gate, up] = [randomTensor([6, 20], 3), randomTensor([6, 20], 4)];
      compare((a, b) => fusedSwiGlu(a, b)!, (a, b) => tf.mul(tf.mul(a, tf.sigmoid(a)), b), [gate, up]);
      tf.dispose([gate, up]);
    });
  }
});
