// Test-side reading of GGUF tensor data, written from ggml-quants.c's dequantize_row_* (not from the exporter's
// code): F32, F16, Q8_0, Q5_0, Q4_K, Q6_K blocks back to floats, and a tensor's bytes out of a parsed file.
import { closeSync, openSync, readSync } from 'node:fs';

export const TYPE = { F32: 0, F16: 1, Q5_0: 6, Q8_0: 8, Q4_K: 12, Q6_K: 14 } as const;
const BLOCK: Record<number, [number, number]> = { 0: [1, 4], 1: [1, 2], 6: [32, 22], 8: [32, 34], 12: [256, 144], 14: [256, 210] };

export function half(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const mant = bits & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 31) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

const h16 = (b: Uint8Array, at: number) => half(b[at] | (b[at + 1] << 8));
const i8 = (v: number) => (v << 24) >> 24;

/** Bytes a tensor of `count` values takes in `type`. */
export function byteSize(type: number, count: number): number {
  const [values, bytes] = BLOCK[type];
  return (count / values) * bytes;
}

export function dequantize(type: number, b: Uint8Array, count: number): Float32Array {
  const y = new Float32Array(count);
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  switch (type) {
    case TYPE.F32:
      for (let i = 0; i < count; i++) y[i] = view.getFloat32(i * 4, true);
      return y;
    case TYPE.F16:
      for (let i = 0; i < count; i++) y[i] = h16(b, i * 2);
      return y;
    case TYPE.Q8_0:
      for (let i = 0; i < count / 32; i++) {
        const d = h16(b, i * 34);
        for (let j = 0; j < 32; j++) y[i * 32 + j] = i8(b[i * 34 + 2 + j]) * d;
      }
      return y;
    case TYPE.Q5_0:
      for (let i = 0; i < count / 32; i++) {
        const o = i * 22;
        const d = h16(b, o);
        const qh = view.getUint32(o + 2, true);
        for (let j = 0; j < 16; j++) {
          const xh0 = ((qh >>> j) << 4) & 0x10;
          const xh1 = (qh >>> (j + 12)) & 0x10;
          y[i * 32 + j] = (((b[o + 6 + j] & 0x0f) | xh0) - 16) * d;
          y[i * 32 + j + 16] = (((b[o + 6 + j] >> 4) | xh1) - 16) * d;
        }
      }
      return y;
    case TYPE.Q4_K: {
      const scaleMin = (j: number, q: Uint8Array, at: number): [number, number] =>
        j < 4 ? [q[at + j] & 63, q[at + j + 4] & 63] : [(q[at + j + 4] & 0xf) | ((q[at + j - 4] >> 6) << 4), (q[at + j + 4] >> 4) | ((q[at + j] >> 6) << 4)];
      let out = 0;
      for (let i = 0; i < count / 256; i++) {
        const o = i * 144;
        const d = h16(b, o);
        const min = h16(b, o + 2);
        let q = o + 16;
        let is = 0;
        for (let j = 0; j < 256; j += 64) {
          const [sc1, m1] = scaleMin(is, b, o + 4);
          const [sc2, m2] = scaleMin(is + 1, b, o + 4);
          for (let l = 0; l < 32; l++) y[out++] = d * sc1 * (b[q + l] & 0xf) - min * m1;
          for (let l = 0; l < 32; l++) y[out++] = d * sc2 * (b[q + l] >> 4) - min * m2;
          q += 32;
          is += 2;
        }
      }
      return y;
    }
    case TYPE.Q6_K: {
      let out = 0;
      for (let i = 0; i < count / 256; i++) {
        const o = i * 210;
        const d = h16(b, o + 208);
        let ql = o;
        let qh = o + 128;
        let sc = o + 192;
        for (let n = 0; n < 256; n += 128) {
          for (let l = 0; l < 32; l++) {
            const is = Math.floor(l / 16);
            const q1 = ((b[ql + l] & 0xf) | (((b[qh + l] >> 0) & 3) << 4)) - 32;
            const q2 = ((b[ql + l + 32] & 0xf) | (((b[qh + l] >> 2) & 3) << 4)) - 32;
            const q3 = ((b[ql + l] >> 4) | (((b[qh + l] >> 4) & 3) << 4)) - 32;
            const q4 = ((b[ql + l + 32] >> 4) | (((b[qh + l] >> 6) & 3) << 4)) - 32;
            y[out + l] = d * i8(b[sc + is]) * q1;
            y[out + l + 32] = d * i8(b[sc + is + 2]) * q2;
            y[out + l + 64] = d * i8(b[sc + is + 4]) * q3;
            y[out + l + 96] = d * i8(b[sc + is + 6]) * q4;
          }
          out += 128;
          ql += 64;
          qh += 32;
          sc += 8;
        }
      }
      return y;
    }
    default:
      throw new Error(`No dequantiser for ggml type ${type}.`);
  }
}

/** The bytes at [start, start + length) of a file. */
export function readBytes(path: string, start: number, length: number): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const out = new Uint8Array(length);
    let at = 0;
    while (at < length) {
      const n = readSync(fd, out, at, length - at, start + at);
      if (n === 0) throw new Error(`${path} ends before byte ${start + length}.`);
      at += n;
    }
    return out;
  } finally {
    closeSync(fd);
  }
}

/**
 * A bound on the error a type's reference quantiser leaves on each value of `x`, block by block (ggml-quants.c):
 * F16 half an ulp; Q8_0 half a step of amax/127 (plus the fp16 rounding of the step); Q5_0 one step of amax/16 (the
 * value opposite the largest clips at +15); Q4_K two steps of the super-block's widest sub-block (every sub-block's
 * step and min are 6-bit codes of the widest one's, and the search may clip an extreme for a finer step); Q6_K one
 * step of the super-block's amax/32 (its 8-bit sub-block scales under one fp16 scale, values −32…31).
 */
export function errorBound(type: number, x: Float32Array): Float32Array {
  const bound = new Float32Array(x.length);
  const amaxOf = (from: number, n: number) => {
    let a = 0;
    for (let i = from; i < from + n; i++) a = Math.max(a, Math.abs(x[i]));
    return a;
  };
  const rangeOf = (from: number, n: number) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = from; i < from + n; i++) {
      lo = Math.min(lo, x[i]);
      hi = Math.max(hi, x[i]);
    }
    return hi - Math.min(lo, 0);
  };
  const fill = (n: number, f: (from: number) => number) => {
    for (let from = 0; from < x.length; from += n) bound.fill(f(from), from, from + n);
  };
  if (type === TYPE.F32) return bound;
  if (type === TYPE.F16) {
    for (let i = 0; i < x.length; i++) bound[i] = Math.abs(x[i]) * 2 ** -11 + 2 ** -25;
    return bound;
  }
  if (type === TYPE.Q8_0) fill(32, (from) => (0.5 * amaxOf(from, 32)) / 127 + amaxOf(from, 32) * 2 ** -11);
  else if (type === TYPE.Q5_0) fill(32, (from) => (1.01 * amaxOf(from, 32)) / 16);
  else if (type === TYPE.Q4_K)
    fill(256, (from) => {
      let widest = 0; // the super-block's scales are 6-bit codes of the widest sub-block's step
      for (let j = 0; j < 8; j++) widest = Math.max(widest, rangeOf(from + 32 * j, 32));
      return (2 * widest) / 15 + 1e-7;
    });
  else if (type === TYPE.Q6_K) fill(256, (from) => amaxOf(from, 256) / 32 + 1e-7);
  return bound;
}
