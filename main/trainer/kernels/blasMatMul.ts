// BatchMatMul on the system BLAS (blas.ts) for the wasm and cpu backends. Each product is one cblas_sgemm on the
// operands where they lie, transposed or not (BLAS reads a transposed operand through its leading dimension): on wasm
// views into the WebAssembly heap, on cpu the backend's own arrays. A batch against one shared right operand is one
// tall product; other batches are one product per entry. What BLAS cannot take (other dtypes, broadcasts between
// batch shapes) goes to the kernel that was registered before.
import { BatchMatMul, getKernel, registerKernel, unregisterKernel, type KernelConfig, type KernelFunc, type TensorInfo } from '../tfjs';
import type { Blas } from './blas';
import { compute, sizeOf } from './typedArrays';

/** The cpu backend may hold a float32 tensor's values in another array type (a cast one-hot keeps its Int32Array). */
const asFloat32 = (values: Float32Array): Float32Array => (values instanceof Float32Array ? values : Float32Array.from(values));

export interface ProductShape {
  M: number;
  K: number;
  N: number;
  batchA: number;
  batchB: number;
  outShape: number[];
}

/** The shape of op(A)·op(B) for tfjs's BatchMatMul attributes, or null where the batch shapes broadcast otherwise. */
export function productShape(a: readonly number[], b: readonly number[], transposeA: boolean, transposeB: boolean): ProductShape | null {
  const [a0, a1] = a.slice(-2);
  const [b0, b1] = b.slice(-2);
  const [M, K, N] = [transposeA ? a1 : a0, transposeA ? a0 : a1, transposeB ? b0 : b1];
  const outerA = a.slice(0, -2);
  const outerB = b.slice(0, -2);
  const [batchA, batchB] = [sizeOf(outerA), sizeOf(outerB)];
  if (batchA !== batchB && batchA !== 1 && batchB !== 1) return null;
  if (batchA === batchB && batchA > 1 && outerA.join() !== outerB.join()) return null;
  return { M, K, N, batchA, batchB, outShape: [...(outerA.length >= outerB.length ? outerA : outerB), M, N] };
}

/** C = op(A)·op(B) over a batch, on typed arrays holding whole tensors (row-major). */
export function batchedSgemm(blas: Blas, s: ProductShape, transposeA: boolean, transposeB: boolean, a: Float32Array, b: Float32Array, c: Float32Array): void {
  const { M, K, N, batchA, batchB } = s;
  const lda = transposeA ? M : K;
  const ldb = transposeB ? K : N;
  if (batchB === 1 && (batchA === 1 || !transposeA)) {
    // the rows of every entry of A stacked: one (batchA·M × K)·(K × N) product
    blas.sgemm(transposeA, transposeB, batchA * M, N, K, a, lda, b, ldb, c, N);
    return;
  }
  const batch = Math.max(batchA, batchB);
  for (let i = 0; i < batch; i++) {
    const ai = batchA === 1 ? a : a.subarray(i * M * K, (i + 1) * M * K);
    const bi = batchB === 1 ? b : b.subarray(i * K * N, (i + 1) * K * N);
    blas.sgemm(transposeA, transposeB, M, N, K, ai, lda, bi, ldb, c.subarray(i * M * N, (i + 1) * M * N), N);
  }
}

const installedOn = new Set<string>();

/** Registers the BLAS BatchMatMul on a backend ('wasm' or 'cpu') once per process, in front of its current kernel. */
export function installBlasMatMul(backendName: 'wasm' | 'cpu', blas: Blas): void {
  if (installedOn.has(backendName)) return;
  const previous = getKernel(BatchMatMul, backendName);
  if (!previous) throw new Error(`The ${backendName} backend has no BatchMatMul kernel to wrap.`);
  const fallback = previous.kernelFunc;
  const kernelFunc: KernelFunc = (args) => {
    const { inputs, attrs, backend } = args;
    const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
    const a = inputs.a as TensorInfo;
    const b = inputs.b as TensorInfo;
    const shape = a.dtype === 'float32' && b.dtype === 'float32' ? productShape(a.shape, b.shape, transposeA, transposeB) : null;
    if (!shape || shape.M * shape.N * shape.K === 0) return fallback(args);
    // the output is allocated before the views are taken (on wasm it may grow the heap)
    return compute(backend, [a, b], [shape.outShape], ([av, bv], [c]) => batchedSgemm(blas, shape, transposeA, transposeB, asFloat32(av), asFloat32(bv), c))[0];
  };
  const config: KernelConfig = { ...previous, kernelFunc };
  unregisterKernel(BatchMatMul, backendName);
  registerKernel(config);
  installedOn.add(backendName);
}
