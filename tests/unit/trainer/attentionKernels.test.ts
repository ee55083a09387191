import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../../main/trainer/backend';
import { loadBlas } from '../../../main/trainer/kernels/blas';
import { fusedAttention } from '../../../main/trainer/kernels/fusedOps';
import { mulberry32 } from '../../../main/trainer/rng';
import * as tf from '../../../main/trainer/tfjs';

// The fused causal grouped-query attention (kernels/attentionKernels.ts) against attention written out with tfjs ops
// the way transformers' eager attention does it (repeat_kv, Q·Kᵀ·scale + mask, softmax, ·V): outputs and the
// gradients of a weighted sum for q, k and v, with and without a sliding window.
const { blas, reason } = loadBlas();
const describeBlas = blas ? describe : describe.skip;
if (!blas) console.warn(`attentionKernels.test: skipped, the fused attention needs the system BLAS: ${reason}`);

const randomTensor = (shape: number[], seed: number) => {
  const rng = mulberry32(seed);
  return tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.next() * 2 - 1), shape);
};

/** Eager attention: q (B, T, H, hd), k, v (B, T, Hkv, hd) → (B·T, H·hd). */
function eager(q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, scale: number, window: number): tf.Tensor {
  const [B, T, H, hd] = q.shape as number[];
  const G = H / (k.shape[2] as number);
  const heads = (x: tf.Tensor) => tf.transpose(x, [0, 2, 1, 3]); // (B, heads, T, hd)
  const repeat = (x: tf.Tensor) => tf.concat(tf.split(heads(x), x.shape[2] as number, 1).flatMap((h) => Array<tf.Tensor>(G).fill(h)), 1); // repeat_kv
  const mask = new Float32Array(T * T);
  for (let t = 0; t < T; t++) for (let j = 0; j < T; j++) if (j > t || (window > 0 && t - j >= window)) mask[t * T + j] = -1e9;
  const scores = tf.add(tf.mul(tf.matMul(heads(q), repeat(k), false, true), scale), tf.tensor2d(mask, [T, T]));
  const y = tf.matMul(tf.softmax(scores), repeat(v)); // (B, H, T, hd)
  return tf.reshape(tf.transpose(y, [0, 2, 1, 3]), [B * T, H * hd]);
}

describeBlas('fused attention', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    for (const window of [0, 3]) {
      it(`on ${backend}${window ? `, window ${window}` : ''}: matches eager attention and its gradients`, async () => {
        await selectBackend(backend);
        const [B, T, H, Hkv, hd] = [2, 7, 6, 2, 8];
        const q = randomTensor([B, T, H, hd], 1);
        const k = randomTensor([B, T, Hkv, hd], 2);
        const v = randomTensor([B, T, Hkv, hd], 3);
        const w = randomTensor([B * T, H * hd], 4);
        const scale = 1 / Math.sqrt(hd);
        const run = (f: (q: tf.Tensor, k: tf.Tensor, v: tf.Tensor) => tf.Tensor) =>
          tf.tidy(() => {
            const y = f(q, k, v);
            const grads = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.sum(tf.mul(f(a, b, c), w)))([q, k, v]);
            return [y, ...grads].map((t) => t.dataSync());
          });
        const before = tf.memory().numTensors;
        const fused = run((a, b, c) => fusedAttention(a, b, c, scale, window)!);
        const reference = run((a, b, c) => eager(a, b, c, scale, window));
        expect(tf.memory().numTensors).toBe(before);
        ['y', 'dq', 'dk', 'dv'].forEach((name, i) => {
          expect(fused[i].length, name).toBe(reference[i].length);
          fused[i].forEach((x, j) => expect(Math.abs(x - reference[i][j]), `${name}[${j}]`).toBeLessThan(2e-5));
        });
        tf.dispose([q, k, v, w]);
      });
    }
  }
});
