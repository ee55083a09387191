// Rotary position tables for the batched Llama forward (llamaTrainable.ts). llama2.c rotates adjacent pairs
// (x[2j], x[2j+1]) of each head by the angle pos·θ^(-2j/hs); here as full-width tables so that
// rope(x) = x⊙cos + (x·R)⊙sin, with R the block-diagonal matrix sending each pair (a, b) to (-b, a).
import * as tf from '../tfjs';
import type { LlamaConfig } from './llama2cCheckpoint';

export const ROPE_THETA = 10000;

export interface RopeTables {
  cos: tf.Tensor2D; // (seqLen, C): column c of head h uses pair j = (c mod hs) / 2
  sin: tf.Tensor2D; // (seqLen, C)
  /** R for a width D that is a whole number of heads.  → (D, D) */
  rotate(D: number): tf.Tensor2D;
}

export function ropeTables(config: Pick<LlamaConfig, 'dim' | 'nHeads' | 'seqLen'>): RopeTables {
  const { dim: C, nHeads: H, seqLen } = config;
  const hs = C / H;
  const cos = new Float32Array(seqLen * C);
  const sin = new Float32Array(seqLen * C);
  for (let pos = 0; pos < seqLen; pos++) {
    for (let c = 0; c < C; c++) {
      const j = Math.floor((c % hs) / 2);
      const angle = pos * Math.pow(ROPE_THETA, -(2 * j) / hs);
      cos[pos * C + c] = Math.cos(angle);
      sin[pos * C + c] = Math.sin(angle);
    }
  }
  return {
    cos: tf.tensor2d(cos, [seqLen, C]),
    sin: tf.tensor2d(sin, [seqLen, C]),
    rotate(D: number) {
      const r = new Float32Array(D * D);
      for (let j = 0; j < D; j += 2) {
        r[(j + 1) * D + j] = -1; // out[2j] = -x[2j+1]
        r[j * D + j + 1] = 1; // out[2j+1] = x[2j]
      }
      return tf.tensor2d(r, [D, D]);
    },
  };
}
