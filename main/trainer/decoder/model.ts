// Any DecoderSpec as tfjs variables, with one forward pass for training (a batch, no cache) and for generation (one
// sequence, a KV cache). Per block, in the order transformers' modeling files use:
//   h = norm(x) → q, k, v projections (+ bias) → per-head q/k norm → RoPE → causal (sliding-window) grouped-query
//   attention → o projection (→ Gemma's post-attention norm) → x + …; then norm → gated or plain MLP (→ Gemma's
//   post-MLP norm) → x + …; finally norm → the head (tied to the embedding or not) → (soft-capped) logits.
// Matrices are kept as Hugging Face stores them, (out, in), and used through x·Wᵀ (the wasm GEMM reads a transposed
// operand where it lies). Parameters are keyed by the canonical names of decoder/names.ts; the family's folder maps
// those to and from its checkpoint's names. An attached LoRA (decoder/lora.ts) adds s·(x·Aᵀ)·Bᵀ to a projection.
// Shapes: B batch, T new tokens, S = cached + new positions, N = B·T, C, H, Hkv, G = H/Hkv, hd, F, V as in spec.ts.
import * as tf from '../tfjs';
import { addSavingNothing, fusedAttention, fusedLayerNorm, fusedRmsNorm, fusedSwiGlu } from '../kernels/fusedOps';
import { embedding, gelu, oneHotFloat } from '../layers';
import { canonicalShapes, layerParam, MODEL_PARAMS, type LayerParam } from './names';
import { applyRope, rotateHalfMatrix, ropeTables } from './rope';
import { specParameters, type DecoderSpec, type RopeSpec } from './spec';

const NEG_INF = -1e9;

/** What a projection's output gains from adapters (LoRA): added to x·Wᵀ + b.  x (N, in) → (N, out) or null */
export interface ProjectionAdapter {
  delta(name: string, x: tf.Tensor2D): tf.Tensor2D | null;
}

/** A layer's causal mask (T, S) of 0 / −∞, and its sliding window (null: none) for the fused kernel. */
interface AttentionMask {
  mask: tf.Tensor2D;
  window: number | null;
}

/** Keys and values of the positions seen so far, per layer: (1, Hkv, S, hd). Owned by the caller; dispose it. */
export class DecoderKvCache {
  readonly keys: (tf.Tensor4D | null)[];
  readonly values: (tf.Tensor4D | null)[];
  length = 0;

  constructor(layers: number) {
    this.keys = Array(layers).fill(null);
    this.values = Array(layers).fill(null);
  }

  dispose(): void {
    for (const t of [...this.keys, ...this.values]) t?.dispose();
    this.keys.fill(null);
    this.values.fill(null);
    this.length = 0;
  }
}

export class DecoderModel {
  /** Every weight by canonical name; which ones train is the method's choice (decoder/methods.ts). */
  readonly params = new Map<string, tf.Variable>();
  private readonly rotate: tf.Tensor2D | null; // (hd, hd)
  private adapter: ProjectionAdapter | null = null;

  /** `weights`: a tensor per canonical name (taken over: disposed here once copied into a variable). */
  constructor(
    readonly spec: DecoderSpec,
    weights: Map<string, tf.Tensor>,
  ) {
    const shapes = canonicalShapes(spec);
    for (const [name, shape] of shapes) {
      const t = weights.get(name);
      if (!t) throw new Error(`The ${spec.family} weights lack ${name}.`);
      if (t.shape.join() !== shape.join()) throw new Error(`The ${spec.family} weight ${name} has shape [${t.shape}], the config implies [${shape}].`);
      this.params.set(name, tf.variable(t, true)); // trainable: the method lists which ones train
      t.dispose();
    }
    for (const [name, t] of weights) if (!shapes.has(name)) t.dispose();
    this.rotate = spec.positions === 'rope' ? rotateHalfMatrix(spec.headDim) : null;
  }

  get parameterCount(): number {
    return specParameters(this.spec);
  }

  /** Uses `adapter` in every projection from now on (null: plain weights). Not disposed here. */
  setAdapter(adapter: ProjectionAdapter | null): void {
    this.adapter = adapter;
  }

  p<R extends tf.Rank>(name: string): tf.Tensor<R> {
    const v = this.params.get(name);
    if (!v) throw new Error(`The ${this.spec.family} model has no parameter ${name}.`);
    return v as unknown as tf.Tensor<R>;
  }

