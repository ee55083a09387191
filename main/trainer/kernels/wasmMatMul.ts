// A BatchMatMul for the wasm backend that keeps every product on XNNPACK's fast path. tfjs-backend-wasm 4.22 sends a
// matmul to XNNPACK only when it is a single, untransposed 2-D product; anything batched or transposed falls back to
// a scalar triple loop (batch_mat_mul_impl.cc, slow_batch_matmul). Measured on 2 cores, Node 20, SIMD, 1 thread:
//   (1024×64)·(64×256)          4-7 ms plain,   ~44 ms with transposeA or transposeB (autograd asks for both:
//                                                dA = dY·Bᵀ, dB = Aᵀ·dY)  →  explicit Transpose + plain: ~5 ms
//   64 × (64×16)·(16×64)         ~18 ms batched →  64 plain 2-D products: ~4 ms (attention scores / values)
// So this override transposes explicitly (memory-bound, well under a millisecond here), folds a batch against a
// shared right operand into one tall 2-D product, and runs other batches as one 2-D product each, on tensors that
// view the operands' memory rather than copies (64 × (64×32)·(32×64): ~9 ms CPU with copies, ~5 ms on views). Same
// numbers, 4-10x faster. It wraps the backend's own kernel, whose setupFunc (cwrap of the C entry point) still runs.
// Where the shapes allow (rows a multiple of 4, columns of 8, which a transformer's usually are), products now run
// on our own kernels instead (wasmGemm.ts: faster per thread than XNNPACK, and split across threads), which read a
// transposed operand where it lies (the explicit transposes had grown to ~38 ms of a ~550 ms bench step); XNNPACK,
// the explicit transposes and the per-entry views remain for the other shapes.
import { wasmThreadCount } from '../wasmThreads';
import { wasmHeapOf } from './typedArrays';
import { gemmFor, type Layout, type WasmGemm } from './wasmGemm';
import { BatchMatMul, Transpose, getKernel, registerKernel, unregisterKernel, type DataType, type KernelConfig, type KernelFunc, type TensorInfo } from '../tfjs';

const BACKEND = 'wasm';
let installed = false;

/**
 * The parts of tfjs-backend-wasm's BackendWasm used here: public methods, plus (for views into another tensor's
 * memory) its dataIdMap and the C side's dispose_data, which forget a tensor without freeing its memory.
 */
interface WasmBackend {
  makeOutput(shape: number[], dtype: DataType, memoryOffset?: number): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
  disposeData(dataId: object): void;
  dataIdMap: Map<object, { id: number; memoryOffset: number }>;
  wasm: { tfjs: { disposeData(id: number): void } };
}

/** Our SIMD product kernels on this backend's heap; null where they cannot be built (then XNNPACK). */
function gemmOf(wasm: WasmBackend, threads: number): WasmGemm | null {
  const memory = wasmHeapOf(wasm);
  return memory ? gemmFor(memory, threads) : null;
}

const product = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

/**
 * The product on our kernels (wasmGemm.ts), reading transposed operands where they lie, or null where the shapes do
 * not suit them: float32 operands, N a multiple of 8, and rows a multiple of 4 (all of a batch's rows when it shares
 * one right operand, then folded into one tall product).
 */
function onGemm(a: TensorInfo, b: TensorInfo, layout: Layout, gemm: WasmGemm | null, wasm: WasmBackend, at: (x: TensorInfo) => number): TensorInfo | null {
  if (!gemm || a.dtype !== 'float32' || b.dtype !== 'float32') return null;
  const { transposeA, transposeB } = layout;
  const [a0, a1] = a.shape.slice(-2);
  const [b0, b1] = b.shape.slice(-2);
  const [M, K, N] = [transposeA ? a1 : a0, transposeA ? a0 : a1, transposeB ? b0 : b1];
  if (N % 8 !== 0) return null;
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  const [batchA, batchB] = [product(outerA), product(outerB)];
  const outShape = [...(outerA.length >= outerB.length ? outerA : outerB), M, N];
  if (batchB === 1) {
    // (batchA·M, K)·(K, N): one tall product, unless A's entries are stored transposed (their rows not stacked)
    const rows = batchA * M;
    if (rows % 4 !== 0 || (transposeA && batchA !== 1)) return null;
    const out = wasm.makeOutput(outShape, 'float32');
    const packed = wasm.makeOutput([K * N], 'float32');
    gemm.product(at(a), at(b), at(out), rows, K, N, at(packed), layout);
    wasm.disposeData(packed.dataId);
    return out;
  }
  if ((batchA !== 1 && batchA !== batchB) || M % 4 !== 0) return null;
  const out = wasm.makeOutput(outShape, 'float32');
  const packed = transposeB ? wasm.makeOutput([batchB * K * N], 'float32') : null;
  gemm.batched(at(a), at(b), at(out), batchB, M, K, N, batchA === 1 ? 0 : M * K * 4, layout, packed ? at(packed) : 0);
  if (packed) wasm.disposeData(packed.dataId);
  return out;
}

