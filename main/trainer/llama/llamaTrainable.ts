// The Llama layout as trainable variables, with a batched causal forward pass (no KV cache) whose ops have gradients
// on the cpu and wasm backends: for fine-tuning a pretrained llama2.c model such as stories260K on a user's texts.
// Same computation as LlamaModel.forward (llamaModel.ts), written for a batch:
//   - embedding lookup as oneHot(ids)·E (wasm lacks UnsortedSegmentSum, the kernel behind gather's gradient);
//   - RoPE on adjacent pairs as x⊙cos + (x·R)⊙sin, R a fixed block-diagonal (D, D) matrix sending (a, b) to (-b, a),
//     so no 5-D reshapes or unstacks (exact: R's entries are 0 and ±1);
//   - grouped-query attention without tiling K and V: the G = H/Hkv query heads of each KV head are stacked along
//     the time axis, (B·Hkv, G·T, hs)·(B·Hkv, hs, T);
//   - the classifier tied to the embedding when the checkpoint shares it.
// Shapes: B batch, T tokens, N = B·T, C width, H heads, Hkv KV heads, hs head size, F SwiGLU width, V vocabulary.
// Parameters are keyed by Hugging Face Llama names; matrices are held (in, out) here (untransposed matmuls are the
// fast path on wasm) with RoPE on adjacent pairs; llamaCheckpoint.ts converts to HF's (out, in) rotate-half layout.
// An attached WeightAdapter (lora.ts) replaces each projection W by adapt(name, W) in the forward pass and in
// toWeights(), so checkpoints and inference copies hold the merged weights.
import * as tf from '../tfjs';
import { oneHotFloat } from '../layers';
import { loadLlama2cCheckpoint, type LlamaConfig, type LlamaWeights } from './llama2cCheckpoint';
import { LlamaModel, rmsNorm, swiGlu } from './llamaModel';
import { ropeTables } from './rope';

const NEG_INF = -1e9;

export const EMBED = 'model.embed_tokens.weight';
export const FINAL_NORM = 'model.norm.weight';
export const LM_HEAD = 'lm_head.weight';
export const layerName = (l: number, part: LayerPart): string => `model.layers.${l}.${LAYER_PARTS[part]}`;

/** Our per-layer weight → its HF Llama name within the layer. */
export const LAYER_PARTS = {
  rmsAtt: 'input_layernorm.weight',
  wq: 'self_attn.q_proj.weight',
  wk: 'self_attn.k_proj.weight',
  wv: 'self_attn.v_proj.weight',
  wo: 'self_attn.o_proj.weight',
  rmsFfn: 'post_attention_layernorm.weight',
  w1: 'mlp.gate_proj.weight',
  w2: 'mlp.down_proj.weight',
  w3: 'mlp.up_proj.weight',
} as const;
export type LayerPart = keyof typeof LAYER_PARTS;

/** LlamaWeights from a reader of each per-layer part plus the whole-model arrays. */
export function assembleWeights(
  perLayer: (part: LayerPart) => Float32Array[],
  rest: Pick<LlamaWeights, 'tokenEmbedding' | 'rmsFinal' | 'classifier' | 'sharedClassifier'>,
): LlamaWeights {
  const layers = Object.fromEntries((Object.keys(LAYER_PARTS) as LayerPart[]).map((part) => [part, perLayer(part)])) as Record<LayerPart, Float32Array[]>;
  return { ...layers, ...rest };
}
const MATRICES: readonly LayerPart[] = ['wq', 'wk', 'wv', 'wo', 'w1', 'w2', 'w3'];

/** Changes the projection weights the forward pass uses (LoRA).  weight (in, out) → (in, out) */
export interface WeightAdapter {
  adapt(name: string, weight: tf.Tensor2D): tf.Tensor2D;
}

