import { describe, expect, it } from 'vitest';
import { gemmFor } from '../../../main/trainer/kernels/wasmGemm';
import { mulberry32 } from '../../../main/trainer/rng';

// The batched SIMD kernel, assembled at run time by kernels/wasmAsm.ts, on a heap of its own: every element of every
// product against a plain triple loop, for a shared (threaded build) and an unshared (single-threaded build) memory.
function check(memory: WebAssembly.Memory, batch: number, m: number, k: number, n: number, sharedLeft: boolean) {
  const gemm = gemmFor(memory);
  expect(gemm, 'WebAssembly SIMD is available in Node 20').not.toBeNull();
  const heap = new Float32Array(memory.buffer);
  const rng = mulberry32(batch * 1000 + m + k + n);
  const a = 16; // float offsets; a gap after each operand catches writes past the end
  const b = a + (sharedLeft ? 1 : batch) * m * k + 8;
  const c = b + batch * k * n + 8;
  for (let i = a; i < c; i++) heap[i] = rng.next() * 2 - 1;
  heap.fill(123, c, c + batch * m * n + 8);
  gemm!(a * 4, b * 4, c * 4, batch, m, k, n, sharedLeft ? 0 : m * k * 4, k * n * 4, m * n * 4);
  for (let p = 0; p < batch; p++)
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let q = 0; q < k; q++) sum += heap[a + (sharedLeft ? 0 : p * m * k) + i * k + q] * heap[b + p * k * n + q * n + j];
        expect(Math.abs(heap[c + p * m * n + i * n + j] - sum), `product ${p} [${i}, ${j}]`).toBeLessThan(1e-5);
      }
  expect(Array.from(heap.subarray(c + batch * m * n, c + batch * m * n + 8))).toEqual(Array(8).fill(123));
}

describe('wasm SIMD batched matrix product', () => {
  it('multiplies batches of row-major matrices exactly as a triple loop does, on a shared heap', () => {
    const memory = new WebAssembly.Memory({ initial: 4, maximum: 1024, shared: true });
    check(memory, 1, 4, 1, 8, false);
    check(memory, 3, 8, 5, 16, false);
    check(memory, 5, 12, 7, 24, true); // one left operand against every right one
  });

  it('works on the unshared heap of the single-threaded build', () => {
    check(new WebAssembly.Memory({ initial: 4 }), 2, 16, 33, 8, false);
  });
});
