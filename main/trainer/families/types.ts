// What a model family is to Tunebench: how its config.json reads as a DecoderSpec, how its checkpoint names map onto
// the decoder's canonical ones, and how both are written back for an export that loads where the original did.
// One folder per family under families/, one line per family in families/index.ts.
import type { DecoderSpec } from '../decoder/spec';

export type HfConfig = Record<string, unknown>;

/** A tensor as float32 in row-major order. */
export interface FloatTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

export interface Family {
  id: string; // DecoderSpec.family
  label: string; // shown in model lists: 'Llama', 'Qwen2', …
  /** config.json's model_type values this family reads. */
  modelTypes: readonly string[];
  /** The architectures entry it accepts (the first is written on export). */
  architectures: readonly string[];
  /** config.json → spec; `file` names config.json in errors (one sentence naming the field). */
  toSpec(config: HfConfig, file: string): DecoderSpec;
  /** A checkpoint tensor → canonical tensors (usually one, renamed; GPT-2's fused c_attn is three); [] to ignore it. */
  fromCheckpoint(tensor: FloatTensor, spec: DecoderSpec): FloatTensor[];
  /** Canonical tensors → the checkpoint's names and layouts. */
  toCheckpoint(tensors: Map<string, FloatTensor>, spec: DecoderSpec): FloatTensor[];
  /** The checkpoint names a complete model of this spec has (for checking a folder before loading it). */
  checkpointShapes(spec: DecoderSpec): Map<string, number[]>;
  /** A checkpoint name as checkpointShapes spells it, where files vary (GPT-2's optional "transformer."). */
  bareName?(name: string): string;
}