  newCache(): DecoderKvCache {
    return new DecoderKvCache(this.spec.layers);
  }

  /** Next-token logits at every position.  inputs (B, T) int32 → (B·T, V); not tidied (callers are). */
  logitsFlat(inputs: tf.Tensor2D, cache: DecoderKvCache | null = null): tf.Tensor2D {
    const x = this.finalHidden(inputs, cache);
    const head = this.spec.tiedHead ? this.p<tf.Rank.R2>(MODEL_PARAMS.embed) : this.p<tf.Rank.R2>(MODEL_PARAMS.head);
    const logits = tf.matMul(x, head, false, true); // (N, C)·(V, C)ᵀ
    return softcap(logits, this.spec.finalSoftcap) as tf.Tensor2D;
  }

  /** The final norm's output.  inputs (B, T) → (N, C). With a cache (B = 1) the new keys and values are appended. */
  finalHidden(inputs: tf.Tensor2D, cache: DecoderKvCache | null = null): tf.Tensor2D {
    const s = this.spec;
    const [B, T] = inputs.shape;
    const start = cache?.length ?? 0;
    if (start + T > s.maxPositions) throw new Error(`A sequence of ${start + T} positions is longer than the model's context of ${s.maxPositions}.`);
    const ids = tf.reshape(inputs, [B * T]) as tf.Tensor1D;
    let x = embedding(this.p(MODEL_PARAMS.embed), ids); // (N, C)
    if (s.embeddingScale !== 1) x = tf.mul(x, Math.fround(s.embeddingScale));
    if (s.positions === 'learned') {
      const pos = tf.slice(this.p<tf.Rank.R2>(MODEL_PARAMS.positions), [start, 0], [T, s.hidden]); // (T, C)
      x = tf.reshape(tf.add(tf.reshape(x, [B, T, s.hidden]), pos), [B * T, s.hidden]);
    }
    const tables = new Map<RopeSpec, { cos: tf.Tensor2D; sin: tf.Tensor2D }>();
    const ropeFor = (rope: RopeSpec) => {
      if (!tables.has(rope)) tables.set(rope, ropeTables(rope, s.headDim, start, T));
      return tables.get(rope)!;
    };
    const masks = new Map<string, tf.Tensor2D>();
    const maskFor = (window: number | null) => {
      const key = String(window);
      if (!masks.has(key)) masks.set(key, causalMask(T, start, window));
      return masks.get(key)!;
    };
    for (let l = 0; l < s.layers; l++) {
      const sliding = s.layerKinds[l] === 'sliding' && s.slidingWindow !== null;
      const mask = maskFor(sliding ? s.slidingWindow : null);
      const rope = s.positions === 'rope' ? ropeFor(sliding ? s.localRope : s.rope) : null;
      x = this.block(l, x, B, T, { mask, window: sliding ? s.slidingWindow : null }, rope, cache);
    }
    if (cache) cache.length = start + T;
    return this.norm(x, 'final_norm') as tf.Tensor2D;
  }

  /** One transformer block.  x (N, C) → (N, C) */
  private block(l: number, x: tf.Tensor2D, B: number, T: number, mask: AttentionMask, rope: { cos: tf.Tensor2D; sin: tf.Tensor2D } | null, cache: DecoderKvCache | null): tf.Tensor2D {
    const s = this.spec;
    const name = (part: LayerParam) => layerParam(l, part);
    const h = this.norm(x, name('attn_norm')) as tf.Tensor2D;
    let q = tf.reshape(this.linear(h, l, 'q'), [B, T, s.heads, s.headDim]) as tf.Tensor4D;
    let k = tf.reshape(this.linear(h, l, 'k'), [B, T, s.kvHeads, s.headDim]) as tf.Tensor4D;
    const v = tf.reshape(this.linear(h, l, 'v'), [B, T, s.kvHeads, s.headDim]) as tf.Tensor4D;
    if (s.qkNorm) {
      q = this.norm(q, name('q_norm')) as tf.Tensor4D;
      k = this.norm(k, name('k_norm')) as tf.Tensor4D;
    }
    if (rope) {
      q = applyRope(q, rope.cos, rope.sin, this.rotate!);
      k = applyRope(k, rope.cos, rope.sin, this.rotate!);
    }
    let attended = this.attention(l, q, k, v, mask, cache); // (N, H·hd)
    attended = this.linear(attended, l, 'o'); // (N, C)
    if (s.sandwichNorms) attended = this.norm(attended, name('post_attn_norm')) as tf.Tensor2D;
    x = addSavingNothing(x, attended) as tf.Tensor2D;
    const m = this.norm(x, name('mlp_norm')) as tf.Tensor2D;
    let out: tf.Tensor2D;
    if (s.mlp === 'gated') out = this.linear(this.gated(this.linear(m, l, 'gate'), this.linear(m, l, 'up')), l, 'down');
    else out = this.linear(this.activate(this.linear(m, l, 'up')) as tf.Tensor2D, l, 'down');
    if (s.sandwichNorms) out = this.norm(out, name('post_mlp_norm')) as tf.Tensor2D;
    return addSavingNothing(x, out) as tf.Tensor2D;
  }

