// A Llama-2-layout decoder in plain tfjs-core ops, for inference from imported weights (llama2.c run.c semantics):
// token embedding → nLayers × [RMSNorm → grouped-query attention with rotary positions → residual,
// RMSNorm → SwiGLU MLP → residual] → RMSNorm → classifier (tied to the embedding when the checkpoint says so).
// Shapes: T new tokens, S cached + new positions, C width, H query heads, Hkv KV heads, hs head size, F hidden width.
// Weights are held transposed to (in, out) so every matmul is untransposed (the fast layout on wasm).
import * as tf from '../tfjs';
import type { Llama2cCheckpoint, LlamaConfig, LlamaWeights } from './llama2cCheckpoint';
import { ROPE_THETA } from './rope';

const RMS_NORM_EPS = 1e-5;
const NEG_INF = -1e9;

interface LayerTensors {
  rmsAtt: tf.Tensor1D; // (C)
  wq: tf.Tensor2D; // (C, C)
  wk: tf.Tensor2D; // (C, Hkv·hs)
  wv: tf.Tensor2D; // (C, Hkv·hs)
  wo: tf.Tensor2D; // (C, C)
  rmsFfn: tf.Tensor1D; // (C)
  w1: tf.Tensor2D; // (C, F)
  w2: tf.Tensor2D; // (F, C)
  w3: tf.Tensor2D; // (C, F)
}

/** RMSNorm over the last axis: x / sqrt(mean(x²) + eps) · gain.  (…, C) → (…, C) */
export function rmsNorm(x: tf.Tensor, gain: tf.Tensor1D, eps = RMS_NORM_EPS): tf.Tensor {
  const meanSquare = tf.mean(tf.mul(x, x), -1, true); // (…, 1)
  return tf.mul(tf.mul(x, tf.rsqrt(tf.add(meanSquare, eps))), gain);
}

/** SiLU(x·W1) ⊙ (x·W3), then ·W2.  (N, C) → (N, C) */
export function swiGlu(x: tf.Tensor2D, w1: tf.Tensor2D, w2: tf.Tensor2D, w3: tf.Tensor2D): tf.Tensor2D {
  const gate = tf.matMul(x, w1); // (N, F)
  const silu = tf.mul(gate, tf.sigmoid(gate));
  return tf.matMul(tf.mul(silu, tf.matMul(x, w3)) as tf.Tensor2D, w2);
}

/**
 * Rotary positions on adjacent pairs (x[2j], x[2j+1]) within each head, angle pos·θ^(-2j/hs), as in run.c.
 * x (T, heads, hs), cos/sin (T, 1, hs/2) → (T, heads, hs)
 */
export function applyRope(x: tf.Tensor3D, cos: tf.Tensor3D, sin: tf.Tensor3D): tf.Tensor3D {
  const [T, heads, hs] = x.shape;
  const pairs = tf.reshape(x, [T, heads, hs / 2, 2]);
  const [even, odd] = tf.unstack(pairs, 3) as tf.Tensor3D[]; // (T, heads, hs/2) each
  const rotatedEven = tf.sub(tf.mul(even, cos), tf.mul(odd, sin));
  const rotatedOdd = tf.add(tf.mul(even, sin), tf.mul(odd, cos));
  return tf.reshape(tf.stack([rotatedEven, rotatedOdd], 3), [T, heads, hs]);
}

/** Keys and values of the positions seen so far, per layer: (S, Hkv·hs) each. Owned by the caller; dispose it. */
export class LlamaKvCache {
  keys: (tf.Tensor2D | null)[];
  values: (tf.Tensor2D | null)[];
  length = 0;

  constructor(nLayers: number) {
    this.keys = Array(nLayers).fill(null);
    this.values = Array(nLayers).fill(null);
  }

  dispose(): void {
    for (const t of [...this.keys, ...this.values]) t?.dispose();
    this.keys.fill(null);
    this.values.fill(null);
    this.length = 0;
  }
}

