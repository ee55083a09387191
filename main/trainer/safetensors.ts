// The safetensors format (https://huggingface.co/docs/safetensors): an 8-byte little-endian header length, a JSON
// header { name: { dtype, shape, data_offsets: [begin, end] }, __metadata__: { string: string } } padded with spaces
// to a multiple of 8, then the raw little-endian tensor bytes. Written and read here for float32 only.
import { closeSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';

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
    if (entry.dtype !== 'F32') throw new Error(`${source}: tensor ${name} has dtype ${entry.dtype}; only F32 is supported.`);
    const [begin, end] = entry.data_offsets;
    const count = entry.shape.reduce((a, b) => a * b, 1);
    if (end - begin !== count * 4 || dataStart + end > bytes.byteLength) throw new Error(`${source}: tensor ${name} has bad data_offsets [${begin}, ${end}].`);
    // copy: the data may not be 4-byte aligned in the file buffer
    const data = new Float32Array(count);
    new Uint8Array(data.buffer).set(bytes.subarray(dataStart + begin, dataStart + end));
    tensors.push({ name, shape: entry.shape, data });
  }
  tensors.sort((a, b) => (header[a.name] as HeaderEntry).data_offsets[0] - (header[b.name] as HeaderEntry).data_offsets[0]);
  return { tensors, metadata };
}

export function readSafetensors(path: string): SafetensorsContent {
  return decodeSafetensors(readFileSync(path), path);
}
