// A model folder's weights, one file or sharded (model.safetensors.index.json naming a file per tensor), read tensor by
// tensor: each is read from its offset, widened from F32 / F16 / BF16 to float32, handed on and dropped, so at most
// one tensor's bytes are held beside the model being built (never the whole file, nor two copies of the model).
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { badInput } from '../../../common/result';
import type { FloatTensor } from '../families';

export const SINGLE_FILE = 'model.safetensors';
export const SHARD_INDEX = 'model.safetensors.index.json';

const DTYPE_BYTES: Record<string, number> = { F32: 4, F16: 2, BF16: 2 };
const MAX_HEADER = 100_000_000;

export interface TensorEntry {
  name: string;
  dtype: string;
  shape: number[];
  file: string;
  begin: number; // absolute byte offsets in the file
  end: number;
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

/** Every tensor's place in one safetensors file, checked against the file's size. */
export function tensorEntries(file: string): { entries: TensorEntry[]; metadata: Record<string, string> } {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const lengthBytes = Buffer.alloc(8);
    if (readSync(fd, lengthBytes, 0, 8, 0) < 8) throw badInput(`${file} is too short to be a safetensors file.`);
    const length = Number(lengthBytes.readBigUInt64LE(0));
    if (length > MAX_HEADER || 8 + length > size) throw badInput(`${file}: a header of ${length} bytes does not fit a safetensors file of ${size} bytes.`);
    const header = Buffer.alloc(length);
    readSync(fd, header, 0, length, 8);
    let parsed: unknown;
    try {
      parsed = JSON.parse(header.toString('utf8'));
    } catch {
      throw badInput(`${file}: the safetensors header is not valid JSON.`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw badInput(`${file}: the safetensors header is not a JSON object.`);
    const dataStart = 8 + length;
    const entries: TensorEntry[] = [];
    let metadata: Record<string, string> = {};
    for (const [name, raw] of Object.entries(parsed as Record<string, unknown>)) {
      if (name === '__metadata__') {
        metadata = (raw ?? {}) as Record<string, string>;
        continue;
      }
      const e = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
      const width = DTYPE_BYTES[e?.dtype as string];
      if (!width) throw badInput(`${file}: tensor ${name} has dtype ${String(e?.dtype)}; Tunebench reads F32, F16 and BF16.`);
      const shape = e.shape;
      if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) throw badInput(`${file}: tensor ${name} has no valid shape.`);
      const offsets = e.data_offsets;
      const count = (shape as number[]).reduce((a, b) => a * b, 1);
      if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isInteger(o) && o >= 0) || offsets[1] - offsets[0] !== count * width || dataStart + offsets[1] > size) {
        throw badInput(`${file}: tensor ${name} has data_offsets that do not match its shape or run past the end of the file.`);
      }
      entries.push({ name, dtype: e.dtype as string, shape: shape as number[], file, begin: dataStart + offsets[0], end: dataStart + offsets[1] });
    }
    entries.sort((a, b) => a.begin - b.begin);
    return { entries, metadata };
  } finally {
    closeSync(fd);
  }
}

/** Every tensor of a folder (all shards), without reading the data. */
export function folderTensorEntries(folder: string): TensorEntry[] {
  return weightFilesOf(folder).flatMap((file) => tensorEntries(file).entries);
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/** One tensor's data as float32, read from its offsets. */
export function readTensor(fd: number, entry: TensorEntry): FloatTensor {
  const count = entry.shape.reduce((a, b) => a * b, 1);
  const raw = Buffer.alloc(entry.end - entry.begin);
  readSync(fd, raw, 0, raw.length, entry.begin);
  const out = new Float32Array(count);
  if (entry.dtype === 'F32') new Uint8Array(out.buffer).set(raw);
  else if (entry.dtype === 'BF16') {
    const bits = new Uint32Array(out.buffer);
    for (let i = 0; i < count; i++) bits[i] = raw.readUInt16LE(2 * i) << 16; // bfloat16 is float32's top half
  } else for (let i = 0; i < count; i++) out[i] = halfToFloat(raw.readUInt16LE(2 * i));
  return { name: entry.name, shape: entry.shape, data: out };
}

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
