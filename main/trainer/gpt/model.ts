// A GPT-2-layout causal transformer in plain tfjs-core ops: token + learned position embeddings, nLayer pre-LN blocks
// (multi-head causal self-attention, 4x MLP with GELU), a final LayerNorm, and an LM head tied to the token
// embedding. For classification, a linear head over the mask-weighted mean of the final hidden states.
//
// Embedding lookup is a row gather (kernels/embeddingKernels.ts) on wasm and cpu, whose gradient is a scatter-add the
// wasm backend otherwise lacks (no UnsortedSegmentSum); other backends use oneHot(ids)·wte.
//
// Parameter names follow Hugging Face's GPT-2 (Conv1D weights stored (in, out)), so checkpoints map onto it.
import * as tf from '../tfjs';
import type { Task } from '../../../common/protocol';
import { dense, dropout, embedding, gelu, layerNorm, splitHeads } from '../layers';
import { rngFor, type Rng } from '../rng';

export interface ModelShape {
  task: Task;
  vocabSize: number; // V
  numLabels: number; // L, classification only (0 for generation)
  nLayer: number;
  nHead: number; // H
  dModel: number; // C
  contextLength: number; // longest T
  dropout: number;
}

const INIT_STD = 0.02;
const NEG_INF = -1e9;

export class GptModel {
  /** Trainable weights by HF-style name, in creation order. */
  readonly params = new Map<string, tf.Variable>();
  /** (Tmax, Tmax): 0 on and below the diagonal, -1e9 above; added to attention scores. */
  private readonly causalMask: tf.Tensor2D;

  constructor(
    readonly shape: ModelShape,
    seed: number,
  ) {
    const { vocabSize: V, dModel: C, contextLength: T, nLayer, task, numLabels } = shape;
    if (C % shape.nHead !== 0) throw new Error(`dModel ${C} is not a multiple of nHead ${shape.nHead}.`);
    const rng = rngFor(seed, 'init');
    const residualStd = INIT_STD / Math.sqrt(2 * nLayer); // GPT-2: scale projections into the residual stream
    const normal = (name: string, dims: number[], std = INIT_STD) => this.add(name, tf.randomNormal(dims, 0, std, 'float32', rng.seed()));
    const zeros = (name: string, dims: number[]) => this.add(name, tf.zeros(dims));
    const ones = (name: string, dims: number[]) => this.add(name, tf.ones(dims));

    normal('wte.weight', [V, C]);
    normal('wpe.weight', [T, C]);
    for (let i = 0; i < nLayer; i++) {
      const p = `h.${i}.`;
      ones(`${p}ln_1.weight`, [C]);
      zeros(`${p}ln_1.bias`, [C]);
      normal(`${p}attn.c_attn.weight`, [C, 3 * C]);
      zeros(`${p}attn.c_attn.bias`, [3 * C]);
      normal(`${p}attn.c_proj.weight`, [C, C], residualStd);
      zeros(`${p}attn.c_proj.bias`, [C]);
      ones(`${p}ln_2.weight`, [C]);
      zeros(`${p}ln_2.bias`, [C]);
      normal(`${p}mlp.c_fc.weight`, [C, 4 * C]);
      zeros(`${p}mlp.c_fc.bias`, [4 * C]);
      normal(`${p}mlp.c_proj.weight`, [4 * C, C], residualStd);
      zeros(`${p}mlp.c_proj.bias`, [C]);
    }
    ones('ln_f.weight', [C]);
    zeros('ln_f.bias', [C]);
    if (task === 'classify') {
      normal('classifier.weight', [C, numLabels]);
      zeros('classifier.bias', [numLabels]);
    }
    this.causalMask = tf.tidy(() => {
      const row = tf.reshape(tf.range(0, T, 1, 'int32'), [T, 1]);
      const col = tf.reshape(tf.range(0, T, 1, 'int32'), [1, T]);
      return tf.where(tf.greater(col, row), tf.fill([T, T], NEG_INF), tf.zeros([T, T])) as tf.Tensor2D;
    });
  }

  private add(name: string, init: tf.Tensor): void {
    // Names left to tfjs (unique per process); our names are the map keys.
    this.params.set(name, tf.variable(init, true));
    init.dispose();
  }

  private p<R extends tf.Rank>(name: string): tf.Tensor<R> {
    const v = this.params.get(name);
    if (!v) throw new Error(`Model has no parameter ${name}.`);
    return v as unknown as tf.Tensor<R>;
  }

  get parameterCount(): number {
    let n = 0;
    for (const v of this.params.values()) n += v.size;
    return n;
  }

