// The GGUF encoders against ggml: the bytes of ggml-quants.c's reference quantisers (hashes of what libggml-base's
// quantize_row_*_ref wrote for this input, llama.cpp built from its public source), fp16 rounding, and each type
// read back by the test's own dequantiser within the type's error.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encodeF16, fp16BitsToFp32, fp32ToFp16Bits, GGML_TYPE, ggmlBytes, quantizeQ4_K, quantizeQ5_0, quantizeQ6_K, quantizeQ8_0 } from '../../../main/export/gguf/quantize';
import { dequantize, errorBound, TYPE } from './ggufDequant';

/** 256·blocks values: Gaussians at several scales, an all-zero block and a sparse one. */
function values(n: number): Float32Array {
  let s = 12345;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 2 ** 32;
  };
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const g = Math.sqrt(-2 * Math.log(next())) * Math.cos(2 * Math.PI * next());
    const block = Math.floor(i / 256);
    x[i] = block === 3 ? 0 : block === 4 ? (i % 9 === 0 ? 2.5 : 0) : g * [0.02, 1, 0.3, 0, 0, 7][block % 6] + (block % 5 === 2 ? 0.1 : 0);
  }
  return x;
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('GGUF tensor encodings', () => {
  const x = values(256 * 12);

  it('writes the bytes of ggml-quants.c reference quantisers', () => {
    // sha256 of what quantize_row_{q8_0,q5_0,q4_K,q6_K}_ref in libggml-base (llama.cpp, GGML_NATIVE build) wrote for x
    expect(sha(quantizeQ8_0(x))).toBe('7b9d634fe64e6e92648d8587cebc89e09c0506700bbfedc0481265c3cdafb226');
    expect(sha(quantizeQ5_0(x))).toBe('81c20fcdfa26a25a522f1fdc091ccbf844ad0d68552e81f3ff23088a95cd52b7');
    expect(sha(quantizeQ4_K(x))).toBe('54e8130f66d67e3ba27ba0e240cc84c0f2054e404d36910ba32da8454107397e');
    expect(sha(quantizeQ6_K(x))).toBe('188a3c4c91a9f3f2d5b13cfc8e94c6740224da1a9a5c26cbb9940c7af6c903f8');
  });

  it('rounds float32 to fp16 to nearest even, through subnormals, overflow and NaN', () => {
    const cases: [number, number][] = [
      [0, 0x0000],
      [-0, 0x8000],
      [1, 0x3c00],
      [-2, 0xc000],
      [65504, 0x7bff],
      [65520, 0x7c00], // halfway to the next binade: rounds to inf
      [1e6, 0x7c00],
      [Infinity, 0x7c00],
      [2 ** -24, 0x0001],
      [2 ** -25, 0x0000], // a tie at half the smallest subnormal: even (zero)
      [Math.fround(2 ** -25 * 1.0000001), 0x0001],
      [2 ** -14, 0x0400],
      [1 + 2 ** -11, 0x3c00], // tie: even
      [1 + 3 * 2 ** -11, 0x3c02], // tie: even (up)
      [0.1, 0x2e66],
    ];
    for (const [v, bits] of cases) expect(fp32ToFp16Bits(v), String(v)).toBe(bits);
    expect(fp32ToFp16Bits(NaN) & 0x7c00).toBe(0x7c00);
    expect(fp32ToFp16Bits(NaN) & 0x3ff).not.toBe(0);
    for (let bits = 0; bits < 0x7c00; bits += 7) expect(fp32ToFp16Bits(fp16BitsToFp32(bits))).toBe(bits);
  });

  const cases = [
    { name: 'F16', type: TYPE.F16, encode: encodeF16, bytes: ggmlBytes(GGML_TYPE.F16, x.length) },
    { name: 'Q8_0', type: TYPE.Q8_0, encode: quantizeQ8_0, bytes: (x.length / 32) * 34 },
    { name: 'Q5_0', type: TYPE.Q5_0, encode: quantizeQ5_0, bytes: (x.length / 32) * 22 },
    { name: 'Q4_K', type: TYPE.Q4_K, encode: quantizeQ4_K, bytes: (x.length / 256) * 144 },
    { name: 'Q6_K', type: TYPE.Q6_K, encode: quantizeQ6_K, bytes: (x.length / 256) * 210 },
  ];
  for (const c of cases) {
    it(`${c.name} reads back within its error`, () => {
      const bytes = c.encode(x);
      expect(bytes.length).toBe(c.bytes);
      const y = dequantize(c.type, bytes, x.length);
      const bound = errorBound(c.type, x);
      let worst = 0;
      for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(y[i] - x[i]) / (bound[i] || 1e-30));
      expect(worst).toBeLessThanOrEqual(1);
      // zeros stay zeros in every type
      for (let i = 3 * 256; i < 4 * 256; i++) expect(Math.abs(y[i])).toBe(0);
    });
  }

  it('refuses a length that is not a whole number of blocks', () => {
    expect(() => quantizeQ8_0(new Float32Array(48))).toThrow(/whole number of Q8_0 blocks/);
    expect(() => quantizeQ4_K(new Float32Array(128))).toThrow(/whole number of Q4_K blocks/);
  });
});
