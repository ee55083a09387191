// GGML tensor encodings for GGUF files, as ggml/src/ggml-quants.c's reference quantisers write them
// (quantize_row_q8_0_ref, quantize_row_q5_0_ref, quantize_row_q4_K_ref, quantize_row_q6_K_ref: what `llama-quantize`
// runs when no importance matrix is given, and what gguf-py's Q8_0 reproduces bit for bit). Every float operation is
// rounded to float32 (Math.fround) in C's order, so the bytes are the ones an ISO-C build of those functions writes
// (a compiler that fuses multiply-adds may differ in the last bit of a rare scale choice).
// Block layouts (ggml-common.h): Q8_0 = fp16 d + 32 int8; Q5_0 = fp16 d + 4 bytes of 5th bits + 16 nibble bytes;
// Q4_K = fp16 d, fp16 dmin, 12 bytes of 6-bit scales/mins, 128 nibble bytes per 256 values; Q6_K = 128 bytes low
// nibbles, 64 bytes high 2 bits, 16 int8 scales, fp16 d per 256 values.
import { fromFloat16Bits as fp16BitsToFp32, toFloat16Bits as fp32ToFp16Bits } from '../../trainer/fewshot/float16';

export const GGML_TYPE = { F32: 0, F16: 1, Q5_0: 6, Q8_0: 8, Q4_K: 12, Q6_K: 14 } as const;
export type GgmlType = (typeof GGML_TYPE)[keyof typeof GGML_TYPE];

/** Values per block and bytes per block of each type. */
export const GGML_BLOCK: Record<GgmlType, { values: number; bytes: number }> = {
  [GGML_TYPE.F32]: { values: 1, bytes: 4 },
  [GGML_TYPE.F16]: { values: 1, bytes: 2 },
  [GGML_TYPE.Q5_0]: { values: 32, bytes: 22 },
  [GGML_TYPE.Q8_0]: { values: 32, bytes: 34 },
  [GGML_TYPE.Q4_K]: { values: 256, bytes: 144 },
  [GGML_TYPE.Q6_K]: { values: 256, bytes: 210 },
};

export const GGML_TYPE_NAME: Record<GgmlType, string> = {
  [GGML_TYPE.F32]: 'F32',
  [GGML_TYPE.F16]: 'F16',
  [GGML_TYPE.Q5_0]: 'Q5_0',
  [GGML_TYPE.Q8_0]: 'Q8_0',
  [GGML_TYPE.Q4_K]: 'Q4_K',
  [GGML_TYPE.Q6_K]: 'Q6_K',
};

/** Bytes of `count` values (a whole number of blocks) in `type`. */
export function ggmlBytes(type: GgmlType, count: number): number {
  const { values, bytes } = GGML_BLOCK[type];
  if (count % values !== 0) throw new Error(`${count} values are not a whole number of ${GGML_TYPE_NAME[type]} blocks of ${values}.`);
  return (count / values) * bytes;
}

const f = Math.fround;

/** IEEE binary16 bits of a float32, rounded to nearest even (ggml's GGML_FP32_TO_FP16), and back. */
export { fp16BitsToFp32, fp32ToFp16Bits };

/** float → fp16 → float, as C reads back GGML_FP16_TO_FP32(GGML_FP32_TO_FP16(x)). */
const viaFp16 = (x: number): number => fp16BitsToFp32(fp32ToFp16Bits(x));

/** ggml's nearest_int: round half to even through the float32 magic constant 1.5·2^23 (|x| ≤ 4194303). */
function nearestInt(x: number): number {
  return f(x + 12582912) - 12582912;
}

/** C's roundf: half away from zero. */
const roundf = (x: number): number => (x < 0 ? -Math.floor(-x + 0.5) : Math.floor(x + 0.5));

const GROUP_MAX_EPS = f(1e-15);

function writeHalf(out: Uint8Array, at: number, value: number): void {
  const bits = fp32ToFp16Bits(value);
  out[at] = bits & 0xff;
  out[at + 1] = bits >>> 8;
}

// ---------------------------------------------------------------------------------------------- plain encodings

export function encodeF32(x: Float32Array): Uint8Array {
  const out = new Uint8Array(x.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < x.length; i++) view.setFloat32(i * 4, x[i], true);
  return out;
}

export function encodeF16(x: Float32Array): Uint8Array {
  const out = new Uint8Array(x.length * 2);
  for (let i = 0; i < x.length; i++) writeHalf(out, i * 2, x[i]);
  return out;
}

// ---------------------------------------------------------------------------------------------- Q8_0

