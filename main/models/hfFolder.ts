// Checking a Hugging Face-style model folder before it is imported, from its config.json, the header of its
// model.safetensors and its tokenizer file, without loading the weights. Supported: Llama (LlamaForCausalLM, with a
// SentencePiece tokenizer.model) and GPT-2 (GPT2LMHeadModel, with a byte-level BPE or Tunebench's character
// tokenizer.json).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { badInput } from '../../common/result';
import { readSafetensorsHeader } from '../trainer/safetensors';
import { tokenizerFromJson } from '../trainer/tokenizers';

export interface HfFolderInfo {
  arch: 'llama' | 'gpt2';
  config: Record<string, unknown>;
  parameters: number;
  files: string[]; // what an import copies
}

const num = (config: Record<string, unknown>, key: string, file: string): number => {
  const v = config[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) throw badInput(`${file}: '${key}' must be a positive whole number.`);
  return v;
};

/** Names and shapes a model of this config must have (a tied head may be absent). */
function expectedTensors(arch: 'llama' | 'gpt2', c: Record<string, unknown>, file: string): Map<string, number[]> {
  const want = new Map<string, number[]>();
  if (arch === 'llama') {
    const C = num(c, 'hidden_size', file);
    const F = num(c, 'intermediate_size', file);
    const H = num(c, 'num_attention_heads', file);
    const Hkv = typeof c.num_key_value_heads === 'number' ? c.num_key_value_heads : H;
    const V = num(c, 'vocab_size', file);
    const kv = (Hkv * C) / H;
    want.set('model.embed_tokens.weight', [V, C]).set('model.norm.weight', [C]);
    for (let l = 0; l < num(c, 'num_hidden_layers', file); l++) {
      const p = `model.layers.${l}.`;
      want.set(`${p}input_layernorm.weight`, [C]).set(`${p}post_attention_layernorm.weight`, [C]);
      want.set(`${p}self_attn.q_proj.weight`, [C, C]).set(`${p}self_attn.k_proj.weight`, [kv, C]).set(`${p}self_attn.v_proj.weight`, [kv, C]).set(`${p}self_attn.o_proj.weight`, [C, C]);
      want.set(`${p}mlp.gate_proj.weight`, [F, C]).set(`${p}mlp.up_proj.weight`, [F, C]).set(`${p}mlp.down_proj.weight`, [C, F]);
    }
    return want;
  }
  const C = num(c, 'n_embd', file);
  const V = num(c, 'vocab_size', file);
  want.set('wte.weight', [V, C]).set('wpe.weight', [num(c, 'n_positions', file), C]).set('ln_f.weight', [C]).set('ln_f.bias', [C]);
  for (let l = 0; l < num(c, 'n_layer', file); l++) {
    const p = `h.${l}.`;
    for (const ln of ['ln_1', 'ln_2']) want.set(`${p}${ln}.weight`, [C]).set(`${p}${ln}.bias`, [C]);
    want.set(`${p}attn.c_attn.weight`, [C, 3 * C]).set(`${p}attn.c_attn.bias`, [3 * C]).set(`${p}attn.c_proj.weight`, [C, C]).set(`${p}attn.c_proj.bias`, [C]);
    want.set(`${p}mlp.c_fc.weight`, [C, 4 * C]).set(`${p}mlp.c_fc.bias`, [4 * C]).set(`${p}mlp.c_proj.weight`, [4 * C, C]).set(`${p}mlp.c_proj.bias`, [C]);
  }
  return want;
}

/** GPT-2 checkpoints name their modules with or without the "transformer." prefix; both are accepted. */
export const gpt2Name = (name: string): string => name.replace(/^transformer\./, '');

export function inspectHfFolder(folder: string): HfFolderInfo {
  const configFile = join(folder, 'config.json');
  const weightsFile = join(folder, 'model.safetensors');
  if (!existsSync(configFile)) throw badInput(`${folder} has no config.json; a model folder needs config.json, model.safetensors and a tokenizer.`);
  if (!existsSync(weightsFile)) throw badInput(`${folder} has no model.safetensors (sharded or .bin weights are not supported).`);
  let config: Record<string, unknown>;
  try {
    config = JSON.parse(readFileSync(configFile, 'utf8')) as Record<string, unknown>;
  } catch {
    throw badInput(`${configFile} is not valid JSON.`);
  }
  const arch = config.model_type;
  if (arch !== 'llama' && arch !== 'gpt2') throw badInput(`${configFile}: model_type '${String(arch)}' is not supported (Tunebench imports llama and gpt2).`);
  if (arch === 'llama' && Array.isArray(config.architectures) && !config.architectures.includes('LlamaForCausalLM')) {
    throw badInput(`${configFile}: only LlamaForCausalLM is supported, not ${config.architectures.join(', ')}.`);
  }
  const tokenizer = arch === 'llama' ? 'tokenizer.model' : 'tokenizer.json';
  if (!existsSync(join(folder, tokenizer))) throw badInput(`${folder} has no ${tokenizer}, which a ${arch} model needs here.`);
  if (arch === 'gpt2') checkGpt2Tokenizer(join(folder, tokenizer));

  const header = readSafetensorsHeader(weightsFile);
  const have = new Map(header.tensors.map((t) => [arch === 'gpt2' ? gpt2Name(t.name) : t.name, t]));
  for (const [name, shape] of expectedTensors(arch, config, configFile)) {
    const t = have.get(name);
    if (!t) throw badInput(`${weightsFile} has no tensor ${name}, which config.json implies.`);
    if (t.shape.join() !== shape.join()) throw badInput(`${weightsFile}: tensor ${name} has shape [${t.shape}], config.json implies [${shape}].`);
  }
  const parameters = header.tensors.reduce((n, t) => n + t.shape.reduce((a, b) => a * b, 1), 0);
  const extra = ['tokenizer_config.json', 'generation_config.json'].filter((f) => existsSync(join(folder, f)));
  return { arch, config, parameters, files: ['config.json', 'model.safetensors', tokenizer, ...extra] };
}

function checkGpt2Tokenizer(file: string): void {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw badInput(`${file} is not valid JSON.`);
  }
  const model = (json as { model?: { type?: string } }).model;
  if (model?.type === 'WordLevel') return; // Tunebench's character vocabulary
  tokenizerFromJson(json); // a BPE tokenizer.json, or one clear sentence naming the part that is not supported
}
