// One description of a decoder-only transformer that every supported family maps its config.json onto (the litgpt
// way: one model whose details are switched by a config). The families' folders (main/trainer/families/) read a
// Hugging Face config into a DecoderSpec and name its tensors; decoder/model.ts runs any spec.
// Shapes: V vocabulary, C hidden width, H query heads, Hkv key/value heads, hd head size, F MLP width, P positions.
import { shapeParameters } from '../../../common/estimate';

/** How the angles of rotary positions are stretched for long contexts (transformers' rope_type). */
export type RopeScaling =
  | { type: 'default' }
  | { type: 'linear'; factor: number }
  | { type: 'dynamic'; factor: number; originalMaxPositions: number }
  | { type: 'llama3'; factor: number; lowFreqFactor: number; highFreqFactor: number; originalMaxPositions: number };

export interface RopeSpec {
  theta: number; // base of the inverse frequencies θ^(-2j/hd)
  scaling: RopeScaling;
}

export type LayerKind = 'full' | 'sliding';

export interface DecoderSpec {
  family: string; // the family's id in families/index.ts
  vocabSize: number; // V
  hidden: number; // C
  layers: number;
  heads: number; // H
  kvHeads: number; // Hkv; H is a multiple of it
  headDim: number; // hd; H·hd need not equal C (Qwen3, Gemma 3)
  intermediate: number; // F
  maxPositions: number; // P: the longest context the model was trained for
  /** rms: x/rms(x)·w; rms1p: x/rms(x)·(1 + w) (Gemma); layernorm: with mean and bias (GPT-2). */
  norm: 'rms' | 'rms1p' | 'layernorm';
  normEps: number;
  /** gated: down(act(gate(x)) ⊙ up(x)) (Llama, Qwen, Gemma); plain: down(act(up(x))) (GPT-2). */
  mlp: 'gated' | 'plain';
  activation: 'silu' | 'gelu_tanh';
  /** Biases present on q/k/v, on o, and on the MLP's matrices. */
  qkvBias: boolean;
  oBias: boolean;
  mlpBias: boolean;
  /** Per-head norm of q and k (over hd) before the rotary positions (Qwen3, Gemma 3). */
  qkNorm: boolean;
  /** Gemma 3's norms after attention and after the MLP, before each residual add. */
  sandwichNorms: boolean;
  /** rope: rotary positions, rotate-half layout; learned: an added position table (GPT-2). */
  positions: 'rope' | 'learned';
  /** RoPE of full-attention layers, and of sliding-window layers (Gemma 3's local base). */
  rope: RopeSpec;
  localRope: RopeSpec;
  /** One entry per layer. A sliding layer's query i sees keys j with i − j < slidingWindow. */
  layerKinds: LayerKind[];
  slidingWindow: number | null;
  /** Attention scores are q·k times this (1/sqrt(hd), or query_pre_attn_scalar^-0.5). */
  attentionScale: number;
  /** Token embeddings are multiplied by this (sqrt(C) in Gemma, 1 elsewhere). */
  embeddingScale: number;
  tiedHead: boolean;
  /** tanh soft-capping of attention scores and of the final logits (cap·tanh(x/cap)), or null. */
  attnSoftcap: number | null;
  finalSoftcap: number | null;
}

export const kvWidth = (s: DecoderSpec): number => s.kvHeads * s.headDim;
export const qWidth = (s: DecoderSpec): number => s.heads * s.headDim;

/** Parameter count from the spec alone (no weights needed): what `models list` and the estimate show. */
export const specParameters = (s: DecoderSpec): number => shapeParameters(s);
