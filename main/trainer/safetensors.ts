// The safetensors format (https://huggingface.co/docs/safetensors): an 8-byte little-endian header length, a JSON
// header { name: { dtype, shape, data_offsets: [begin, end] }, __metadata__: { string: string } } padded with spaces
// to a multiple of 8, then the raw little-endian tensor bytes. Written as float32; read from F32, F16 or BF16.
import { closeSync, fstatSync, openSync, readFileSync, readSync, renameSync, writeSync } from 'node:fs';
import { badInput } from '../../common/result';

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

/** Bytes per element of every dtype the format defines; the ones read into float32 are F32, F16 and BF16. */
const DTYPE_WIDTH: Record<string, number> = {
  F64: 8, F32: 4, F16: 2, BF16: 2, F8_E4M3: 1, F8_E5M2: 1,
  I64: 8, I32: 4, I16: 2, I8: 1, U64: 8, U32: 4, U16: 2, U8: 1, BOOL: 1,
};
const READABLE = new Set(['F32', 'F16', 'BF16']);
/** The format's own limit (the reference implementation refuses larger headers). */
const MAX_HEADER_BYTES = 100_000_000;

interface CheckedEntry {
  name: string;
  dtype: string;
  shape: number[];
  begin: number;
  end: number;
}

interface CheckedHeader {
  tensors: CheckedEntry[]; // in file order
  metadata: Record<string, string>;
  dataStart: number;
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/**
 * The header length from the first 8 bytes, checked against the file's size: a hostile length (2^62, say) is refused
 * before anything is allocated. Every refusal is bad input naming the file.
 */
function checkedHeaderLength(lengthBytes: Uint8Array, fileBytes: number, source: string): number {
  if (fileBytes < 8) throw badInput(`${source} is not a safetensors file: it has ${fileBytes} bytes, under the 8 of the header length.`);
  const length = new DataView(lengthBytes.buffer, lengthBytes.byteOffset, 8).getBigUint64(0, true);
  if (length > BigInt(fileBytes - 8)) {
    throw badInput(`${source} is not a valid safetensors file: its header length ${length} runs past the end of the file (${fileBytes} bytes).`);
  }
  if (length > BigInt(MAX_HEADER_BYTES)) throw badInput(`${source} is not a valid safetensors file: a header of ${length} bytes is over the format's limit of 100 MB.`);
  if (length < 2n) throw badInput(`${source} is not a valid safetensors file: its header is empty.`);
  return Number(length);
}

/** The JSON header parsed and checked: every tensor's dtype, shape and data_offsets inside the file's data. */
function checkHeader(headerBytes: Uint8Array, fileBytes: number, source: string): CheckedHeader {
  const bad = (what: string) => badInput(`${source} is not a valid safetensors file: ${what}.`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(headerBytes));
  } catch {
    throw bad('its header is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw bad('its header is not a JSON object');
  const dataStart = 8 + headerBytes.byteLength;
  const dataBytes = fileBytes - dataStart;
  let metadata: Record<string, string> = {};
  const tensors: CheckedEntry[] = [];
  for (const [name, raw] of Object.entries(parsed as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || Object.values(raw).some((v) => typeof v !== 'string')) {
        throw bad('its __metadata__ is not an object of strings');
      }
      metadata = raw as Record<string, string>;
      continue;
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw bad(`tensor ${JSON.stringify(name)} is not an object`);
    const entry = raw as Record<string, unknown>;
    const { dtype, shape, data_offsets: offsets } = entry;
    if (typeof dtype !== 'string' || !(dtype in DTYPE_WIDTH)) throw bad(`tensor ${name} has dtype ${JSON.stringify(dtype)}, which the format does not define`);
    if (!Array.isArray(shape) || !shape.every(isCount)) throw bad(`tensor ${name} has shape ${JSON.stringify(shape)}; a shape is a list of whole numbers`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount) || offsets[0] > offsets[1]) {
      throw bad(`tensor ${name} has data_offsets ${JSON.stringify(offsets)}; they are [begin, end] with begin ≤ end`);
    }
    const [begin, end] = offsets as [number, number];
    if (end > dataBytes) throw bad(`tensor ${name} ends at byte ${end} of the data, past its end (${dataBytes} bytes)`);
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    if (count * DTYPE_WIDTH[dtype] !== end - begin) {
      throw bad(`tensor ${name} has shape [${shape}] of ${dtype} (${count * DTYPE_WIDTH[dtype]} bytes) but data_offsets [${begin}, ${end}] (${end - begin} bytes)`);
    }
    tensors.push({ name, dtype, shape: shape as number[], begin, end });
  }
  tensors.sort((a, b) => a.begin - b.begin);
  return { tensors, metadata, dataStart };
}

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

/** A tensor's place in a file: begin and end are absolute byte offsets. */
export type TensorPlace = CheckedEntry;

/** Every tensor's place in the file (in file order) and the metadata, reading and checking only the header. */
export function readSafetensorsPlaces(path: string): { tensors: TensorPlace[]; metadata: Record<string, string> } {
  const fd = openSync(path, 'r');
  try {
    const fileBytes = fstatSync(fd).size;
    const lengthBytes = Buffer.alloc(8);
    readSync(fd, lengthBytes, 0, 8, 0);
    const length = checkedHeaderLength(lengthBytes, fileBytes, path);
    const header = Buffer.alloc(length);
    if (readSync(fd, header, 0, length, 8) < length) throw badInput(`${path} is not a valid safetensors file: it ends inside its header.`);
    const { tensors, metadata, dataStart } = checkHeader(header, fileBytes, path);
    return { tensors: tensors.map((t) => ({ ...t, begin: dataStart + t.begin, end: dataStart + t.end })), metadata };
  } finally {
    closeSync(fd);
  }
}

/** Tensor names, dtypes and shapes, and the metadata, reading only the header (a model file may be gigabytes). */
export function readSafetensorsHeader(path: string): { tensors: { name: string; dtype: string; shape: number[] }[]; metadata: Record<string, string> } {
  const { tensors, metadata } = readSafetensorsPlaces(path);
  return { tensors: tensors.map(({ name, dtype, shape }) => ({ name, dtype, shape })), metadata };
}

/** One tensor as float32, read at its place from an open file (`source` names the file in errors). */
export function readTensorAt(fd: number, place: TensorPlace, source: string): NamedArray {
  if (!READABLE.has(place.dtype)) throw badInput(`${source}: tensor ${place.name} has dtype ${place.dtype}; F32, F16 and BF16 are supported.`);
  const raw = Buffer.alloc(place.end - place.begin);
  readSync(fd, raw, 0, raw.length, place.begin);
  return { name: place.name, shape: place.shape, data: toFloat32(place.dtype, raw, place.shape.reduce((a, b) => a * b, 1)) };
}

export function decodeSafetensors(bytes: Uint8Array, source = 'safetensors data'): SafetensorsContent {
  const headerLength = checkedHeaderLength(bytes, bytes.byteLength, source);
  const { tensors: entries, metadata, dataStart } = checkHeader(bytes.subarray(8, 8 + headerLength), bytes.byteLength, source);
  const tensors: NamedArray[] = [];
  for (const { name, dtype, shape, begin, end } of entries) {
    if (!READABLE.has(dtype)) throw badInput(`${source}: tensor ${name} has dtype ${dtype}; F32, F16 and BF16 are supported.`);
    const count = shape.reduce((a, b) => a * b, 1);
    tensors.push({ name, shape, data: toFloat32(dtype, bytes.subarray(dataStart + begin, dataStart + end), count) });
  }
  return { tensors, metadata };
}

export function readSafetensors(path: string): SafetensorsContent {
  return decodeSafetensors(readFileSync(path), path);
}
