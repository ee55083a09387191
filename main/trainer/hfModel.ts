// Loading a Hugging Face-style folder (checked when it was imported, main/models/hfFolder.ts) for inference: a Llama
// (LlamaForCausalLM names, rotate-half q/k rows permuted back for our adjacent-pair RoPE) with its SentencePiece
// tokenizer.model, or a GPT-2 (Conv1D names, with or without "transformer.") with a BPE or character tokenizer.json.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { badInput } from '../../common/result';
import type { LoadedGpt } from './gptInference';
import { hfToWeights } from './llama/llamaCheckpoint';
import type { LlamaConfig, LlamaWeights } from './llama/llama2cCheckpoint';
import { LlamaModel } from './llama/llamaModel';
import { ROPE_THETA } from './llama/rope';
import { loadSentencePieceModel } from './llama/sentencePieceModel';
import type { SentencePieceTokenizer } from './llama/sentencePieceTokenizer';
import { GptModel } from './model';
import { readSafetensors } from './safetensors';
import * as tf from './tfjs';
import { modelTokenizerFromJson, type ModelTokenizer } from './modelTokenizer';
import { CharTokenizer, PAD, UNK } from './tokenizer';

type HfConfig = Record<string, number | string | boolean | unknown>;

export type LoadedHf = { kind: 'llama'; model: LlamaModel; tokenizer: SentencePieceTokenizer } | { kind: 'gpt'; gpt: LoadedGpt };

export function loadHfFolder(folder: string): LoadedHf {
  const config = JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8')) as HfConfig;
  const { tensors } = readSafetensors(join(folder, 'model.safetensors'));
  if (config.model_type === 'llama') return loadLlama(folder, config, tensors);
  if (config.model_type === 'gpt2') return loadGpt2(folder, config, tensors);
  throw badInput(`${folder}/config.json: model_type '${String(config.model_type)}' is not supported.`);
}

/** An HF Llama folder as llama2.c-layout config and weights plus its tokenizer (to fine-tune it or run it). */
export function readHfLlama(folder: string): { config: LlamaConfig; weights: LlamaWeights; tokenizer: SentencePieceTokenizer } {
  const c = JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8')) as HfConfig;
  if (c.model_type !== 'llama') throw badInput(`${folder} holds a ${String(c.model_type)} model; only Llama folders can be fine-tuned.`);
  return llamaParts(folder, c, readSafetensors(join(folder, 'model.safetensors')).tensors);
}

function loadLlama(folder: string, c: HfConfig, tensors: ReturnType<typeof readSafetensors>['tensors']): LoadedHf {
  const { config, weights, tokenizer } = llamaParts(folder, c, tensors);
  return { kind: 'llama', model: new LlamaModel(config, weights), tokenizer };
}

function llamaParts(folder: string, c: HfConfig, tensors: ReturnType<typeof readSafetensors>['tensors']) {
  const eps = c.rms_norm_eps ?? 1e-5;
  const theta = c.rope_theta ?? ROPE_THETA;
  if (eps !== 1e-5 || theta !== ROPE_THETA || (c.hidden_act ?? 'silu') !== 'silu') {
    throw badInput(`${folder}/config.json: this Llama uses rms_norm_eps ${String(eps)}, rope_theta ${String(theta)}, hidden_act ${String(c.hidden_act)}; Tunebench runs 1e-5, ${ROPE_THETA} and silu.`);
  }
  const config: LlamaConfig = {
    dim: c.hidden_size as number,
    hiddenDim: c.intermediate_size as number,
    nLayers: c.num_hidden_layers as number,
    nHeads: c.num_attention_heads as number,
    nKvHeads: (c.num_key_value_heads ?? c.num_attention_heads) as number,
    vocabSize: c.vocab_size as number,
    seqLen: (c.max_position_embeddings ?? 2048) as number,
  };
  const weights = hfToWeights(config, tensors, join(folder, 'model.safetensors'));
  const tokenizer = loadSentencePieceModel(join(folder, 'tokenizer.model'));
  if (tokenizer.vocabSize !== config.vocabSize) throw badInput(`${folder}: tokenizer.model has ${tokenizer.vocabSize} pieces, config.json says vocab_size ${config.vocabSize}.`);
  return { config, weights, tokenizer };
}

function loadGpt2(folder: string, c: HfConfig, tensors: ReturnType<typeof readSafetensors>['tensors']): LoadedHf {
  const tokenizer = gpt2Tokenizer(folder);
  const shape = {
    task: 'generate' as const,
    vocabSize: c.vocab_size as number,
    numLabels: 0,
    nLayer: c.n_layer as number,
    nHead: c.n_head as number,
    dModel: c.n_embd as number,
    contextLength: c.n_positions as number,
    dropout: 0,
  };
  const model = new GptModel(shape, 0);
  const byName = new Map(tensors.map((t) => [t.name.replace(/^transformer\./, ''), t]));
  for (const [name, variable] of model.params) {
    const t = byName.get(name);
    if (!t) throw badInput(`${folder}/model.safetensors has no tensor ${name}.`);
    tf.tidy(() => variable.assign(tf.tensor(t.data, t.shape, 'float32')));
  }
  return { kind: 'gpt', gpt: { model, tokenizer, task: 'generate', labels: [] } };
}

/** Tunebench's character vocabulary (a WordLevel tokenizer.json), or any BPE tokenizer.json (GPT-2's own). */
function gpt2Tokenizer(folder: string): ModelTokenizer {
  const json = JSON.parse(readFileSync(join(folder, 'tokenizer.json'), 'utf8')) as { model: { type: string; vocab: Record<string, number> } };
  if (json.model.type !== 'WordLevel') return modelTokenizerFromJson({ type: 'bpe', tokenizer: json });
  const vocab: string[] = [];
  for (const [token, id] of Object.entries(json.model.vocab)) vocab[id] = token;
  if (vocab[0] !== PAD || vocab[1] !== UNK) throw badInput(`${folder}/tokenizer.json: a character vocabulary must start with ${PAD} and ${UNK}.`);
  return CharTokenizer.fromJson({ type: 'char', vocab });
}