  /**
   * Causal grouped-query attention; query head h reads KV head ⌊h/G⌋ (repeat_kv), without copying K and V: the G
   * query heads of a KV head are stacked along time.  q (B, T, H, hd), k, v (B, T, Hkv, hd) → (N, H·hd)
   */
  private attention(l: number, q: tf.Tensor4D, k: tf.Tensor4D, v: tf.Tensor4D, { mask, window }: AttentionMask, cache: DecoderKvCache | null): tf.Tensor2D {
    const s = this.spec;
    const [B, T, H, hd] = q.shape;
    if (!cache && s.attnSoftcap === null) {
      // training and scoring: one kernel each way where the system BLAS is there (kernels/attentionKernels.ts)
      const fused = fusedAttention(q, k, v, Math.fround(s.attentionScale), window ?? 0);
      if (fused) return fused as tf.Tensor2D;
    }
    const Hkv = s.kvHeads;
    const G = H / Hkv;
    let kh = tf.transpose(k, [0, 2, 1, 3]) as tf.Tensor4D; // (B, Hkv, T, hd)
    let vh = tf.transpose(v, [0, 2, 1, 3]) as tf.Tensor4D;
    if (cache) {
      const [pk, pv] = [cache.keys[l], cache.values[l]];
      if (pk && pv) {
        kh = tf.concat([pk, kh], 2);
        vh = tf.concat([pv, vh], 2);
      }
      cache.keys[l]?.dispose();
      cache.values[l]?.dispose();
      cache.keys[l] = tf.keep(kh);
      cache.values[l] = tf.keep(vh);
    }
    const S = kh.shape[2];
    const qh = tf.reshape(tf.transpose(q, [0, 2, 1, 3]), [B * Hkv, G * T, hd]);
    let scores = tf.mul(tf.matMul(qh, tf.reshape(kh, [B * Hkv, S, hd]), false, true), Math.fround(s.attentionScale)); // (B·Hkv, G·T, S)
    scores = softcap(scores, s.attnSoftcap) as tf.Tensor3D;
    const masked = tf.add(tf.reshape(scores, [B * H, T, S]), mask);
    const probs = tf.reshape(tf.softmax(masked), [B * Hkv, G * T, S]);
    const y = tf.matMul(probs, tf.reshape(vh, [B * Hkv, S, hd])); // (B·Hkv, G·T, hd) = (B, H, T, hd)
    return tf.reshape(tf.transpose(tf.reshape(y, [B, H, T, hd]), [0, 2, 1, 3]), [B * T, H * hd]) as tf.Tensor2D;
  }

  /** x·Wᵀ + b (+ the adapter's delta) for projection `part` of layer l.  (N, in) → (N, out) */
  private linear(x: tf.Tensor2D, l: number, part: 'q' | 'k' | 'v' | 'o' | 'gate' | 'up' | 'down'): tf.Tensor2D {
    const weight = layerParam(l, `${part}.weight`);
    let y: tf.Tensor2D = tf.matMul(x, this.p<tf.Rank.R2>(weight), false, true);
    const bias = this.params.get(layerParam(l, `${part}.bias`));
    if (bias) y = tf.add(y, bias) as tf.Tensor2D;
    const delta = this.adapter?.delta(weight, x);
    return delta ? (addSavingNothing(y, delta) as tf.Tensor2D) : y;
  }

  /** act(gate)·up; for SiLU (SwiGLU) saving only gate and up for the backward (fusedOps.ts).  (N, I), (N, I) → (N, I) */
  private gated(gate: tf.Tensor2D, up: tf.Tensor2D): tf.Tensor2D {
    const fused = this.spec.activation === 'silu' ? fusedSwiGlu(gate, up) : null;
    return (fused ?? tf.mul(this.activate(gate), up)) as tf.Tensor2D;
  }

