import { describe, expect, it } from 'vitest';
import { gemmFor } from '../../../main/trainer/kernels/wasmGemm';
import { mulberry32 } from '../../../main/trainer/rng';

// Our matrix-product kernels, assembled at run time by kernels/wasmAsm.ts, on a heap of their own: every element of
// every product against a plain triple loop, split across two threads on a shared heap (the threaded build's) and on
// one thread on an unshared heap (the single-threaded build's), with nothing written past the result.
function check(memory: WebAssembly.Memory, threads: number, batch: number, m: number, k: number, n: number, how: 'product' | 'batched' | 'sharedLeft') {
  const gemm = gemmFor(memory, threads);
  expect(gemm, 'WebAssembly SIMD is available in Node 20').not.toBeNull();
  const heap = new Float32Array(memory.buffer);
  const rng = mulberry32(batch * 1000 + m + k + n);
  const leftCount = how === 'batched' ? batch : 1;
  const a = 16; // float offsets; a gap after each operand catches writes past the end
  const b = a + leftCount * m * k + 8;
  const c = b + batch * k * n + 8;
  const scratch = c + batch * m * n + 8;
  for (let i = a; i < c; i++) heap[i] = rng.next() * 2 - 1;
  heap.fill(123, c, scratch);
  if (how === 'product') gemm!.product(a * 4, b * 4, c * 4, m, k, n, scratch * 4);
  else gemm!.batched(a * 4, b * 4, c * 4, batch, m, k, n, how === 'batched' ? m * k * 4 : 0);
  for (let p = 0; p < batch; p++)
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let sum = 0;
        const left = a + (how === 'batched' ? p * m * k : 0);
        for (let q = 0; q < k; q++) sum += heap[left + i * k + q] * heap[b + p * k * n + q * n + j];
        expect(Math.abs(heap[c + p * m * n + i * n + j] - sum), `product ${p} [${i}, ${j}]`).toBeLessThan(1e-5);
      }
  expect(Array.from(heap.subarray(c + batch * m * n, scratch))).toEqual(Array(8).fill(123));
}

describe('wasm SIMD matrix products', () => {
  it('multiply exactly as a triple loop does, split across two threads on a shared heap', () => {
    const memory = new WebAssembly.Memory({ initial: 64, maximum: 1024, shared: true });
    check(memory, 2, 1, 4, 1, 8, 'product');
    check(memory, 2, 1, 64, 70, 96, 'product'); // big enough to split: rows [0, 32) here, [32, 64) on the worker
    check(memory, 2, 1, 12, 300, 24, 'product'); // 3 row blocks over 2 threads
    check(memory, 2, 3, 8, 5, 16, 'batched');
    check(memory, 2, 9, 32, 40, 32, 'batched'); // split by batch entries
    check(memory, 2, 5, 12, 7, 24, 'sharedLeft'); // one left operand against every right one
  });

  it('work on the unshared heap of the single-threaded build', () => {
    const memory = new WebAssembly.Memory({ initial: 16 });
    check(memory, 2, 2, 16, 33, 8, 'batched');
    check(memory, 2, 1, 64, 70, 96, 'product');
  });
});
