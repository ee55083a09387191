// A random-weight Hugging Face folder of a decoder family, written without PyTorch: config.json in the family's
// real fields (small widths, chosen so K-quants apply: rows of 256), model.safetensors with every tensor the family's
// checkpoint has (names and (out, in) shapes from the family itself), generation_config.json, and the family's
// tokenizer files (tests/helpers/familyTokenizers.ts). Deterministic for a seed.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { familyById } from '../../../main/trainer/families';
import { writeSafetensors } from '../../../main/trainer/safetensors';
import { familyTokenizer, writeFamilyTokenizer, type Family as TokenizerFamily } from '../../helpers/familyTokenizers';

const CONFIGS: Record<string, Record<string, unknown>> = {
  qwen2: {
    architectures: ['Qwen2ForCausalLM'], attention_dropout: 0, hidden_act: 'silu', hidden_size: 256, intermediate_size: 512,
    max_position_embeddings: 4096, max_window_layers: 2, model_type: 'qwen2', num_attention_heads: 4, num_hidden_layers: 2,
    num_key_value_heads: 2, rms_norm_eps: 1e-6, rope_theta: 1000000.0, sliding_window: 4096, tie_word_embeddings: true,
    torch_dtype: 'float32', use_cache: true, use_sliding_window: false,
  },
  qwen3: {
    architectures: ['Qwen3ForCausalLM'], attention_bias: false, head_dim: 128, hidden_act: 'silu', hidden_size: 256, intermediate_size: 512,
    max_position_embeddings: 4096, model_type: 'qwen3', num_attention_heads: 4, num_hidden_layers: 2, num_key_value_heads: 2,
    rms_norm_eps: 1e-6, rope_scaling: null, rope_theta: 1000000, sliding_window: null, tie_word_embeddings: true, torch_dtype: 'float32', use_sliding_window: false,
  },
  llama: {
    architectures: ['LlamaForCausalLM'], attention_bias: false, hidden_act: 'silu', hidden_size: 256, intermediate_size: 512,
    max_position_embeddings: 2048, mlp_bias: false, model_type: 'llama', num_attention_heads: 4, num_hidden_layers: 2, num_key_value_heads: 2,
    rms_norm_eps: 1e-5, rope_scaling: null, rope_theta: 100000, tie_word_embeddings: false, torch_dtype: 'float32',
  },
  gemma3: {
    architectures: ['Gemma3ForCausalLM'], attention_bias: false, attn_logit_softcapping: null, final_logit_softcapping: null, head_dim: 64,
    hidden_activation: 'gelu_pytorch_tanh', hidden_size: 256, intermediate_size: 512, max_position_embeddings: 4096, model_type: 'gemma3_text',
    num_attention_heads: 4, num_hidden_layers: 2, num_key_value_heads: 1, query_pre_attn_scalar: 64, rms_norm_eps: 1e-6,
    rope_local_base_freq: 10000.0, rope_scaling: null, rope_theta: 1000000.0, sliding_window: 16, layer_types: ['sliding_attention', 'full_attention'],
    torch_dtype: 'float32',
  },
  gpt2: {
    activation_function: 'gelu_new', architectures: ['GPT2LMHeadModel'], layer_norm_epsilon: 1e-5, model_type: 'gpt2', n_ctx: 1024, n_embd: 256,
    n_head: 4, n_layer: 2, n_positions: 1024,
  },
};

const TOKENIZERS: Record<string, TokenizerFamily> = { qwen2: 'qwen2', qwen3: 'qwen3', llama: 'smollm2', gemma3: 'gemma3', gpt2: 'gpt2' };

/** Writes the folder; `vocab` ids in the tokenizer, `rows` embedding rows (≥ vocab), `set` config.json overrides. */
export function randomDecoderFolder(family: keyof typeof CONFIGS, opts: { vocab?: number; rows?: number; seed?: number; scale?: number; set?: Record<string, unknown> } = {}): string {
  const vocab = opts.vocab ?? 640;
  const rows = opts.rows ?? vocab;
  const dir = mkdtempSync(join(tmpdir(), `tb-${family}-`));
  const tok = familyTokenizer(TOKENIZERS[family], vocab);
  writeFamilyTokenizer(dir, tok);
  const e = tok.expect;
  const config = { ...CONFIGS[family], vocab_size: rows, bos_token_id: e.bosId ?? e.eosIds[0], eos_token_id: e.eosIds[0], ...opts.set };
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config, null, 2));
  writeFileSync(join(dir, 'generation_config.json'), JSON.stringify({ bos_token_id: config.bos_token_id, eos_token_id: e.eosIds }, null, 2));
  const fam = familyById(family);
  const spec = fam.toSpec(config, 'config.json');
  let s = (opts.seed ?? 1) >>> 0;
  const uniform = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 2 ** 32;
  };
  const gauss = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const scale = opts.scale ?? 0.02;
  const tensors = [...fam.checkpointShapes(spec)].map(([name, shape]) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const isNorm = /norm|ln_/.test(name) && name.endsWith('weight');
    const isBias = name.endsWith('bias');
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = isNorm ? (family === 'gemma3' ? 0.1 * gauss() : 1 + 0.1 * gauss()) : isBias ? 0.1 * gauss() : scale * gauss();
    return { name, shape, data };
  });
  writeSafetensors(join(dir, 'model.safetensors'), tensors, { format: 'pt' });
  return dir;
}
