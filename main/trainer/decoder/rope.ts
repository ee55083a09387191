// Rotary positions as transformers applies them (modeling_rope_utils.py + apply_rotary_pos_emb): inverse frequencies
// θ^(-2j/hd) for j < hd/2, stretched by the rope_type's rule, angles pos·f_j laid out twice along the head
// (emb = cat(freqs, freqs)), and q' = q⊙cos + rotate_half(q)⊙sin with rotate_half(x) = cat(−x[hd/2:], x[:hd/2]).
// rotate_half is a product with a fixed (hd, hd) matrix of 0 and ±1 (exact), so it has a gradient on every backend.
import * as tf from '../tfjs';
import type { RopeSpec } from './spec';
import { fusedRope } from '../kernels/fusedOps';

/** Inverse frequencies (hd/2) for a forward over `seqLen` positions (only 'dynamic' depends on it). */
export function inverseFrequencies(rope: RopeSpec, hd: number, seqLen: number): Float64Array {
  const half = hd / 2;
  const s = rope.scaling;
  let base = rope.theta;
  if (s.type === 'dynamic' && seqLen > s.originalMaxPositions) {
    // NTK-aware: the base grows with the sequence past the trained context
    base = base * Math.pow((s.factor * seqLen) / s.originalMaxPositions - (s.factor - 1), hd / (hd - 2));
  }
  const inv = new Float64Array(half);
  for (let j = 0; j < half; j++) inv[j] = 1 / Math.pow(base, (2 * j) / hd);
  if (s.type === 'linear') for (let j = 0; j < half; j++) inv[j] /= s.factor;
  if (s.type === 'llama3') {
    const lowWavelen = s.originalMaxPositions / s.lowFreqFactor;
    const highWavelen = s.originalMaxPositions / s.highFreqFactor;
    for (let j = 0; j < half; j++) {
      const wavelen = (2 * Math.PI) / inv[j];
      if (wavelen > lowWavelen) inv[j] /= s.factor; // low frequencies: stretched fully
      else if (wavelen >= highWavelen) {
        // medium: a blend of stretched and unchanged
        const smooth = (s.originalMaxPositions / wavelen - s.lowFreqFactor) / (s.highFreqFactor - s.lowFreqFactor);
        inv[j] = (1 - smooth) * (inv[j] / s.factor) + smooth * inv[j];
      }
    }
  }
  return inv;
}

/** cos and sin of positions start … start+T−1, in rotate-half layout.  → (T, hd) each */
export function ropeTables(rope: RopeSpec, hd: number, start: number, T: number): { cos: tf.Tensor2D; sin: tf.Tensor2D } {
  const inv = inverseFrequencies(rope, hd, start + T);
  const half = hd / 2;
  const cos = new Float32Array(T * hd);
  const sin = new Float32Array(T * hd);
  for (let t = 0; t < T; t++) {
    for (let j = 0; j < half; j++) {
      // float32 angle, as torch computes inv_freq @ positions in float32
      const angle = Math.fround(Math.fround(inv[j]) * (start + t));
      const c = Math.cos(angle);
      const sn = Math.sin(angle);
      cos[t * hd + j] = cos[t * hd + j + half] = c;
      sin[t * hd + j] = sin[t * hd + j + half] = sn;
    }
  }
  return { cos: tf.tensor2d(cos, [T, hd]), sin: tf.tensor2d(sin, [T, hd]) };
}

/** R with x·R = rotate_half(x) = cat(−x[hd/2:], x[:hd/2]).  → (hd, hd) */
export function rotateHalfMatrix(hd: number): tf.Tensor2D {
  const half = hd / 2;
  const r = new Float32Array(hd * hd);
  for (let c = 0; c < half; c++) {
    r[(c + half) * hd + c] = -1; // out[c] = −x[c + hd/2]
    r[c * hd + c + half] = 1; // out[c + hd/2] = x[c]
  }
  return tf.tensor2d(r, [hd, hd]);
}

/** Rotary positions on (…, T, heads, hd) rows.  x (B, T, heads, hd), cos/sin (T, hd), rotate (hd, hd) → same shape */
export function applyRope(x: tf.Tensor4D, cos: tf.Tensor2D, sin: tf.Tensor2D, rotate: tf.Tensor2D): tf.Tensor4D {
  const fused = fusedRope(x, cos, sin);
  if (fused) return fused as tf.Tensor4D;
  const [B, T, heads, hd] = x.shape;
  const rotated = tf.reshape(tf.matMul(tf.reshape(x, [B * T * heads, hd]), rotate), [B, T, heads, hd]);
  const c = tf.reshape(cos, [1, T, 1, hd]);
  const s = tf.reshape(sin, [1, T, 1, hd]);
  return tf.add(tf.mul(x, c), tf.mul(rotated, s)) as tf.Tensor4D;
}