export class LlamaModel {
  readonly headSize: number; // hs
  private readonly embedding: tf.Tensor2D; // (V, C)
  private readonly classifier: tf.Tensor2D; // (C, V)
  private readonly rmsFinal: tf.Tensor1D; // (C)
  private readonly layers: LayerTensors[];
  private readonly ropeCos: tf.Tensor2D; // (seqLen, hs/2)
  private readonly ropeSin: tf.Tensor2D; // (seqLen, hs/2)

  constructor(
    readonly config: LlamaConfig,
    weights: LlamaWeights,
  ) {
    const { dim: C, hiddenDim: F, nHeads: H, nKvHeads: Hkv, vocabSize: V, seqLen } = config;
    const hs = (this.headSize = C / H);
    const kvDim = Hkv * hs;
    // (out, in) row-major → (in, out)
    const inOut = (w: Float32Array, out: number, inp: number) => tf.keep(tf.tidy(() => tf.transpose(tf.tensor2d(w, [out, inp])))) as tf.Tensor2D;
    this.embedding = tf.tensor2d(weights.tokenEmbedding, [V, C]);
    this.classifier = inOut(weights.classifier, V, C);
    this.rmsFinal = tf.tensor1d(weights.rmsFinal);
    this.layers = Array.from({ length: config.nLayers }, (_, l) => ({
      rmsAtt: tf.tensor1d(weights.rmsAtt[l]),
      wq: inOut(weights.wq[l], C, C),
      wk: inOut(weights.wk[l], kvDim, C),
      wv: inOut(weights.wv[l], kvDim, C),
      wo: inOut(weights.wo[l], C, C),
      rmsFfn: tf.tensor1d(weights.rmsFfn[l]),
      w1: inOut(weights.w1[l], F, C),
      w2: inOut(weights.w2[l], C, F),
      w3: inOut(weights.w3[l], F, C),
    }));
    const cos = new Float32Array(seqLen * (hs / 2));
    const sin = new Float32Array(seqLen * (hs / 2));
    for (let pos = 0; pos < seqLen; pos++) {
      for (let j = 0; j < hs / 2; j++) {
        const angle = pos * Math.pow(ROPE_THETA, -(2 * j) / hs);
        cos[pos * (hs / 2) + j] = Math.cos(angle);
        sin[pos * (hs / 2) + j] = Math.sin(angle);
      }
    }
    this.ropeCos = tf.tensor2d(cos, [seqLen, hs / 2]);
    this.ropeSin = tf.tensor2d(sin, [seqLen, hs / 2]);
  }

  static fromCheckpoint(checkpoint: Llama2cCheckpoint): LlamaModel {
    return new LlamaModel(checkpoint.config, checkpoint.weights);
  }

  newCache(): LlamaKvCache {
    return new LlamaKvCache(this.config.nLayers);
  }