export class LlamaTrainable {
  /** Trainable weights by HF name; matrices (in, out). */
  readonly params = new Map<string, tf.Variable>();
  readonly sharedClassifier: boolean;
  private readonly ropeCos: tf.Tensor2D; // (seqLen, C): cos of each query column's angle
  private readonly ropeSin: tf.Tensor2D; // (seqLen, C)
  private readonly rotateQ: tf.Tensor2D; // (C, C)
  private readonly rotateK: tf.Tensor2D; // (Hkv·hs, Hkv·hs)
  private adapter: WeightAdapter | null = null;

  constructor(
    readonly config: LlamaConfig,
    weights: LlamaWeights,
  ) {
    const { dim: C, hiddenDim: F, nHeads: H, nKvHeads: Hkv, vocabSize: V } = config;
    const kvDim = (Hkv * C) / H;
    this.sharedClassifier = weights.sharedClassifier;
    const add = (name: string, make: () => tf.Tensor) => {
      const init = tf.tidy(make);
      this.params.set(name, tf.variable(init, true));
      init.dispose();
    };
    const inOut = (w: Float32Array, out: number, inp: number) => () => tf.transpose(tf.tensor2d(w, [out, inp]));
    add(EMBED, () => tf.tensor2d(weights.tokenEmbedding, [V, C]));
    const shapes: Record<LayerPart, [number, number] | null> = { rmsAtt: null, wq: [C, C], wk: [kvDim, C], wv: [kvDim, C], wo: [C, C], rmsFfn: null, w1: [F, C], w2: [C, F], w3: [F, C] };
    for (let l = 0; l < config.nLayers; l++) {
      for (const part of Object.keys(LAYER_PARTS) as LayerPart[]) {
        const shape = shapes[part];
        const data = weights[part][l];
        add(layerName(l, part), shape ? inOut(data, shape[0], shape[1]) : () => tf.tensor1d(data));
      }
    }
    add(FINAL_NORM, () => tf.tensor1d(weights.rmsFinal));
    if (!this.sharedClassifier) add(LM_HEAD, inOut(weights.classifier, V, C));
    const tables = ropeTables(config);
    this.ropeCos = tables.cos;
    this.ropeSin = tables.sin;
    this.rotateQ = tables.rotate(C);
    this.rotateK = tables.rotate(kvDim);
  }

  /** From a legacy llama2.c checkpoint file (e.g. stories260K.bin). */
  static fromCheckpoint(bin: string): LlamaTrainable {
    const { config, weights } = loadLlama2cCheckpoint(bin);
    return new LlamaTrainable(config, weights);
  }

  private p<R extends tf.Rank>(name: string): tf.Tensor<R> {
    const v = this.params.get(name);
    if (!v) throw new Error(`The Llama model has no parameter ${name}.`);
    return v as unknown as tf.Tensor<R>;
  }

  /** Uses `adapter` for the projections from now on (null: the plain weights). It is not disposed here. */
  setAdapter(adapter: WeightAdapter | null): void {
    this.adapter = adapter;
  }

  /** A projection as the forward pass uses it: the variable, or the adapter's version of it. */
  private projection(name: string): tf.Tensor2D {
    const w = this.p<tf.Rank.R2>(name);
    return this.adapter ? this.adapter.adapt(name, w) : w;
  }

  /** The top `n` blocks' weights and the final norm (and an untied lm_head): what the 'freeze' method trains. */
  topLayerParams(n: number): Map<string, tf.Variable> {
    const picked = new Map<string, tf.Variable>();
    for (const [name, v] of this.params) {
      const layer = /^model\.layers\.(\d+)\./.exec(name);
      if (layer ? Number(layer[1]) >= this.config.nLayers - n : name !== EMBED) picked.set(name, v);
    }
    return picked;
  }

  get parameterCount(): number {
    let n = 0;
    for (const v of this.params.values()) n += v.size;
    return n;
  }