  /** Final hidden states after ln_f. tokens (B, T) int32 → (B, T, C). `rng` null = no dropout (evaluation). */
  hidden(tokens: tf.Tensor2D, rng: Rng | null): tf.Tensor3D {
    const [B, T] = tokens.shape;
    const { dModel: C, nLayer, contextLength } = this.shape;
    if (T > contextLength) throw new Error(`Sequence of ${T} tokens is longer than the context length ${contextLength}.`);
    const flat = tf.reshape(tokens, [B * T]) as tf.Tensor1D;
    const tokenEmb = embedding(this.p<tf.Rank.R2>('wte.weight'), flat); // (B·T, C)
    const posEmb = tf.slice(this.p<tf.Rank.R2>('wpe.weight'), [0, 0], [T, C]); // (T, C)
    let x = tf.add(tf.reshape(tokenEmb, [B, T, C]), posEmb) as tf.Tensor3D; // (B, T, C)
    for (let i = 0; i < nLayer; i++) x = this.block(x, i, rng);
    return layerNorm(x, this.p('ln_f.weight'), this.p('ln_f.bias')) as tf.Tensor3D;
  }

  /** Next-token logits with the head tied to wte.  hidden (B, T, C) → (B·T, V) */
  lmLogits(hidden: tf.Tensor3D): tf.Tensor2D {
    const [B, T, C] = hidden.shape;
    return tf.matMul(tf.reshape(hidden, [B * T, C]), this.p<tf.Rank.R2>('wte.weight'), false, true); // (B·T, C)·(C, V)
  }

  /** Class logits from the mean of hidden states where mask = 1.  hidden (B, T, C), mask (B, T) → (B, L) */
  classLogits(hidden: tf.Tensor3D, mask: tf.Tensor2D): tf.Tensor2D {
    const weights = tf.expandDims(mask, 2); // (B, T, 1)
    const count = tf.maximum(tf.sum(mask, 1, true), 1); // (B, 1); an empty text pools to zeros
    const pooled = tf.div(tf.sum(tf.mul(hidden, weights), 1), count) as tf.Tensor2D; // (B, C)
    return dense(pooled, this.p('classifier.weight'), this.p('classifier.bias'));
  }

  private block(x: tf.Tensor3D, i: number, rng: Rng | null): tf.Tensor3D {
    const [B, T, C] = x.shape;
    const p = `h.${i}.`;
    const rate = this.shape.dropout;
    const a = layerNorm(tf.reshape(x, [B * T, C]), this.p(`${p}ln_1.weight`), this.p(`${p}ln_1.bias`)) as tf.Tensor2D;
    const attn = dense(this.attention(a, B, T, i), this.p(`${p}attn.c_proj.weight`), this.p(`${p}attn.c_proj.bias`)); // (B·T, C)
    const x1 = tf.add(x, tf.reshape(dropout(attn, rate, rng), [B, T, C])) as tf.Tensor3D;
    const m = layerNorm(tf.reshape(x1, [B * T, C]), this.p(`${p}ln_2.weight`), this.p(`${p}ln_2.bias`)) as tf.Tensor2D;
    const up = gelu(dense(m, this.p(`${p}mlp.c_fc.weight`), this.p(`${p}mlp.c_fc.bias`))) as tf.Tensor2D; // (B·T, 4C)
    const down = dense(up, this.p(`${p}mlp.c_proj.weight`), this.p(`${p}mlp.c_proj.bias`)); // (B·T, C)
    return tf.add(x1, tf.reshape(dropout(down, rate, rng), [B, T, C])) as tf.Tensor3D;
  }

  /** Multi-head causal self-attention before the output projection.  (B·T, C) → (B·T, C) */
  private attention(x: tf.Tensor2D, B: number, T: number, i: number): tf.Tensor2D {
    const { nHead: H, dModel: C } = this.shape;
    const hd = C / H;
    const qkv = dense(x, this.p(`h.${i}.attn.c_attn.weight`), this.p(`h.${i}.attn.c_attn.bias`)); // (B·T, 3C)
    // kᵀ comes transposed, so the score matmul needs no transposed operand
    const [qh, khT, vh] = splitHeads(qkv, B, H); // (B·H, T, hd), (B·H, hd, T), (B·H, T, hd)
    const mask = T === this.shape.contextLength ? this.causalMask : tf.slice(this.causalMask, [0, 0], [T, T]);
    const scores = tf.add(tf.mul(tf.matMul(qh, khT), 1 / Math.sqrt(hd)), mask); // (B·H, T, T)
    const y = tf.matMul(tf.softmax(scores), vh); // (B·H, T, hd)
    return tf.reshape(tf.transpose(tf.reshape(y, [B, H, T, hd]), [0, 2, 1, 3]), [B * T, C]);
  }

  dispose(): void {
    for (const v of this.params.values()) v.dispose();
    this.params.clear();
    this.causalMask.dispose();
  }
}