/** Registers the override once per process. Safe to call before or after the wasm backend initialises. */
export function installWasmMatMul(): void {
  if (installed) return;
  const original = getKernel(BatchMatMul, BACKEND);
  const transposeKernel = getKernel(Transpose, BACKEND);
  if (!original || !transposeKernel) throw new Error('The wasm backend has no BatchMatMul/Transpose kernel to wrap.');
  const plain = original.kernelFunc;
  const transpose = transposeKernel.kernelFunc;
  const threads = wasmThreadCount(); // read once: the backend was set up with it (wasmThreads.ts)

  const kernelFunc: KernelFunc = ({ inputs, attrs, backend }) => {
    const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
    const wasm = backend as unknown as WasmBackend;
    const plainAttrs = { ...attrs, transposeA: false, transposeB: false };
    const matmul = (a: TensorInfo, b: TensorInfo) => plain({ inputs: { a, b }, attrs: plainAttrs, backend }) as TensorInfo;
    const temps: TensorInfo[] = [];
    const swapLastTwo = (x: TensorInfo): TensorInfo => {
      const rank = x.shape.length;
      const perm = [...Array(rank).keys()];
      [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]];
      const out = transpose({ inputs: { x }, attrs: { perm }, backend }) as TensorInfo;
      temps.push(out);
      return out;
    };

    const at = (x: TensorInfo) => wasm.dataIdMap.get(x.dataId)!.memoryOffset;
    const fast = onGemm(inputs.a as TensorInfo, inputs.b as TensorInfo, { transposeA, transposeB }, gemmOf(wasm, threads), wasm, at);
    if (fast) return fast;

    try {
      const a = transposeA ? swapLastTwo(inputs.a as TensorInfo) : (inputs.a as TensorInfo); // (…, M, K)
      const b = transposeB ? swapLastTwo(inputs.b as TensorInfo) : (inputs.b as TensorInfo); // (…, K, N)
      const [M, K] = a.shape.slice(-2);
      const N = b.shape[b.shape.length - 1];
      const outerA = a.shape.slice(0, -2);
      const outerB = b.shape.slice(0, -2);
      const batchA = product(outerA);
      const batchB = product(outerB);
      const outer = outerA.length >= outerB.length ? outerA : outerB;
      const outShape = [...outer, M, N];
      if (a.dtype !== 'float32' || b.dtype !== 'float32') return matmul(a, b);

      if (batchB === 1) {
        // (batchA·M, K)·(K, N): one (tall) 2-D product against the shared right operand
        const out = matmul({ dataId: a.dataId, shape: [batchA * M, K], dtype: a.dtype }, b);
        out.shape = outShape;
        return out;
      }
      if (batchA !== 1 && batchA !== batchB) return plain({ inputs: { a, b }, attrs: plainAttrs, backend }); // rare broadcasts

      // One 2-D product per batch entry, on views into the operands' memory (XNNPACK reads whole tensors by id).
      const out = wasm.makeOutput(outShape, 'float32');
      const view = (x: TensorInfo, i: number, rows: number, cols: number): TensorInfo =>
        wasm.makeOutput([rows, cols], 'float32', wasm.dataIdMap.get(x.dataId)!.memoryOffset + i * rows * cols * 4);
      const forgetView = (v: TensorInfo) => {
        wasm.wasm.tfjs.disposeData(wasm.dataIdMap.get(v.dataId)!.id); // the memory belongs to the viewed tensor
        wasm.dataIdMap.delete(v.dataId);
      };
      const sharedA = batchA === 1 ? { dataId: a.dataId, shape: [M, K], dtype: a.dtype } : null;
      for (let i = 0; i < batchB; i++) {
        const ai = sharedA ?? view(a, i, M, K);
        const bi = view(b, i, K, N);
        const oi = matmul(ai, bi); // (M, N); may grow the heap, so views of it are taken after
        wasm.typedArrayFromHeap(out).set(wasm.typedArrayFromHeap(oi), i * M * N);
        if (!sharedA) forgetView(ai);
        forgetView(bi);
        wasm.disposeData(oi.dataId);
      }
      return out;
    } finally {
      for (const t of temps) wasm.disposeData(t.dataId);
    }
  };

  const config: KernelConfig = { ...original, kernelFunc };
  unregisterKernel(BatchMatMul, BACKEND);
  registerKernel(config);
  installed = true;
}