/** quantize_row_q8_0_ref: per 32 values d = amax/127, q = roundf(x/d). */
export function quantizeQ8_0(x: Float32Array): Uint8Array {
  const nb = x.length / 32;
  const out = new Uint8Array(ggmlBytes(GGML_TYPE.Q8_0, x.length));
  for (let i = 0; i < nb; i++) {
    let amax = 0;
    for (let j = 0; j < 32; j++) amax = Math.max(amax, Math.abs(x[i * 32 + j]));
    const d = f(amax / 127);
    const id = d ? f(1 / d) : 0;
    const o = i * 34;
    writeHalf(out, o, d);
    for (let j = 0; j < 32; j++) out[o + 2 + j] = roundf(f(x[i * 32 + j] * id)) & 0xff;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------- Q5_0

/** quantize_row_q5_0_ref: per 32 values d = max/-16 (max: the value of largest magnitude), q = x/d + 16 in 5 bits. */
export function quantizeQ5_0(x: Float32Array): Uint8Array {
  const nb = x.length / 32;
  const out = new Uint8Array(ggmlBytes(GGML_TYPE.Q5_0, x.length));
  for (let i = 0; i < nb; i++) {
    let amax = 0;
    let max = 0;
    for (let j = 0; j < 32; j++) {
      const v = x[i * 32 + j];
      if (amax < Math.abs(v)) {
        amax = Math.abs(v);
        max = v;
      }
    }
    const d = f(max / -16);
    const id = d ? f(1 / d) : 0;
    const o = i * 22;
    writeHalf(out, o, d);
    let qh = 0;
    for (let j = 0; j < 16; j++) {
      const x0 = f(x[i * 32 + j] * id);
      const x1 = f(x[i * 32 + 16 + j] * id);
      const xi0 = Math.min(31, Math.trunc(f(x0 + 16.5)));
      const xi1 = Math.min(31, Math.trunc(f(x1 + 16.5)));
      out[o + 6 + j] = (xi0 & 0x0f) | ((xi1 & 0x0f) << 4);
      qh |= ((xi0 & 0x10) >>> 4) << j;
      qh |= ((xi1 & 0x10) >>> 4) << (j + 16);
    }
    out[o + 2] = qh & 0xff;
    out[o + 3] = (qh >>> 8) & 0xff;
    out[o + 4] = (qh >>> 16) & 0xff;
    out[o + 5] = (qh >>> 24) & 0xff;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------- Q4_K

/**
 * make_qkx2_quants: levels L (0..nmax) and a scale and min for x ≈ scale·L − theMin, searched over nstep + 1 candidate
 * scales by weighted squared error. Returns [scale, theMin]; L is written at L[lAt…].
 */
function makeQkx2Quants(n: number, nmax: number, x: Float32Array, xAt: number, weights: Float32Array, L: Uint8Array, lAt: number, Laux: Uint8Array, rmin: number, rdelta: number, nstep: number): [number, number] {
  let min = x[xAt];
  let max = x[xAt];
  let sumW = weights[0];
  let sumX = f(sumW * x[xAt]);
  for (let i = 1; i < n; i++) {
    const v = x[xAt + i];
    if (v < min) min = v;
    if (v > max) max = v;
    const w = weights[i];
    sumW = f(sumW + w);
    sumX = f(sumX + f(w * v));
  }
  if (min > 0) min = 0;
  if (max === min) {
    for (let i = 0; i < n; i++) L[lAt + i] = 0;
    return [0, -min];
  }
  let iscale = f(nmax / f(max - min));
  let scale = f(1 / iscale);
  let bestError = 0;
  for (let i = 0; i < n; i++) {
    const l = nearestInt(f(iscale * f(x[xAt + i] - min)));
    L[lAt + i] = Math.max(0, Math.min(nmax, l));
    let diff = f(f(f(scale * L[lAt + i]) + min) - x[xAt + i]);
    diff = f(diff * diff);
    bestError = f(bestError + f(weights[i] * diff));
  }
  if (nstep < 1) return [scale, -min];
  for (let is = 0; is <= nstep; is++) {
    iscale = f(f(f(rmin + f(rdelta * is)) + nmax) / f(max - min));
    let sumL = 0;
    let sumL2 = 0;
    let sumXL = 0;
    for (let i = 0; i < n; i++) {
      let l = nearestInt(f(iscale * f(x[xAt + i] - min)));
      l = Math.max(0, Math.min(nmax, l));
      Laux[i] = l;
      const w = weights[i];
      sumL = f(sumL + f(w * l));
      sumL2 = f(sumL2 + f(f(w * l) * l));
      sumXL = f(sumXL + f(f(w * l) * x[xAt + i]));
    }
    const D = f(f(sumW * sumL2) - f(sumL * sumL));
    if (D > 0) {
      let thisScale = f(f(f(sumW * sumXL) - f(sumX * sumL)) / D);
      let thisMin = f(f(f(sumL2 * sumX) - f(sumL * sumXL)) / D);
      if (thisMin > 0) {
        thisMin = 0;
        thisScale = f(sumXL / sumL2);
      }
      let curError = 0;
      for (let i = 0; i < n; i++) {
        let diff = f(f(f(thisScale * Laux[i]) + thisMin) - x[xAt + i]);
        diff = f(diff * diff);
        curError = f(curError + f(weights[i] * diff));
      }
      if (curError < bestError) {
        for (let i = 0; i < n; i++) L[lAt + i] = Laux[i];
        bestError = curError;
        scale = thisScale;
        min = thisMin;
      }
    }
  }
  return [scale, -min];
}

/** get_scale_min_k4: the 6-bit scale and min of sub-block j from the 12 packed bytes at q[at…]. */
export function scaleMinK4(j: number, q: Uint8Array, at: number): [number, number] {
  if (j < 4) return [q[at + j] & 63, q[at + j + 4] & 63];
  return [(q[at + j + 4] & 0xf) | ((q[at + j - 4] >>> 6) << 4), (q[at + j + 4] >>> 4) | ((q[at + j] >>> 6) << 4)];
}

/** quantize_row_q4_K_ref: 8 sub-blocks of 32 with 6-bit scales and mins under fp16 super-scales, 4-bit values. */
export function quantizeQ4_K(x: Float32Array): Uint8Array {
  const nb = x.length / 256;
  const out = new Uint8Array(ggmlBytes(GGML_TYPE.Q4_K, x.length));
  const L = new Uint8Array(256);
  const Laux = new Uint8Array(32);
  const weights = new Float32Array(32);
  const mins = new Float32Array(8);
  const scales = new Float32Array(8);
  for (let i = 0; i < nb; i++) {
    const xb = i * 256;
    const o = i * 144;
    let maxScale = 0;
    let maxMin = 0;
    for (let j = 0; j < 8; j++) {
      let sumX2 = 0;
      for (let l = 0; l < 32; l++) sumX2 = f(sumX2 + f(x[xb + 32 * j + l] * x[xb + 32 * j + l]));
      const avX = f(Math.sqrt(f(sumX2 / 32)));
      for (let l = 0; l < 32; l++) weights[l] = f(avX + Math.abs(x[xb + 32 * j + l]));
      const [scale, min] = makeQkx2Quants(32, 15, x, xb + 32 * j, weights, L, 32 * j, Laux, -1, f(0.1), 20);
      scales[j] = scale;
      mins[j] = min;
      if (scale > maxScale) maxScale = scale;
      if (min > maxMin) maxMin = min;
    }
    const invScale = maxScale > 0 ? f(63 / maxScale) : 0;
    const invMin = maxMin > 0 ? f(63 / maxMin) : 0;
    const sc = o + 4; // the 12 scale bytes
    for (let j = 0; j < 8; j++) {
      const ls = Math.min(63, nearestInt(f(invScale * scales[j])) & 0xff);
      const lm = Math.min(63, nearestInt(f(invMin * mins[j])) & 0xff);
      if (j < 4) {
        out[sc + j] = ls;
        out[sc + j + 4] = lm;
      } else {
        out[sc + j + 4] = (ls & 0xf) | ((lm & 0xf) << 4);
        out[sc + j - 4] |= (ls >>> 4) << 6;
        out[sc + j] |= (lm >>> 4) << 6;
      }
    }
    writeHalf(out, o, f(maxScale / 63));
    writeHalf(out, o + 2, f(maxMin / 63));
    const dAll = viaFp16(f(maxScale / 63));
    const dminAll = viaFp16(f(maxMin / 63));
    for (let j = 0; j < 8; j++) {
      const [s, m] = scaleMinK4(j, out, sc);
      const d = f(dAll * s);
      if (!d) continue;
      const dm = f(dminAll * m);
      for (let ii = 0; ii < 32; ii++) {
        const l = nearestInt(f(f(x[xb + 32 * j + ii] + dm) / d));
        L[32 * j + ii] = Math.max(0, Math.min(15, l));
      }
    }
    let q = o + 16;
    for (let j = 0; j < 256; j += 64) {
      for (let l = 0; l < 32; l++) out[q + l] = L[j + l] | (L[j + l + 32] << 4);
      q += 32;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------- Q6_K

/** make_qx_quants with rmse_type 1 and no weights: signed levels L (stored + nmax) and the scale. */
function makeQxQuants(n: number, nmax: number, x: Float32Array, xAt: number, L: Int8Array, lAt: number): number {
  let max = 0;
  let amax = 0;
  for (let i = 0; i < n; i++) {
    const ax = Math.abs(x[xAt + i]);
    if (ax > amax) {
      amax = ax;
      max = x[xAt + i];
    }
  }
  if (amax < GROUP_MAX_EPS) {
    for (let i = 0; i < n; i++) L[lAt + i] = 0;
    return 0;
  }
  let iscale = f(-nmax / max);
  let sumlx = 0;
  let suml2 = 0;
  for (let i = 0; i < n; i++) {
    const v = x[xAt + i];
    let l = nearestInt(f(iscale * v));
    l = Math.max(-nmax, Math.min(nmax - 1, l));
    L[lAt + i] = l + nmax;
    const w = f(v * v);
    sumlx = f(sumlx + f(f(w * v) * l));
    suml2 = f(suml2 + f(f(w * l) * l));
  }
  let scale = suml2 ? f(sumlx / suml2) : 0;
  let best = f(scale * sumlx);
  for (let is = -9; is <= 9; is++) {
    if (is === 0) continue;
    iscale = f(-f(nmax + f(f(0.1) * is)) / max);
    sumlx = 0;
    suml2 = 0;
    for (let i = 0; i < n; i++) {
      const v = x[xAt + i];
      let l = nearestInt(f(iscale * v));
      l = Math.max(-nmax, Math.min(nmax - 1, l));
      const w = f(v * v);
      sumlx = f(sumlx + f(f(w * v) * l));
      suml2 = f(suml2 + f(f(w * l) * l));
    }
    if (suml2 > 0 && f(sumlx * sumlx) > f(best * suml2)) {
      for (let i = 0; i < n; i++) {
        const l = nearestInt(f(iscale * x[xAt + i]));
        L[lAt + i] = nmax + Math.max(-nmax, Math.min(nmax - 1, l));
      }
      scale = f(sumlx / suml2);
      best = f(scale * sumlx);
    }
  }
  return scale;
}

/** quantize_row_q6_K_ref: 16 sub-blocks of 16 with int8 scales under an fp16 super-scale, 6-bit values. */
export function quantizeQ6_K(x: Float32Array): Uint8Array {
  const nb = x.length / 256;
  const out = new Uint8Array(ggmlBytes(GGML_TYPE.Q6_K, x.length));
  const L = new Int8Array(256);
  const scales = new Float32Array(16);
  for (let i = 0; i < nb; i++) {
    const xb = i * 256;
    const o = i * 210; // ql[128] qh[64] scales[16] d
    let maxScale = 0;
    let maxAbsScale = 0;
    for (let ib = 0; ib < 16; ib++) {
      const scale = makeQxQuants(16, 32, x, xb + 16 * ib, L, 16 * ib);
      scales[ib] = scale;
      const abs = Math.abs(scale);
      if (abs > maxAbsScale) {
        maxAbsScale = abs;
        maxScale = scale;
      }
    }
    if (maxAbsScale < GROUP_MAX_EPS) continue; // the block stays all zero, d = 0
    const iscale = f(-128 / maxScale);
    writeHalf(out, o + 208, f(1 / iscale));
    const dAll = viaFp16(f(1 / iscale));
    for (let ib = 0; ib < 16; ib++) {
      const s = Math.min(127, nearestInt(f(iscale * scales[ib])));
      out[o + 192 + ib] = s & 0xff; // int8
    }
    for (let j = 0; j < 16; j++) {
      const s = (out[o + 192 + j] << 24) >> 24;
      const d = f(dAll * s);
      if (!d) continue;
      for (let ii = 0; ii < 16; ii++) {
        let l = nearestInt(f(x[xb + 16 * j + ii] / d));
        l = Math.max(-32, Math.min(31, l));
        L[16 * j + ii] = l + 32;
      }
    }
    let ql = o;
    let qh = o + 128;
    for (let j = 0; j < 256; j += 128) {
      for (let l = 0; l < 32; l++) {
        const q1 = L[j + l] & 0xf;
        const q2 = L[j + l + 32] & 0xf;
        const q3 = L[j + l + 64] & 0xf;
        const q4 = L[j + l + 96] & 0xf;
        out[ql + l] = q1 | (q3 << 4);
        out[ql + l + 32] = q2 | (q4 << 4);
        out[qh + l] = (L[j + l] >> 4) | ((L[j + l + 32] >> 4) << 2) | ((L[j + l + 64] >> 4) << 4) | ((L[j + l + 96] >> 4) << 6);
      }
      ql += 64;
      qh += 32;
    }
  }
  return out;
}

/** The bytes of `x` in `type` (rows of x.length values must already fit the block size). */
export function encodeAs(type: GgmlType, x: Float32Array): Uint8Array {
  switch (type) {
    case GGML_TYPE.F32:
      return encodeF32(x);
    case GGML_TYPE.F16:
      return encodeF16(x);
    case GGML_TYPE.Q8_0:
      return quantizeQ8_0(x);
    case GGML_TYPE.Q5_0:
      return quantizeQ5_0(x);
    case GGML_TYPE.Q4_K:
      return quantizeQ4_K(x);
    case GGML_TYPE.Q6_K:
      return quantizeQ6_K(x);
  }
}
