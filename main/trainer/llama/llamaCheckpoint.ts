// Fine-tuned Llama checkpoints as safetensors with Hugging Face Llama tensor names and layouts, so the file loads into
// transformers' LlamaForCausalLM: matrices (out, in), and q_proj / k_proj rows permuted from llama2.c's adjacent-pair
// RoPE to HF's rotate-half order (llama2.c export.py's permute: within a head, row 2j+p → row p·hs/2 + j).
// lm_head.weight is omitted when tied to the embedding (tie_word_embeddings). __metadata__ (JSON strings): format,
// llama (an HF LlamaConfig, the body of an export's config.json), llama2c_config (LlamaConfig, to read the file back),
// and whatever the caller adds (step, config = the training config, base).
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { badInput } from '../../../common/result';
import { readSafetensors, writeSafetensors, type NamedArray } from '../safetensors';
import type { LlamaConfig, LlamaWeights } from './llama2cCheckpoint';
import { ROPE_THETA } from './rope';
import { assembleWeights, EMBED, FINAL_NORM, LAYER_PARTS, layerName, LlamaTrainable, LM_HEAD, type LayerPart } from './llamaTrainable';

export const LLAMA_CHECKPOINT_FORMAT = 'tunebench-llama-v1';
const RMS_NORM_EPS = 1e-5;

/** Row permutation between adjacent-pair and rotate-half RoPE layouts.  (heads·hs, cols) row-major → same shape */
export function permuteRows(w: Float32Array, heads: number, hs: number, toHf: boolean): Float32Array {
  const cols = w.length / (heads * hs);
  const out = new Float32Array(w.length);
  for (let h = 0; h < heads; h++) {
    for (let j = 0; j < hs / 2; j++) {
      for (let p = 0; p < 2; p++) {
        const pairRow = h * hs + 2 * j + p; // llama2.c
        const halfRow = h * hs + p * (hs / 2) + j; // HF
        const [from, to] = toHf ? [pairRow, halfRow] : [halfRow, pairRow];
        out.set(w.subarray(from * cols, (from + 1) * cols), to * cols);
      }
    }
  }
  return out;
}

/** An HF LlamaConfig (config.json) for these dimensions. */
export function hfLlamaConfig(config: LlamaConfig, tied: boolean): Record<string, unknown> {
  return {
    architectures: ['LlamaForCausalLM'],
    model_type: 'llama',
    hidden_size: config.dim,
    intermediate_size: config.hiddenDim,
    num_hidden_layers: config.nLayers,
    num_attention_heads: config.nHeads,
    num_key_value_heads: config.nKvHeads,
    vocab_size: config.vocabSize,
    max_position_embeddings: config.seqLen,
    rms_norm_eps: RMS_NORM_EPS,
    rope_theta: ROPE_THETA,
    hidden_act: 'silu',
    tie_word_embeddings: tied,
    bos_token_id: 1,
    eos_token_id: 2,
    torch_dtype: 'float32',
  };
}

function shapes(config: LlamaConfig): Record<LayerPart, number[]> {
  const { dim: C, hiddenDim: F, nHeads: H, nKvHeads: Hkv } = config;
  const kvDim = (Hkv * C) / H;
  return { rmsAtt: [C], wq: [C, C], wk: [kvDim, C], wv: [kvDim, C], wo: [C, C], rmsFfn: [C], w1: [F, C], w2: [C, F], w3: [F, C] };
}

/** llama2.c arrays → HF-named tensors. */
export function weightsToHf(config: LlamaConfig, weights: LlamaWeights): NamedArray[] {
  const { dim: C, nHeads: H, nKvHeads: Hkv, vocabSize: V } = config;
  const hs = C / H;
  const shape = shapes(config);
  const tensors: NamedArray[] = [{ name: EMBED, shape: [V, C], data: weights.tokenEmbedding }];
  for (let l = 0; l < config.nLayers; l++) {
    for (const part of Object.keys(LAYER_PARTS) as LayerPart[]) {
      let data = weights[part][l];
      if (part === 'wq') data = permuteRows(data, H, hs, true);
      if (part === 'wk') data = permuteRows(data, Hkv, hs, true);
      tensors.push({ name: layerName(l, part), shape: shape[part], data });
    }
  }
  tensors.push({ name: FINAL_NORM, shape: [C], data: weights.rmsFinal });
  if (!weights.sharedClassifier) tensors.push({ name: LM_HEAD, shape: [V, C], data: weights.classifier });
  return tensors;
}

