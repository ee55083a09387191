// The safetensors format (https://huggingface.co/docs/safetensors): an 8-byte little-endian header length, a JSON
// header { name: { dtype, shape, data_offsets: [begin, end] }, __metadata__: { string: string } } padded with spaces
// to a multiple of 8, then the raw little-endian tensor bytes. Written as float32; read from F32, F16 or BF16.
import { closeSync, openSync, readFileSync, readSync, renameSync, writeSync } from 'node:fs';

export interface NamedArray {
  name: string;
  shape: number[];
  data: Float32Array;
}

export interface SafetensorsContent {
  tensors: NamedArray[];
  metadata: Record<string, string>;
}

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

const isLittleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** The file's bytes: header then tensors in the order given. */
export function encodeSafetensors(tensors: readonly NamedArray[], metadata: Record<string, string> = {}): Buffer[] {
  if (!isLittleEndian) throw new Error('Writing safetensors needs a little-endian machine.');
  const header: Record<string, HeaderEntry | Record<string, string>> = { __metadata__: metadata };
  let offset = 0;
  for (const t of tensors) {
    const expected = t.shape.reduce((a, b) => a * b, 1);
    if (expected !== t.data.length) throw new Error(`Tensor ${t.name} has ${t.data.length} values but shape [${t.shape}].`);
    if (t.name in header) throw new Error(`Tensor name ${t.name} appears twice.`);
    header[t.name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (Buffer.byteLength(json) % 8)) % 8);
  const headerBytes = Buffer.from(json, 'utf8');
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(headerBytes.length));
  return [length, headerBytes, ...tensors.map((t) => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength))];
}

/** Writes to `${path}.tmp` and renames, so a reader never sees half a file. Returns the size in bytes. */
export function writeSafetensors(path: string, tensors: readonly NamedArray[], metadata: Record<string, string> = {}): number {
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  let bytes = 0;
  try {
    for (const chunk of encodeSafetensors(tensors, metadata)) bytes += writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  return bytes;
}

const DTYPE_BYTES: Record<string, number> = { F32: 4, F16: 2, BF16: 2 };

/** Half-precision bits → float32 (subnormals, infinities and NaN included). */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/** A tensor's little-endian bytes as float32 (copied: the data may not be aligned in the file buffer). */
function toFloat32(dtype: string, raw: Uint8Array, count: number): Float32Array {
  const out = new Float32Array(count);
  if (dtype === 'F32') {
    new Uint8Array(out.buffer).set(raw);
    return out;
  }
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  if (dtype === 'BF16') {
    const bits = new Uint32Array(out.buffer);
    for (let i = 0; i < count; i++) bits[i] = view.getUint16(2 * i, true) << 16; // bfloat16 is float32's top half
  } else {
    for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(2 * i, true));
  }
  return out;
}

/** Tensor names, dtypes and shapes, and the metadata, reading only the header (a model file may be gigabytes). */
export function readSafetensorsHeader(path: string): { tensors: { name: string; dtype: string; shape: number[] }[]; metadata: Record<string, string> } {
  const fd = openSync(path, 'r');
  try {
    const lengthBytes = Buffer.alloc(8);
    if (readSync(fd, lengthBytes, 0, 8, 0) < 8) throw new Error(`${path} is too short to be a safetensors file.`);
    const length = Number(lengthBytes.readBigUInt64LE(0));
    if (length > 100_000_000) throw new Error(`${path}: a header of ${length} bytes is not a safetensors header.`);
    const header = Buffer.alloc(length);
    if (readSync(fd, header, 0, length, 8) < length) throw new Error(`${path}: header length ${length} runs past the end of the file.`);
    let parsed: Record<string, HeaderEntry | Record<string, string>>;
    try {
      parsed = JSON.parse(header.toString('utf8'));
    } catch {
      throw new Error(`${path}: the header is not valid JSON.`);
    }
    const tensors = Object.entries(parsed)
      .filter(([name]) => name !== '__metadata__')
      .map(([name, e]) => ({ name, dtype: (e as HeaderEntry).dtype, shape: (e as HeaderEntry).shape }));
    return { tensors, metadata: (parsed.__metadata__ ?? {}) as Record<string, string> };
  } finally {
    closeSync(fd);
  }
}

export function decodeSafetensors(bytes: Uint8Array, source = 'safetensors data'): SafetensorsContent {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 8) throw new Error(`${source} is too short to be a safetensors file.`);
  const headerLength = Number(view.getBigUint64(0, true));
  if (8 + headerLength > bytes.byteLength) throw new Error(`${source}: header length ${headerLength} runs past the end of the file.`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + 8, headerLength).toString('utf8'));
  } catch {
    throw new Error(`${source}: the header is not valid JSON.`);
  }
  const dataStart = 8 + headerLength;
  const metadata = (header.__metadata__ ?? {}) as Record<string, string>;
  const tensors: NamedArray[] = [];
  for (const [name, raw] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const entry = raw as HeaderEntry;
    const width = DTYPE_BYTES[entry.dtype];
    if (!width) throw new Error(`${source}: tensor ${name} has dtype ${entry.dtype}; F32, F16 and BF16 are supported.`);
    const [begin, end] = entry.data_offsets;
    const count = entry.shape.reduce((a, b) => a * b, 1);
    if (end - begin !== count * width || dataStart + end > bytes.byteLength) throw new Error(`${source}: tensor ${name} has bad data_offsets [${begin}, ${end}].`);
    tensors.push({ name, shape: entry.shape, data: toFloat32(entry.dtype, bytes.subarray(dataStart + begin, dataStart + end), count) });
  }
  tensors.sort((a, b) => (header[a.name] as HeaderEntry).data_offsets[0] - (header[b.name] as HeaderEntry).data_offsets[0]);
  return { tensors, metadata };
}

export function readSafetensors(path: string): SafetensorsContent {
  return decodeSafetensors(readFileSync(path), path);
}
