// Decoder models in and out of files. A Hugging Face folder (config.json + one or sharded safetensors) is read through
// its family: config.json → spec, each checkpoint tensor → canonical tensors, streamed. A run's checkpoint is one
// safetensors file in the family's own names and layout (LoRA merged), whose __metadata__ carries format, family and
// hf_config (the base's config.json), so it loads alone and exports as the base's layout.
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { badInput } from '../../../common/result';
import { familyById, familyOfConfig, type Family, type FloatTensor, type HfConfig } from '../families';
import { writeSafetensors } from '../safetensors';
import * as tf from '../tfjs';
import type { DecoderLora } from './lora';
import { DecoderModel } from './model';
import { canonicalShapes } from './names';
import { specParameters, type DecoderSpec } from './spec';
import { readTensor, streamFolderTensors, tensorEntries } from './weightFiles';

import { DECODER_CHECKPOINT_FORMAT } from './checkpointFormat';

export { DECODER_CHECKPOINT_FORMAT };

/** Weights above this do not leave room for activations in WebAssembly's 4 GiB heap. */
export const WASM_WEIGHTS_LIMIT = 3 * 2 ** 30;

/** Bytes of float32 weights of the decoder in a model folder or run checkpoint, or null for anything else. */
export function decoderWeightBytes(path: string, isFolder: boolean): number | null {
  try {
    return specParameters((isFolder ? readFolderConfig(path) : readCheckpointSource(path)).spec) * 4;
  } catch {
    return null; // not a decoder: its own loader says what it is
  }
}

export interface DecoderSource {
  family: Family;
  spec: DecoderSpec;
  hfConfig: HfConfig; // config.json as the base has it
}

/** A folder's config.json read as its family's spec. */
export function readFolderConfig(folder: string): DecoderSource {
  const file = join(folder, 'config.json');
  let hfConfig: HfConfig;
  try {
    hfConfig = JSON.parse(readFileSync(file, 'utf8')) as HfConfig;
  } catch (err) {
    throw badInput((err as NodeJS.ErrnoException).code === 'ENOENT' ? `${folder} has no config.json.` : `${file} is not valid JSON.`);
  }
  if (typeof hfConfig !== 'object' || hfConfig === null || Array.isArray(hfConfig)) throw badInput(`${file} is not a JSON object.`);
  const family = familyOfConfig(hfConfig, file);
  return { family, spec: family.toSpec(hfConfig, file), hfConfig };
}

/** Builds the model from a stream of checkpoint tensors, each mapped by the family and uploaded at once. */
function buildModel(source: DecoderSource, stream: (each: (t: FloatTensor) => void) => void, where: string): DecoderModel {
  const { family, spec } = source;
  const bytes = specParameters(spec) * 4;
  if (tf.getBackend() === 'wasm' && bytes > WASM_WEIGHTS_LIMIT) {
    // refused before reading a byte: the heap would run out part-way through loading (or the first step)
    throw badInput(`${where}: its ${(specParameters(spec) / 1e9).toFixed(2)}B parameters take ${(bytes / 2 ** 30).toFixed(1)} GiB as 32-bit floats, more than the WebAssembly backend's 4 GiB memory holds beside a forward pass; train it on the cpu backend (--set backend=cpu, much slower) or choose a smaller model.`);
  }
  const shapes = canonicalShapes(spec);
  const weights = new Map<string, tf.Tensor>();
  try {
    stream((t) => {
      for (const c of family.fromCheckpoint(t, spec)) {
        const want = shapes.get(c.name);
        if (!want || weights.has(c.name)) continue;
        if (want.join() !== c.shape.join()) throw badInput(`${where}: tensor ${t.name} has shape [${t.shape}], config.json implies [${want}] for it.`);
        weights.set(c.name, tf.tensor(c.data, c.shape, 'float32'));
      }
    });
    const missing = [...shapes.keys()].filter((n) => !weights.has(n));
    if (missing.length > 0) {
      throw badInput(`${where} lacks ${missing.length} of the ${shapes.size} weights config.json implies (the first: ${checkpointNameOf(source, missing[0])}).`);
    }
    return new DecoderModel(spec, weights);
  } catch (err) {
    for (const t of weights.values()) if (!t.isDisposed) t.dispose();
    throw err;
  }
}

/** The checkpoint name of a canonical tensor, for messages. */
function checkpointNameOf(source: DecoderSource, canonical: string): string {
  const names = [...source.family.checkpointShapes(source.spec).keys()];
  const canon = [...canonicalShapes(source.spec).keys()];
  // llama-lineage names map one to one in order; GPT-2's fused ones do not, so fall back to the canonical name
  return names.length === canon.length ? names[canon.indexOf(canonical)] : canonical;
}

/** A Hugging Face folder's model (weights streamed tensor by tensor). */
export function loadDecoderFolder(folder: string): { model: DecoderModel } & DecoderSource {
  const source = readFolderConfig(folder);
  return { ...source, model: buildModel(source, (each) => streamFolderTensors(folder, each), folder) };
}

/** The source (family, spec, config.json) a run's checkpoint was written from, reading only its header. */
export function readCheckpointSource(path: string): DecoderSource & { metadata: Record<string, string> } {
  const { metadata } = tensorEntries(path);
  if (metadata.format !== DECODER_CHECKPOINT_FORMAT) throw badInput(`${path} is not a Tunebench decoder checkpoint (format '${metadata.format ?? 'none'}').`);
  let hfConfig: HfConfig;
  try {
    hfConfig = JSON.parse(metadata.hf_config) as HfConfig;
  } catch {
    throw badInput(`${path}: its hf_config metadata is missing or not JSON.`);
  }
  const family = familyById(metadata.family);
  return { family, spec: family.toSpec(hfConfig, `${path} (hf_config)`), hfConfig, metadata };
}

/** A run's checkpoint as a model. */
export function loadDecoderCheckpoint(path: string): { model: DecoderModel; metadata: Record<string, string> } & DecoderSource {
  const source = readCheckpointSource(path);
  const stream = (each: (t: FloatTensor) => void) => {
    const fd = openSync(path, 'r');
    try {
      for (const entry of tensorEntries(path).entries) each(readTensor(fd, entry));
    } finally {
      closeSync(fd);
    }
  };
  return { ...source, model: buildModel(source, stream, path) };
}

/** The model's weights (LoRA merged) in the family's names and layout. */
export function checkpointTensors(model: DecoderModel, family: Family, lora: DecoderLora | null): FloatTensor[] {
  const canonical = new Map<string, FloatTensor>();
  for (const [name, v] of model.params) {
    const data = tf.tidy(() => (lora ? lora.merged(name, v as unknown as tf.Tensor2D) : v).dataSync() as Float32Array);
    canonical.set(name, { name, shape: v.shape, data });
  }
  return family.toCheckpoint(canonical, model.spec);
}

/** Writes a run checkpoint (creating its folder); `metadata` adds step, config, base. Returns the file size. */
export function writeDecoderCheckpoint(model: DecoderModel, source: DecoderSource, lora: DecoderLora | null, path: string, metadata: Record<string, string> = {}): { bytes: number } {
  mkdirSync(dirname(path), { recursive: true });
  const bytes = writeSafetensors(path, checkpointTensors(model, source.family, lora), {
    ...metadata,
    format: DECODER_CHECKPOINT_FORMAT,
    family: source.family.id,
    hf_config: JSON.stringify(source.hfConfig),
  });
  return { bytes };
}
