// One description of a decoder-only transformer that every supported family maps its config.json onto (the litgpt
// way: one model whose details are switched by a config). The families' folders (main/trainer/families/) read a
// Hugging Face config into a DecoderSpec and name its tensors; decoder/model.ts runs any spec.
// Shapes: V vocabulary, C hidden width, H query heads, Hkv key/value heads, hd head size, F MLP width, P positions.
import { shapeParameters, type ModelShape } from '../../../common/estimate';

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

/** The sizing fields (ModelShape: widths, counts, norm, MLP, biases, positions, head, soft-caps) and the rest. */
export interface DecoderSpec extends ModelShape {
  family: string; // the family's id in families/index.ts
  normEps: number;
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
}

export const kvWidth = (s: DecoderSpec): number => s.kvHeads * s.headDim;
export const qWidth = (s: DecoderSpec): number => s.heads * s.headDim;

/** Parameter count from the spec alone (no weights needed): what `models list` and the estimate show. */
export const specParameters = (s: DecoderSpec): number => shapeParameters(s);
