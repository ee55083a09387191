// Gemma 3 text models (Gemma3ForCausalLM, model_type gemma3_text; transformers' modeling_gemma3.py): embeddings
// times sqrt(hidden_size); RMSNorm scaled by (1 + w); four norms per block (input, post-attention, pre- and
// post-feedforward); RMSNorm on each head of q and k; scores times query_pre_attn_scalar^-0.5; a GELU-tanh gated MLP;
// sliding-window layers (layer_types, or every sliding_window_pattern-th layer global) with their own RoPE base
// (rope_local_base_freq, 10000) and full layers with rope_theta and rope_scaling, or both as rope_parameters per
// layer type in newer files; optional soft-capping of scores and logits; the head tied to the embedding.
import type { DecoderSpec, LayerKind } from '../../decoder/spec';
import { badInput } from '../../../../common/result';
import { ConfigFields } from '../configFields';
import { renamingFamily } from '../llamaNames';
import type { Family, HfConfig } from '../types';

function layerKinds(config: HfConfig, file: string, layers: number, f: ConfigFields): LayerKind[] {
  const types = config.layer_types;
  if (Array.isArray(types)) {
    if (types.length !== layers) throw badInput(`${file}: 'layer_types' lists ${types.length} layers, num_hidden_layers is ${layers}.`);
    return types.map((t, i) => {
      if (t === 'sliding_attention') return 'sliding';
      if (t === 'full_attention') return 'full';
      throw badInput(`${file}: 'layer_types[${i}]' is ${JSON.stringify(t)}; expected 'sliding_attention' or 'full_attention'.`);
    });
  }
  const pattern = f.int('sliding_window_pattern', 6);
  return Array.from({ length: layers }, (_, i) => ((i + 1) % pattern !== 0 ? 'sliding' : 'full'));
}

export function gemma3Spec(config: HfConfig, file: string): DecoderSpec {
  const f = new ConfigFields(config, file);
  const hidden = f.int('hidden_size');
  const layers = f.layerCount('num_hidden_layers');
  const { heads, kvHeads, headDim } = f.attentionShape(hidden, 256);
  const act = config.hidden_activation ?? config.hidden_act ?? 'gelu_pytorch_tanh';
  if (act !== 'gelu_pytorch_tanh' && act !== 'gelu_tanh') throw badInput(`${file}: 'hidden_activation' is ${JSON.stringify(act)}; Tunebench runs 'gelu_pytorch_tanh' for Gemma 3.`);
  const perType = config.rope_parameters as Record<string, unknown> | undefined | null;
  const newStyle = perType && typeof perType === 'object' && ('full_attention' in perType || 'sliding_attention' in perType);
  const rope = newStyle ? f.rope(1_000_000, perType.full_attention ?? {}, 'rope_parameters.full_attention') : f.rope(1_000_000);
  const localRope = newStyle
    ? f.rope(f.num('rope_local_base_freq', 10000), perType.sliding_attention ?? {}, 'rope_parameters.sliding_attention')
    : { theta: f.num('rope_local_base_freq', 10000), scaling: { type: 'default' as const } };
  const attentionBias = f.bool('attention_bias', false);
  return {
    family: 'gemma3',
    vocabSize: f.int('vocab_size'),
    hidden,
    layers,
    heads,
    kvHeads,
    headDim,
    intermediate: f.int('intermediate_size'),
    maxPositions: f.int('max_position_embeddings', 131072),
    norm: 'rms1p',
    normEps: f.num('rms_norm_eps', 1e-6),
    mlp: 'gated',
    activation: 'gelu_tanh',
    qkvBias: attentionBias,
    oBias: attentionBias,
    mlpBias: false,
    qkNorm: true,
    sandwichNorms: true,
    positions: 'rope',
    rope,
    localRope,
    layerKinds: layerKinds(config, file, layers, f),
    slidingWindow: f.int('sliding_window', 4096),
    attentionScale: Math.pow(f.num('query_pre_attn_scalar', 256), -0.5),
    embeddingScale: Math.sqrt(hidden),
    tiedHead: f.bool('tie_word_embeddings', true),
    attnSoftcap: f.numOrNull('attn_logit_softcapping'),
    finalSoftcap: f.numOrNull('final_logit_softcapping'),
  };
}

export const gemma3: Family = {
  id: 'gemma3',
  label: 'Gemma 3',
  modelTypes: ['gemma3_text'],
  architectures: ['Gemma3ForCausalLM'],
  toSpec: gemma3Spec,
  ...renamingFamily('gemma'),
};