  /**
   * Logits for `tokens` placed after the cache's positions (from position 0 without a cache). With a cache, the new
   * keys and values are appended to it.  tokens (T) → (T, V)
   */
  forward(tokens: readonly number[], cache: LlamaKvCache | null = null): tf.Tensor2D {
    const { dim: C, nHeads: H, nKvHeads: Hkv, seqLen } = this.config;
    const hs = this.headSize;
    const T = tokens.length;
    const start = cache?.length ?? 0;
    const S = start + T;
    if (T === 0) throw new Error('forward needs at least one token.');
    if (S > seqLen) throw new Error(`Sequence of ${S} positions exceeds the model's context of ${seqLen}.`);
    const newCache: tf.Tensor2D[][] = [];
    const logits = tf.tidy(() => {
      const ids = tf.tensor1d(Int32Array.from(tokens), 'int32');
      let x = tf.gather(this.embedding, ids) as tf.Tensor2D; // (T, C)
      const cos = tf.reshape(tf.slice(this.ropeCos, [start, 0], [T, hs / 2]), [T, 1, hs / 2]) as tf.Tensor3D;
      const sin = tf.reshape(tf.slice(this.ropeSin, [start, 0], [T, hs / 2]), [T, 1, hs / 2]) as tf.Tensor3D;
      const mask = T > 1 ? causalMask(T, start) : null; // (T, S)
      const scale = 1 / Math.sqrt(hs);
      this.layers.forEach((layer, l) => {
        const h = rmsNorm(x, layer.rmsAtt) as tf.Tensor2D;
        const q = applyRope(tf.reshape(tf.matMul(h, layer.wq), [T, H, hs]), cos, sin); // (T, H, hs)
        const kNew = tf.reshape(applyRope(tf.reshape(tf.matMul(h, layer.wk), [T, Hkv, hs]), cos, sin), [T, Hkv * hs]) as tf.Tensor2D;
        const vNew: tf.Tensor2D = tf.matMul(h, layer.wv); // (T, Hkv·hs)
        const prevK = cache?.keys[l];
        const prevV = cache?.values[l];
        const k = prevK ? (tf.concat([prevK, kNew], 0) as tf.Tensor2D) : kNew; // (S, Hkv·hs)
        const v = prevV ? (tf.concat([prevV, vNew], 0) as tf.Tensor2D) : vNew;
        if (cache) newCache.push([tf.keep(k), tf.keep(v)]);
        const kHeads = repeatKvHeads(k, S, Hkv, H / Hkv, hs); // (H, S, hs)
        const vHeads = repeatKvHeads(v, S, Hkv, H / Hkv, hs);
        const qHeads = tf.transpose(q, [1, 0, 2]); // (H, T, hs)
        let scores = tf.mul(tf.matMul(qHeads, kHeads, false, true), scale); // (H, T, S)
        if (mask) scores = tf.add(scores, mask);
        const att = tf.matMul(tf.softmax(scores), vHeads); // (H, T, hs)
        const merged = tf.reshape(tf.transpose(att, [1, 0, 2]), [T, C]) as tf.Tensor2D;
        x = tf.add(x, tf.matMul(merged, layer.wo));
        x = tf.add(x, swiGlu(rmsNorm(x, layer.rmsFfn) as tf.Tensor2D, layer.w1, layer.w2, layer.w3));
      });
      return tf.matMul(rmsNorm(x, this.rmsFinal) as tf.Tensor2D, this.classifier); // (T, V)
    }) as tf.Tensor2D;
    if (cache) {
      newCache.forEach(([k, v], l) => {
        cache.keys[l]?.dispose();
        cache.values[l]?.dispose();
        cache.keys[l] = k;
        cache.values[l] = v;
      });
      cache.length = S;
    }
    return logits;
  }

  get parameterCount(): number {
    const { dim: C, hiddenDim: F, nLayers, nHeads: H, nKvHeads: Hkv, vocabSize: V } = this.config;
    const kvDim = (Hkv * C) / H;
    return V * C + nLayers * (2 * C + 2 * C * C + 2 * kvDim * C + 3 * F * C) + C;
  }

  dispose(): void {
    tf.dispose([this.embedding, this.classifier, this.rmsFinal, this.ropeCos, this.ropeSin]);
    for (const layer of this.layers) tf.dispose(Object.values(layer));
  }
}

/** Query i (absolute position start+i) sees keys 0…start+i: 0 there, -1e9 beyond.  → (T, start+T) */
function causalMask(T: number, start: number): tf.Tensor2D {
  const S = start + T;
  const m = new Float32Array(T * S);
  for (let i = 0; i < T; i++) for (let j = start + i + 1; j < S; j++) m[i * S + j] = NEG_INF;
  return tf.tensor2d(m, [T, S]);
}

/** Each KV head serves `groups` consecutive query heads (run.c: kv head = h / kv_mul).  (S, Hkv·hs) → (H, S, hs) */
function repeatKvHeads(x: tf.Tensor2D, S: number, Hkv: number, groups: number, hs: number): tf.Tensor3D {
  const heads = tf.transpose(tf.reshape(x, [S, Hkv, 1, hs]), [1, 2, 0, 3]); // (Hkv, 1, S, hs)
  const repeated = groups === 1 ? heads : tf.tile(heads, [1, groups, 1, 1]); // (Hkv, groups, S, hs)
  return tf.reshape(repeated, [Hkv * groups, S, hs]) as tf.Tensor3D;
}
