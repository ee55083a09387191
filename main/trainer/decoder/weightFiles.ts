// A model folder's weights, one file or sharded (model.safetensors.index.json naming a file per tensor), read tensor by
// tensor: each is read from its offset, widened from F32 / F16 / BF16 to float32, handed on and dropped, so at most
// one tensor's bytes are held beside the model being built (never the whole file, nor two copies of the model).
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { badInput } from '../../../common/result';
import type { FloatTensor } from '../families';
import { readSafetensorsPlaces, readTensorAt, type TensorPlace } from '../safetensors';

export const SINGLE_FILE = 'model.safetensors';
export const SHARD_INDEX = 'model.safetensors.index.json';

export interface TensorEntry extends TensorPlace {
  file: string;
}

/** The weight files of a folder: model.safetensors, or the shards its index names (each once, in order). */
export function weightFilesOf(folder: string): string[] {
  const index = join(folder, SHARD_INDEX);
  if (existsSync(index)) {
    let json: { weight_map?: unknown };
    try {
      json = JSON.parse(readFileSync(index, 'utf8')) as { weight_map?: unknown };
    } catch {
      throw badInput(`${index} is not valid JSON.`);
    }
    const map = json.weight_map;
    if (typeof map !== 'object' || map === null || Array.isArray(map)) throw badInput(`${index}: 'weight_map' must be an object of tensor name → file.`);
    const files = [...new Set(Object.values(map as Record<string, unknown>))];
    for (const f of files) {
      if (typeof f !== 'string' || f.includes('/') || f.includes('\\') || !f.endsWith('.safetensors')) throw badInput(`${index}: ${JSON.stringify(f)} is not a .safetensors file name in the same folder.`);
      if (!existsSync(join(folder, f))) throw badInput(`${index} names ${f}, which is not in ${folder} (an incomplete download?).`);
    }
    return (files as string[]).map((f) => join(folder, f));
  }
  if (existsSync(join(folder, SINGLE_FILE))) return [join(folder, SINGLE_FILE)];
  const bin = ['pytorch_model.bin', 'model.bin'].find((f) => existsSync(join(folder, f)));
  if (bin) throw badInput(`${folder} has its weights as ${bin} (PyTorch pickle), which Tunebench does not read: it reads ${SINGLE_FILE} or sharded safetensors with ${SHARD_INDEX}.`);
  throw badInput(`${folder} has no ${SINGLE_FILE} and no ${SHARD_INDEX}.`);
}

/** Every tensor's place in one safetensors file (checked against the file's size), and its metadata. */
export function tensorEntries(file: string): { entries: TensorEntry[]; metadata: Record<string, string> } {
  const { tensors, metadata } = readSafetensorsPlaces(file);
  return { entries: tensors.map((t) => ({ ...t, file })), metadata };
}

/** Every tensor of a folder (all shards), without reading the data. */
export function folderTensorEntries(folder: string): TensorEntry[] {
  return weightFilesOf(folder).flatMap((file) => tensorEntries(file).entries);
}

/** One tensor's data as float32, read from its offsets. */
export const readTensor = (fd: number, entry: TensorEntry): FloatTensor => readTensorAt(fd, entry, entry.file);

/** Calls `each` with every tensor of the folder in file order, one at a time. */
export function streamFolderTensors(folder: string, each: (tensor: FloatTensor) => void): void {
  for (const file of weightFilesOf(folder)) {
    const { entries } = tensorEntries(file);
    const fd = openSync(file, 'r');
    try {
      for (const entry of entries) each(readTensor(fd, entry));
    } finally {
      closeSync(fd);
    }
  }
}
