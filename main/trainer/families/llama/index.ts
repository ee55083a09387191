// Llama 2 and 3.x (LlamaForCausalLM, transformers' modeling_llama.py), which covers SmolLM / SmolLM2 and TinyLlama,
// and Mistral within its sliding window (MistralForCausalLM: the same blocks, every layer windowed). RMSNorm x/rms·w,
// rotate-half RoPE with any rope_theta and the default / linear / dynamic / llama3 rope_scaling, head_dim from the
// config when given, optional attention and MLP biases, SiLU-gated MLP, tied or separate head.
import type { DecoderSpec } from '../../decoder/spec';
import { ConfigFields } from '../configFields';
import { renamingFamily } from '../llamaNames';
import type { Family, HfConfig } from '../types';

export function llamaSpec(config: HfConfig, file: string, family = 'llama'): DecoderSpec {
  const f = new ConfigFields(config, file);
  const hidden = f.int('hidden_size');
  const layers = f.layerCount('num_hidden_layers');
  const { heads, kvHeads, headDim } = f.attentionShape(hidden);
  f.oneOf('hidden_act', ['silu'], 'silu');
  const attentionBias = f.bool('attention_bias', false);
  const window = config.model_type === 'mistral' ? f.numOrNull('sliding_window') : null;
  const rope = f.rope(10000);
  return {
    family,
    vocabSize: f.int('vocab_size'),
    hidden,
    layers,
    heads,
    kvHeads,
    headDim,
    intermediate: f.int('intermediate_size'),
    maxPositions: f.int('max_position_embeddings', 2048),
    norm: 'rms',
    normEps: f.num('rms_norm_eps', 1e-6),
    mlp: 'gated',
    activation: 'silu',
    qkvBias: attentionBias,
    oBias: attentionBias,
    mlpBias: f.bool('mlp_bias', false),
    qkNorm: false,
    sandwichNorms: false,
    positions: 'rope',
    rope,
    localRope: rope,
    layerKinds: Array(layers).fill(window === null ? 'full' : 'sliding'),
    slidingWindow: window,
    attentionScale: 1 / Math.sqrt(headDim),
    embeddingScale: 1,
    tiedHead: f.bool('tie_word_embeddings', false),
    attnSoftcap: null,
    finalSoftcap: null,
  };
}

export const llama: Family = {
  id: 'llama',
  label: 'Llama',
  modelTypes: ['llama', 'mistral'],
  architectures: ['LlamaForCausalLM', 'MistralForCausalLM'],
  toSpec: (config, file) => llamaSpec(config, file),
  ...renamingFamily('llama'),
};
