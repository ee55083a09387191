// The few building blocks tfjs-core lacks as ops (LayerNorm, GELU) plus a dense layer and seeded dropout, written
// from primitive ops whose gradients every backend has. Shapes: B batch, T tokens, C model width.
import * as tf from './tfjs';
import type { Rng } from './rng';

const LAYER_NORM_EPS = 1e-5;
const GELU_C = Math.sqrt(2 / Math.PI);

/** LayerNorm over the last axis: (x - mean) / sqrt(var + eps) * gain + bias.  (…, C) → (…, C) */
export function layerNorm(x: tf.Tensor, gain: tf.Tensor1D, bias: tf.Tensor1D): tf.Tensor {
  const mean = tf.mean(x, -1, true); // (…, 1)
  const centred = tf.sub(x, mean);
  const variance = tf.mean(tf.mul(centred, centred), -1, true); // (…, 1), biased like PyTorch
  return tf.add(tf.mul(tf.mul(centred, tf.rsqrt(tf.add(variance, LAYER_NORM_EPS))), gain), bias);
}

/**
 * GELU, tanh approximation (GPT-2): 0.5·x·(1 + tanh(u)) with u = √(2/π)·(x + 0.044715·x³), computed as the identical
 * x·sigmoid(2u): wasm's Sigmoid runs on XNNPACK (~2 ms for 1024×256) where its Tanh is scalar (~12 ms).
 */
export function gelu(x: tf.Tensor): tf.Tensor {
  const cube = tf.mul(x, tf.mul(x, x));
  const twiceInner = tf.mul(tf.add(x, tf.mul(cube, 0.044715)), 2 * GELU_C); // 2u
  return tf.mul(x, tf.sigmoid(twiceInner));
}

/** x·W + b with W stored (in, out), so no transposed matmul in the forward pass.  (N, in) → (N, out) */
export function dense(x: tf.Tensor2D, weight: tf.Tensor2D, bias: tf.Tensor1D): tf.Tensor2D {
  return tf.add(tf.matMul(x, weight), bias);
}

/** Inverted dropout with a mask drawn from `rng`, so the same seed gives the same masks on every backend. */
export function dropout<T extends tf.Tensor>(x: T, rate: number, rng: Rng | null): T {
  if (rate <= 0 || !rng) return x;
  return tf.dropout(x, rate, undefined, rng.seed()) as T;
}

/**
 * One-hot rows as float32.  (N) int32 → (N, depth). Built as int32 then cast: the wasm backend's OneHot kernel writes
 * int32 bit patterns whatever dtype it is asked for (1 reads back as 1.4e-45), tfjs 4.22.
 */
export function oneHotFloat(indices: tf.Tensor1D, depth: number): tf.Tensor2D {
  return tf.cast(tf.oneHot(indices, depth), 'float32') as tf.Tensor2D;
}