  private activate(x: tf.Tensor): tf.Tensor {
    return this.spec.activation === 'silu' ? tf.mul(x, tf.sigmoid(x)) : gelu(x);
  }

  /** The spec's norm over the last axis with the weights `prefix`.weight (and .bias).  (…, D) → (…, D) */
  private norm(x: tf.Tensor, prefix: string): tf.Tensor {
    const s = this.spec;
    const w = this.p<tf.Rank.R1>(`${prefix}.weight`);
    if (s.norm === 'layernorm') {
      const b = this.p<tf.Rank.R1>(`${prefix}.bias`);
      return fusedLayerNorm(x, w, b, s.normEps) ?? layerNormOps(x, w, b, s.normEps);
    }
    const fused = fusedRmsNorm(x, w, s.normEps, s.norm === 'rms1p' ? 1 : 0);
    if (fused) return fused;
    const meanSquare = tf.mean(tf.mul(x, x), -1, true);
    const normed = tf.mul(x, tf.rsqrt(tf.add(meanSquare, s.normEps)));
    return tf.mul(normed, s.norm === 'rms1p' ? tf.add(w, 1) : w);
  }

  /**
   * Mean next-token cross-entropy (nats) over the positions where mask = 1 (all without a mask). labelSmoothing ε:
   * targets (1 − ε)·one-hot + ε/V.  inputs, targets (B, T) int32; mask (B, T) of 0/1
   */
  lossOn(inputs: tf.Tensor2D, targets: tf.Tensor2D, mask?: tf.Tensor2D, labelSmoothing = 0): tf.Scalar {
    return tf.tidy(() => {
      const [B, T] = inputs.shape;
      const N = B * T;
      const logits = this.logitsFlat(inputs); // (N, V)
      const onehot = oneHotFloat(tf.reshape(targets, [N]) as tf.Tensor1D, this.spec.vocabSize);
      const perToken = tf.losses.softmaxCrossEntropy(onehot, logits, undefined, labelSmoothing, tf.Reduction.NONE); // (N)
      if (!mask) return tf.mean(perToken) as tf.Scalar;
      const weights = tf.reshape(tf.cast(mask, 'float32'), [N]);
      return tf.div(tf.sum(tf.mul(perToken, weights)), tf.maximum(tf.sum(weights), 1)) as tf.Scalar;
    });
  }

  /** Logits for `tokens` after the cache's positions, one sequence; appends to the cache.  tokens (T) → (T, V) */
  forward(tokens: readonly number[], cache: DecoderKvCache | null = null): tf.Tensor2D {
    if (tokens.length === 0) throw new Error('forward needs at least one token.');
    const start = cache?.length ?? 0;
    const out = tf.tidy(() => this.logitsFlat(tf.tensor2d(Int32Array.from(tokens), [1, tokens.length], 'int32'), cache));
    if (cache && cache.length !== start + tokens.length) throw new Error('The KV cache did not advance.');
    return out;
  }

  dispose(): void {
    for (const v of this.params.values()) v.dispose();
    this.params.clear();
    this.rotate?.dispose();
  }
}

/** cap·tanh(x/cap), or x when cap is null. */
function softcap(x: tf.Tensor, cap: number | null): tf.Tensor {
  return cap === null ? x : tf.mul(tf.tanh(tf.div(x, cap)), cap);
}

function layerNormOps(x: tf.Tensor, gain: tf.Tensor1D, bias: tf.Tensor1D, eps: number): tf.Tensor {
  const mean = tf.mean(x, -1, true);
  const centred = tf.sub(x, mean);
  const variance = tf.mean(tf.mul(centred, centred), -1, true);
  return tf.add(tf.mul(tf.mul(centred, tf.rsqrt(tf.add(variance, eps))), gain), bias);
}

/**
 * Query i (absolute position start+i) sees keys j ≤ start+i, and with a window only those with start+i − j < window
 * (transformers' sliding_window_causal mask): 0 there, −1e9 elsewhere.  → (T, start+T)
 */
export function causalMask(T: number, start: number, window: number | null): tf.Tensor2D {
  const S = start + T;
  const m = new Float32Array(T * S);
  for (let i = 0; i < T; i++) {
    const pos = start + i;
    for (let j = 0; j < S; j++) if (j > pos || (window !== null && pos - j >= window)) m[i * S + j] = NEG_INF;
  }
  return tf.tensor2d(m, [T, S]);
}