/** HF-named tensors → llama2.c arrays; `source` names the file in errors. */
export function hfToWeights(config: LlamaConfig, tensors: readonly NamedArray[], source: string): LlamaWeights {
  const { dim: C, nHeads: H, nKvHeads: Hkv, vocabSize: V } = config;
  const hs = C / H;
  const byName = new Map(tensors.map((t) => [t.name, t]));
  const take = (name: string, shape: number[]) => {
    const t = byName.get(name);
    if (!t) throw badInput(`${source} has no tensor ${name}; it is not a complete Llama checkpoint.`);
    if (t.shape.join(',') !== shape.join(',')) throw badInput(`${source}: tensor ${name} has shape [${t.shape}], the config needs [${shape}].`);
    return t.data;
  };
  const shape = shapes(config);
  const perLayer = (part: LayerPart) =>
    Array.from({ length: config.nLayers }, (_, l) => {
      const data = take(layerName(l, part), shape[part]);
      if (part === 'wq') return permuteRows(data, H, hs, false);
      if (part === 'wk') return permuteRows(data, Hkv, hs, false);
      return data;
    });
  const tokenEmbedding = take(EMBED, [V, C]);
  const sharedClassifier = !byName.has(LM_HEAD);
  return assembleWeights(perLayer, {
    tokenEmbedding,
    rmsFinal: take(FINAL_NORM, [C]),
    classifier: sharedClassifier ? tokenEmbedding : take(LM_HEAD, [V, C]),
    sharedClassifier,
  });
}

/**
 * Writes the model's current weights to `path` (creating its folder). `metadata` is added to __metadata__ (strings,
 * e.g. { step: '40', config: JSON.stringify(trainConfig) }). Returns the file size.
 */
export function writeLlamaCheckpoint(model: LlamaTrainable, path: string, metadata: Record<string, string> = {}): { bytes: number } {
  const weights = model.toWeights();
  mkdirSync(dirname(path), { recursive: true });
  const bytes = writeSafetensors(path, weightsToHf(model.config, weights), {
    ...metadata,
    format: LLAMA_CHECKPOINT_FORMAT,
    llama: JSON.stringify(hfLlamaConfig(model.config, weights.sharedClassifier)),
    llama2c_config: JSON.stringify(model.config),
  });
  return { bytes };
}

/** The config and weights in a checkpoint written by writeLlamaCheckpoint, plus its metadata. */
export function readLlamaCheckpointFile(path: string): { config: LlamaConfig; weights: LlamaWeights; metadata: Record<string, string> } {
  const { tensors, metadata } = readSafetensors(path);
  if (metadata.format !== LLAMA_CHECKPOINT_FORMAT) throw badInput(`${path} is not a fine-tuned Llama checkpoint (format '${metadata.format ?? 'none'}', expected '${LLAMA_CHECKPOINT_FORMAT}').`);
  let config: LlamaConfig;
  try {
    config = JSON.parse(metadata.llama2c_config) as LlamaConfig;
  } catch {
    throw badInput(`${path}: the llama2c_config metadata is missing or not valid JSON.`);
  }
  return { config, weights: hfToWeights(config, tensors, path), metadata };
}

/** A trainable model (trainable.toInference() for generation) from a checkpoint written by writeLlamaCheckpoint. */
export function readLlamaCheckpoint(path: string): LlamaTrainable {
  const { config, weights } = readLlamaCheckpointFile(path);
  return new LlamaTrainable(config, weights);
}
