// The few building blocks tfjs-core lacks as ops (LayerNorm, GELU) plus a dense layer, a token embedding, the split
// into attention heads and seeded dropout. On the wasm and cpu backends they run as fused kernels (kernels/fusedOps.ts);
// elsewhere they are written from primitive ops whose gradients every backend has. Shapes: B batch, T tokens, C width.
import * as tf from './tfjs';
import { fusedBagSum, fusedBiasAdd, fusedEmbedding, fusedGelu, fusedLayerNorm, fusedSplitHeads } from './kernels/fusedOps';
import type { Rng } from './rng';

const LAYER_NORM_EPS = 1e-5;
const GELU_C = Math.sqrt(2 / Math.PI);

/** LayerNorm over the last axis: (x - mean) / sqrt(var + eps) * gain + bias.  (…, C) → (…, C) */
export function layerNorm(x: tf.Tensor, gain: tf.Tensor1D, bias: tf.Tensor1D): tf.Tensor {
  return fusedLayerNorm(x, gain, bias, LAYER_NORM_EPS) ?? layerNormFromOps(x, gain, bias);
}

/** layerNorm from tfjs ops, for backends without the fused kernel (and as the reference in tests). */
export function layerNormFromOps(x: tf.Tensor, gain: tf.Tensor1D, bias: tf.Tensor1D): tf.Tensor {
  const mean = tf.mean(x, -1, true); // (…, 1)
  const centred = tf.sub(x, mean);
  const variance = tf.mean(tf.mul(centred, centred), -1, true); // (…, 1), biased like PyTorch
  return tf.add(tf.mul(tf.mul(centred, tf.rsqrt(tf.add(variance, LAYER_NORM_EPS))), gain), bias);
}

/** GELU, tanh approximation (GPT-2): 0.5·x·(1 + tanh(u)) with u = √(2/π)·(x + 0.044715·x³).  any shape */
export function gelu(x: tf.Tensor): tf.Tensor {
  return fusedGelu(x) ?? geluFromOps(x);
}

/**
 * gelu from tfjs ops, for backends without the fused kernel (and as the reference in tests), computed as the identical
 * x·sigmoid(2u): wasm's Sigmoid runs on XNNPACK (~2 ms for 1024×256) where its Tanh is scalar (~12 ms).
 */
export function geluFromOps(x: tf.Tensor): tf.Tensor {
  const cube = tf.mul(x, tf.mul(x, x));
  const twiceInner = tf.mul(tf.add(x, tf.mul(cube, 0.044715)), 2 * GELU_C); // 2u
  return tf.mul(x, tf.sigmoid(twiceInner));
}

/** x·W + b with W stored (in, out), so no transposed matmul in the forward pass.  (N, in) → (N, out) */
export function dense(x: tf.Tensor2D, weight: tf.Tensor2D, bias: tf.Tensor1D): tf.Tensor2D {
  const product = tf.matMul(x, weight);
  return (fusedBiasAdd(product, bias) ?? tf.add(product, bias)) as tf.Tensor2D;
}

/** Rows of `table` by token id.  table (V, C), ids (N) int32 → (N, C) */
export function embedding(table: tf.Tensor2D, ids: tf.Tensor1D): tf.Tensor2D {
  return (fusedEmbedding(table, ids) ?? tf.matMul(oneHotFloat(ids, table.shape[0]), table)) as tf.Tensor2D;
}

/** Weighted sums of rows of `table`, one per bag.  table (V, C), ids (N, K) int32, weights (N, K) → (N, C) */
export function bagSum(table: tf.Tensor2D, ids: tf.Tensor2D, weights: tf.Tensor2D): tf.Tensor2D {
  return (fusedBagSum(table, ids, weights) ?? bagSumFromOps(table, ids, weights)) as tf.Tensor2D;
}

export function bagSumFromOps(table: tf.Tensor2D, ids: tf.Tensor2D, weights: tf.Tensor2D): tf.Tensor2D {
  const [n, k] = ids.shape;
  const rows = tf.gather(table, tf.reshape(ids, [n * k])); // its gradient is a scatter-add (UnsortedSegmentSum)
  return tf.sum(tf.mul(tf.reshape(rows, [n, k, table.shape[1]]), tf.expandDims(weights, 2)), 1) as tf.Tensor2D;
}

/**
 * Queries, transposed keys and values per attention head from the fused q|k|v projection.
 * qkv (B·T, 3C) → q (B·H, T, hd), kᵀ (B·H, hd, T), v (B·H, T, hd), with hd = C / H
 */
export function splitHeads(qkv: tf.Tensor2D, B: number, H: number): [tf.Tensor3D, tf.Tensor3D, tf.Tensor3D] {
  return (fusedSplitHeads(qkv, B, H) ?? splitHeadsFromOps(qkv, B, H)) as [tf.Tensor3D, tf.Tensor3D, tf.Tensor3D];
}

/** splitHeads from tfjs ops, for backends without the fused kernel (and as the reference in tests). */
export function splitHeadsFromOps(qkv: tf.Tensor2D, B: number, H: number): tf.Tensor3D[] {
  const T = qkv.shape[0] / B;
  const hd = qkv.shape[1] / 3 / H;
  const [q, k, v] = tf.split(qkv, 3, 1).map((t) => tf.reshape(t, [B, T, H, hd])); // each (B, T, H, hd)
  const qh = tf.reshape(tf.transpose(q, [0, 2, 1, 3]), [B * H, T, hd]);
  // kᵀ built by one transpose, so the score matmul needs no transposed operand: (B·H, hd, T)
  const khT = tf.reshape(tf.transpose(k, [0, 2, 3, 1]), [B * H, hd, T]);
  const vh = tf.reshape(tf.transpose(v, [0, 2, 1, 3]), [B * H, T, hd]);
  return [qh, khT, vh] as tf.Tensor3D[];
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
