// Qwen3 (Qwen3ForCausalLM, transformers' modeling_qwen3.py): the Llama block with an RMSNorm over each head of q and
// of k (q_norm, k_norm: weights of head_dim) before the rotary positions, head_dim from the config (128 where
// hidden / heads is 64), attention_bias off by default, and Qwen2's sliding-window rule.
import { ConfigFields } from '../configFields';
import { renamingFamily } from '../llamaNames';
import { qwenSpec } from '../qwen2';
import type { Family } from '../types';

export const qwen3: Family = {
  id: 'qwen3',
  label: 'Qwen3',
  modelTypes: ['qwen3'],
  architectures: ['Qwen3ForCausalLM'],
  toSpec(config, file) {
    const f = new ConfigFields(config, file);
    const bias = f.bool('attention_bias', false);
    return { ...qwenSpec({ head_dim: 128, ...config }, file, 'qwen3'), qkNorm: true, qkvBias: bias, oBias: bias };
  },
  ...renamingFamily('llama'),
};