  /** Next-token logits at every position.  inputs (B, T) int32 → (B, T, V) */
  logits(inputs: tf.Tensor2D): tf.Tensor3D {
    const [B, T] = inputs.shape;
    return tf.tidy(() => tf.reshape(this.logitsFlat(inputs), [B, T, this.config.vocabSize]) as tf.Tensor3D);
  }

  /**
   * Mean next-token cross-entropy (nats) over the positions where mask = 1 (all positions without a mask).
   * inputs, targets (B, T) int32; mask (B, T) of 0/1. labelSmoothing ε: targets (1 − ε)·one-hot + ε/V (training only).
   */
  lossOn(inputs: tf.Tensor2D, targets: tf.Tensor2D, mask?: tf.Tensor2D, labelSmoothing = 0): tf.Scalar {
    return tf.tidy(() => {
      const [B, T] = inputs.shape;
      const N = B * T;
      const logits = this.logitsFlat(inputs); // (N, V)
      const onehot = oneHotFloat(tf.reshape(targets, [N]) as tf.Tensor1D, this.config.vocabSize);
      const perToken = tf.losses.softmaxCrossEntropy(onehot, logits, undefined, labelSmoothing, tf.Reduction.NONE); // (N)
      if (!mask) return tf.mean(perToken) as tf.Scalar;
      const weights = tf.reshape(tf.cast(mask, 'float32'), [N]);
      return tf.div(tf.sum(tf.mul(perToken, weights)), tf.maximum(tf.sum(weights), 1)) as tf.Scalar;
    });
  }

  /** inputs (B, T) → (N, V); not tidied (callers are). */
  private logitsFlat(inputs: tf.Tensor2D): tf.Tensor2D {
    const { dim: C, nHeads: H, nKvHeads: Hkv, vocabSize: V, seqLen } = this.config;
    const [B, T] = inputs.shape;
    if (T > seqLen) throw new Error(`A sequence of ${T} tokens is longer than the model's context of ${seqLen}.`);
    const N = B * T;
    const kvDim = (Hkv * C) / H;
    const embedding = this.p<tf.Rank.R2>(EMBED);
    let x = tf.matMul(oneHotFloat(tf.reshape(inputs, [N]) as tf.Tensor1D, V), embedding); // (N, V)·(V, C)
    const cosQ = tf.slice(this.ropeCos, [0, 0], [T, C]);
    const sinQ = tf.slice(this.ropeSin, [0, 0], [T, C]);
    const cosK = tf.slice(this.ropeCos, [0, 0], [T, kvDim]); // the per-head pattern repeats, so K uses Q's first columns
    const sinK = tf.slice(this.ropeSin, [0, 0], [T, kvDim]);
    const mask = causalMask(T);
    for (let l = 0; l < this.config.nLayers; l++) {
      const norm = (part: LayerPart) => this.p<tf.Rank.R1>(layerName(l, part));
      const w = (part: LayerPart) => this.projection(layerName(l, part));
      const h = rmsNorm(x, norm('rmsAtt')) as tf.Tensor2D;
      const q = rope(tf.matMul(h, w('wq')), B, T, cosQ, sinQ, this.rotateQ); // (B, T, C)
      const k = rope(tf.matMul(h, w('wk')), B, T, cosK, sinK, this.rotateK); // (B, T, kvDim)
      const v = tf.reshape(tf.matMul(h, w('wv')), [B, T, kvDim]) as tf.Tensor3D;
      const attended = this.attention(q, k, v, mask); // (N, C)
      x = tf.add(x, tf.matMul(attended, w('wo')));
      x = tf.add(x, swiGlu(rmsNorm(x, norm('rmsFfn')) as tf.Tensor2D, w('w1'), w('w2'), w('w3')));
    }
    const final = rmsNorm(x, this.p(FINAL_NORM)) as tf.Tensor2D;
    const head = this.sharedClassifier ? tf.transpose(embedding) : this.p<tf.Rank.R2>(LM_HEAD); // (C, V)
    return tf.matMul(final, head);
  }

