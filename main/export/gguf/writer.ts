// The GGUF container, version 3 (ggml's docs/gguf.md, gguf-py's GGUFWriter): little-endian; "GGUF", version,
// tensor count (u64), metadata count (u64); each metadata pair as a string key (u64 length + UTF-8), a u32 value type
// and the value (arrays: element type u32, count u64, elements); each tensor's info as name, n_dims (u32), dims (u64,
// innermost first: a (rows, cols) matrix is written [cols, rows]), ggml type (u32) and offset (u64, from the start of
// the data section, a multiple of general.alignment); zero padding to the alignment; the tensor data, each padded.
// The file is streamed to disk tensor by tensor: only one tensor's encoded bytes are held at a time.
import { closeSync, openSync, writeSync } from 'node:fs';
import { ggmlBytes, type GgmlType } from './quantize';

export const GGUF_VERSION = 3;
export const GGUF_ALIGNMENT = 32;

/** GGUF value types (gguf-py GGUFValueType). */
export const GGUF_VALUE = { UINT8: 0, INT8: 1, UINT16: 2, INT16: 3, UINT32: 4, INT32: 5, FLOAT32: 6, BOOL: 7, STRING: 8, ARRAY: 9, UINT64: 10, INT64: 11, FLOAT64: 12 } as const;

export type GgufValue =
  | { type: 'u32'; value: number }
  | { type: 'i32'; value: number }
  | { type: 'f32'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'string'; value: string }
  | { type: 'string[]'; value: readonly string[] }
  | { type: 'i32[]'; value: ArrayLike<number> }
  | { type: 'f32[]'; value: ArrayLike<number> }
  | { type: 'bool[]'; value: readonly boolean[] };

export const u32 = (value: number): GgufValue => ({ type: 'u32', value });
export const f32 = (value: number): GgufValue => ({ type: 'f32', value });
export const bool = (value: boolean): GgufValue => ({ type: 'bool', value });
export const str = (value: string): GgufValue => ({ type: 'string', value });

/** A tensor to write: dims in GGUF (ggml) order, innermost first; `encode` is called once, when its turn comes. */
export interface GgufTensor {
  name: string;
  dims: number[];
  type: GgmlType;
  encode(): Uint8Array;
}

const encoder = new TextEncoder();

