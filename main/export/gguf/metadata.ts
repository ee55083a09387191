// The general.* and {arch}.* keys of a GGUF file, under the names llama.cpp reads (llama-arch.cpp) and with the values
// convert_hf_to_gguf.py writes for each family (TextModel.set_gguf_parameters and the family's override):
//   llama  : block_count, context_length, embedding_length, feed_forward_length, attention.head_count(_kv),
//            rope.freq_base, attention.layer_norm_rms_epsilon, attention.key_length / value_length, vocab_size,
//            rope.dimension_count; rope_scaling linear → rope.scaling.type/factor; llama3 → a rope_freqs tensor;
//   qwen2 / qwen3 : the same without vocab_size and rope.dimension_count (llama.cpp derives them);
//   gemma3 : as TextModel plus rope.freq_base (global layers), rope.freq_base_swa (rope_local_base_freq, sliding
//            layers), attention.sliding_window, final_logit_softcapping when set; and, beyond convert, the per-layer
//            attention.sliding_window_pattern (llama.cpp reads it; without it llama.cpp assumes every 6th layer global);
//   gpt2   : block_count, context_length, embedding_length, feed_forward_length (4·n_embd, as convert writes),
//            attention.head_count, attention.layer_norm_epsilon.
// Where llama.cpp cannot run what the checkpoint is, the export says so (warnings) rather than writing a file that
// silently computes something else.
import type { DecoderSpec } from '../../trainer/decoder/spec';
import { f32, str, u32, type GgufValue } from './writer';

export type GgufArch = 'llama' | 'qwen2' | 'qwen3' | 'gemma3' | 'gpt2';

/** general.file_type: llama_ftype of the whole file. */
export const FILE_TYPE = { f16: 1, q8_0: 7, q4_k_m: 15 } as const;
export type GgufQuant = keyof typeof FILE_TYPE;
export const GGUF_QUANTS = Object.keys(FILE_TYPE) as GgufQuant[];

/** GGML_QNT_VERSION */
export const QUANTIZATION_VERSION = 2;

export const archOf = (family: string): GgufArch => {
  if (family === 'llama' || family === 'qwen2' || family === 'qwen3' || family === 'gemma3' || family === 'gpt2') return family;
  throw new Error(`No GGUF architecture for family ${family}.`);
};

export interface GeneralInfo {
  name: string;
  quant: GgufQuant;
  baseName?: string;
}

export function generalKeys(arch: GgufArch, info: GeneralInfo, alignment: number): Map<string, GgufValue> {
  const keys = new Map<string, GgufValue>();
  keys.set('general.architecture', str(arch));
  keys.set('general.type', str('model'));
  keys.set('general.name', str(info.name));
  if (info.baseName) {
    keys.set('general.base_model.count', u32(1));
    keys.set('general.base_model.0.name', str(info.baseName));
  }
  keys.set('general.alignment', u32(alignment));
  return keys;
}

/** The architecture's hyperparameters; `hf` is the base's config.json (some keys are written only where it has them). */
export function archKeys(arch: GgufArch, spec: DecoderSpec, hf: Record<string, unknown>, quant: GgufQuant, warnings: string[]): Map<string, GgufValue> {
  const k = new Map<string, GgufValue>();
  const key = (name: string, v: GgufValue) => k.set(`${arch}.${name}`, v);
  if (arch === 'gpt2') {
    key('block_count', u32(spec.layers));
    key('context_length', u32(spec.maxPositions));
    key('embedding_length', u32(spec.hidden));
    key('feed_forward_length', u32(spec.intermediate));
    key('attention.head_count', u32(spec.heads));
    key('attention.layer_norm_epsilon', f32(spec.normEps));
    if (spec.intermediate !== 4 * spec.hidden) warnings.push(`n_inner is ${spec.intermediate}, not 4·n_embd; llama.cpp reads the MLP width from the tensors, so this is only a label.`);
  } else {
    key('block_count', u32(spec.layers));
    key('context_length', u32(spec.maxPositions));
    key('embedding_length', u32(spec.hidden));
    key('feed_forward_length', u32(spec.intermediate));
    key('attention.head_count', u32(spec.heads));
    key('attention.head_count_kv', u32(spec.kvHeads));
    const scaling = spec.rope.scaling;
    if (scaling.type === 'linear') {
      key('rope.scaling.type', str('linear'));
      key('rope.scaling.factor', f32(scaling.factor));
    } else if (scaling.type === 'dynamic') {
      warnings.push(`rope_scaling 'dynamic' has no GGUF form llama.cpp reads; the file has plain RoPE, the same within the original ${scaling.originalMaxPositions} positions.`);
    }
    key('rope.freq_base', f32(spec.rope.theta));
    if (arch === 'gemma3' && spec.layerKinds.includes('sliding')) key('rope.freq_base_swa', f32(spec.localRope.theta));
    key('attention.layer_norm_rms_epsilon', f32(spec.normEps));
    if (arch === 'gemma3' || arch === 'llama' || 'head_dim' in hf) {
      key('attention.key_length', u32(spec.headDim));
      key('attention.value_length', u32(spec.headDim));
    }
    if (arch === 'llama') {
      key('vocab_size', u32(spec.vocabSize));
      key('rope.dimension_count', u32(spec.headDim));
      if (spec.slidingWindow !== null && spec.slidingWindow < spec.maxPositions) {
        warnings.push(`The model attends within a sliding window of ${spec.slidingWindow} tokens; llama.cpp's llama architecture attends to the whole context, so results differ past ${spec.slidingWindow} tokens.`);
      }
    }
    if (arch === 'gemma3') {
      if (spec.finalSoftcap !== null) key('final_logit_softcapping', f32(spec.finalSoftcap));
      if (spec.layerKinds.includes('sliding') && spec.slidingWindow !== null) {
        key('attention.sliding_window', u32(spec.slidingWindow));
        key('attention.sliding_window_pattern', { type: 'bool[]', value: spec.layerKinds.map((kind) => kind === 'sliding') });
      }
      if (spec.attnSoftcap !== null) warnings.push(`attn_logit_softcapping ${spec.attnSoftcap} is not applied by llama.cpp's gemma3 (convert refuses such a config).`);
      if (Math.abs(spec.attentionScale - 1 / Math.sqrt(spec.headDim)) > 1e-7 * spec.attentionScale) {
        warnings.push(`query_pre_attn_scalar scales attention by ${spec.attentionScale.toPrecision(6)}; llama.cpp's gemma3 uses 1/sqrt(head_dim) = ${(1 / Math.sqrt(spec.headDim)).toPrecision(6)} (except for its 27B), so its logits will differ.`);
      }
    }
    if (arch === 'qwen2' && spec.slidingWindow !== null && spec.layerKinds.includes('sliding')) {
      warnings.push(`Some layers attend within a sliding window of ${spec.slidingWindow} tokens; llama.cpp's qwen2 attends to the whole context.`);
    }
  }
  k.set('general.file_type', u32(FILE_TYPE[quant]));
  k.set('general.quantization_version', u32(QUANTIZATION_VERSION));
  return k;
}