  /** Causal grouped-query attention before the output projection.  q (B, T, C), k, v (B, T, Hkv·hs) → (N, C) */
  private attention(q: tf.Tensor3D, k: tf.Tensor3D, v: tf.Tensor3D, mask: tf.Tensor2D): tf.Tensor2D {
    const { dim: C, nHeads: H, nKvHeads: Hkv } = this.config;
    const [B, T] = q.shape;
    const hs = C / H;
    const G = H / Hkv;
    // Query heads j·G … j·G+G-1 share KV head j: stack them along time, (B·Hkv, G·T, hs)
    const qh = tf.reshape(tf.transpose(tf.reshape(q, [B, T, H, hs]), [0, 2, 1, 3]), [B * Hkv, G * T, hs]);
    const kT = tf.reshape(tf.transpose(tf.reshape(k, [B, T, Hkv, hs]), [0, 2, 3, 1]), [B * Hkv, hs, T]);
    const vh = tf.reshape(tf.transpose(tf.reshape(v, [B, T, Hkv, hs]), [0, 2, 1, 3]), [B * Hkv, T, hs]);
    const scores = tf.reshape(tf.mul(tf.matMul(qh, kT), 1 / Math.sqrt(hs)), [B * H, T, T]);
    const probs = tf.reshape(tf.softmax(tf.add(scores, mask)), [B * Hkv, G * T, T]);
    const y = tf.matMul(probs, vh); // (B·Hkv, G·T, hs) = (B, H, T, hs)
    return tf.reshape(tf.transpose(tf.reshape(y, [B, H, T, hs]), [0, 2, 1, 3]), [B * T, C]) as tf.Tensor2D;
  }

  /** The weights as llama2.c arrays ((out, in) row-major), read back from the backend. */
  toWeights(): LlamaWeights {
    const read = (name: string, transposed: boolean) => tf.tidy(() => (transposed ? tf.transpose(this.projection(name)) : this.p(name)).dataSync() as Float32Array);
    const perLayer = (part: LayerPart) => Array.from({ length: this.config.nLayers }, (_, l) => read(layerName(l, part), MATRICES.includes(part)));
    const tokenEmbedding = read(EMBED, false);
    return assembleWeights(perLayer, {
      tokenEmbedding,
      rmsFinal: read(FINAL_NORM, false),
      classifier: this.sharedClassifier ? tokenEmbedding : read(LM_HEAD, true),
      sharedClassifier: this.sharedClassifier,
    });
  }

  /** A KV-cached inference model with a copy of the current weights (for generation); dispose it separately. */
  toInference(): LlamaModel {
    return new LlamaModel(this.config, this.toWeights());
  }

  dispose(): void {
    for (const v of this.params.values()) v.dispose();
    this.params.clear();
    tf.dispose([this.ropeCos, this.ropeSin, this.rotateQ, this.rotateK]);
  }
}

/** Rotary positions on adjacent pairs.  x (N, D) → (B, T, D); cos, sin (T, D); rotate (D, D) */
function rope(x: tf.Tensor2D, B: number, T: number, cos: tf.Tensor2D, sin: tf.Tensor2D, rotate: tf.Tensor2D): tf.Tensor3D {
  const D = x.shape[1];
  const swapped = tf.reshape(tf.matMul(x, rotate), [B, T, D]); // (…, -x[2j+1], x[2j], …)
  return tf.add(tf.mul(tf.reshape(x, [B, T, D]), cos), tf.mul(swapped, sin)) as tf.Tensor3D;
}

/** 0 where key j ≤ query i, -1e9 above the diagonal.  → (T, T) */
function causalMask(T: number): tf.Tensor2D {
  const m = new Float32Array(T * T);
  for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) m[i * T + j] = NEG_INF;
  return tf.tensor2d(m, [T, T]);
}