/** Growable little-endian byte buffer for the header. */
class Bytes {
  private buf = new Uint8Array(1 << 16);
  private view = new DataView(this.buf.buffer);
  length = 0;

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(v: number): void {
    this.room(1);
    this.view.setUint8(this.length, v);
    this.length += 1;
  }
  u32(v: number): void {
    this.room(4);
    this.view.setUint32(this.length, v, true);
    this.length += 4;
  }
  i32(v: number): void {
    this.room(4);
    this.view.setInt32(this.length, v, true);
    this.length += 4;
  }
  f32(v: number): void {
    this.room(4);
    this.view.setFloat32(this.length, v, true);
    this.length += 4;
  }
  u64(v: number | bigint): void {
    this.room(8);
    this.view.setBigUint64(this.length, BigInt(v), true);
    this.length += 8;
  }
  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }
  string(s: string): void {
    const b = encoder.encode(s);
    this.u64(b.length);
    this.bytes(b);
  }
  pad(alignment: number): void {
    const n = (alignment - (this.length % alignment)) % alignment;
    this.room(n);
    this.length += n; // the buffer is zero-filled
  }
  result(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

function writeValue(b: Bytes, v: GgufValue): void {
  switch (v.type) {
    case 'u32':
      if (!Number.isInteger(v.value) || v.value < 0 || v.value > 0xffffffff) throw new Error(`GGUF u32 value out of range: ${v.value}`);
      b.u32(GGUF_VALUE.UINT32);
      b.u32(v.value);
      return;
    case 'i32':
      b.u32(GGUF_VALUE.INT32);
      b.i32(v.value);
      return;
    case 'f32':
      b.u32(GGUF_VALUE.FLOAT32);
      b.f32(v.value);
      return;
    case 'bool':
      b.u32(GGUF_VALUE.BOOL);
      b.u8(v.value ? 1 : 0);
      return;
    case 'string':
      b.u32(GGUF_VALUE.STRING);
      b.string(v.value);
      return;
    case 'string[]':
      b.u32(GGUF_VALUE.ARRAY);
      b.u32(GGUF_VALUE.STRING);
      b.u64(v.value.length);
      for (const s of v.value) b.string(s);
      return;
    case 'i32[]':
      b.u32(GGUF_VALUE.ARRAY);
      b.u32(GGUF_VALUE.INT32);
      b.u64(v.value.length);
      for (let i = 0; i < v.value.length; i++) b.i32(v.value[i]);
      return;
    case 'f32[]':
      b.u32(GGUF_VALUE.ARRAY);
      b.u32(GGUF_VALUE.FLOAT32);
      b.u64(v.value.length);
      for (let i = 0; i < v.value.length; i++) b.f32(v.value[i]);
      return;
    case 'bool[]':
      b.u32(GGUF_VALUE.ARRAY);
      b.u32(GGUF_VALUE.BOOL);
      b.u64(v.value.length);
      for (const x of v.value) b.u8(x ? 1 : 0);
      return;
  }
}

const align = (n: number, a: number) => Math.ceil(n / a) * a;

/** Where each tensor's data starts (from the data section's start) and the data section's size. */
export function tensorOffsets(tensors: readonly Pick<GgufTensor, 'dims' | 'type'>[], alignment = GGUF_ALIGNMENT): { offsets: number[]; sizes: number[]; total: number } {
  const offsets: number[] = [];
  const sizes: number[] = [];
  let at = 0;
  for (const t of tensors) {
    const size = ggmlBytes(t.type, t.dims.reduce((a, b) => a * b, 1));
    offsets.push(at);
    sizes.push(size);
    at = align(at + size, alignment);
  }
  return { offsets, sizes, total: at };
}

/** The header: magic, version, counts, metadata, tensor infos, padding to the alignment. */
export function encodeGgufHeader(metadata: ReadonlyMap<string, GgufValue>, tensors: readonly Pick<GgufTensor, 'name' | 'dims' | 'type'>[], alignment = GGUF_ALIGNMENT): Uint8Array {
  const b = new Bytes();
  b.bytes(encoder.encode('GGUF'));
  b.u32(GGUF_VERSION);
  b.u64(tensors.length);
  b.u64(metadata.size);
  for (const [key, value] of metadata) {
    b.string(key);
    writeValue(b, value);
  }
  const { offsets } = tensorOffsets(tensors, alignment);
  const names = new Set<string>();
  tensors.forEach((t, i) => {
    if (names.has(t.name)) throw new Error(`Tensor ${t.name} appears twice.`);
    names.add(t.name);
    b.string(t.name);
    b.u32(t.dims.length);
    for (const d of t.dims) b.u64(d);
    b.u32(t.type);
    b.u64(offsets[i]);
  });
  b.pad(alignment);
  return b.result();
}

/** Writes the whole file to `path`; returns its size in bytes. */
export function writeGguf(path: string, metadata: ReadonlyMap<string, GgufValue>, tensors: readonly GgufTensor[], alignment = GGUF_ALIGNMENT): number {
  const header = encodeGgufHeader(metadata, tensors, alignment);
  const { sizes } = tensorOffsets(tensors, alignment);
  const fd = openSync(path, 'w');
  let written = 0;
  const put = (bytes: Uint8Array) => {
    let at = 0;
    while (at < bytes.length) at += writeSync(fd, bytes, at, bytes.length - at);
    written += bytes.length;
  };
  try {
    put(header);
    tensors.forEach((t, i) => {
      const data = t.encode();
      if (data.length !== sizes[i]) throw new Error(`Tensor ${t.name} encoded to ${data.length} bytes, its type and shape need ${sizes[i]}.`);
      put(data);
      const pad = (alignment - (data.length % alignment)) % alignment;
      if (pad) put(new Uint8Array(pad)); // after the last one too, as gguf-py writes it
    });
  } finally {
    closeSync(fd);
  }
  return written;
}
