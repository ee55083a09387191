// Backend-neutral access to tensor storage for kernels written as plain loops over typed arrays. They run on the
// wasm backend (views straight into the WebAssembly heap, no copies) and on the cpu backend (its own arrays).
import type { DataType, TensorInfo } from '../tfjs';
import { rowKernelsFor, type RowKernels } from './wasmRows';

/** The backends these kernels are registered for. */
export const TYPED_BACKENDS = ['wasm', 'cpu'] as const;

interface WasmLike {
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array;
  dataIdMap: Map<object, { memoryOffset: number }>;
  wasm: { wasmMemory?: WebAssembly.Memory; asm?: { memory?: WebAssembly.Memory } };
}
interface CpuLike {
  makeTensorInfo(shape: number[], dtype: DataType, values: Float32Array): TensorInfo;
  readSync(dataId: object): Float32Array | Int32Array;
}

const isWasm = (b: unknown): b is WasmLike => typeof (b as WasmLike).typedArrayFromHeap === 'function';

export const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** The wasm backend's heap (its WebAssembly.Memory), or null for any other backend. */
export function wasmHeapOf(backend: unknown): WebAssembly.Memory | null {
  if (!isWasm(backend)) return null;
  return backend.wasm.wasmMemory ?? backend.wasm.asm?.memory ?? null;
}

/** Runs a kernel on the heap: byte addresses of the inputs and outputs, and the SIMD loops (wasmRows.ts). */
export type OnHeap = (ins: number[], outs: number[], kernels: RowKernels) => void;

/**
 * Allocates float32 outputs of the given shapes, then calls `fill` with views of the inputs and outputs. On wasm a
 * new output may grow (and so move) the heap, which is why every view is taken after every allocation. Inputs are
 * typed Float32Array so the loops stay monomorphic; an int32 input arrives as an Int32Array, which its kernel casts.
 * With `onHeap` (a kernel passes it where its shapes suit the SIMD loops), the wasm backend runs that instead.
 */
export function compute(
  backend: unknown,
  inputs: readonly TensorInfo[],
  outShapes: readonly number[][],
  fill: (ins: Float32Array[], outs: Float32Array[]) => void,
  onHeap?: OnHeap,
): TensorInfo[] {
  if (isWasm(backend)) {
    const outs = outShapes.map((shape) => backend.makeOutput([...shape], 'float32'));
    const heap = onHeap ? wasmHeapOf(backend) : null;
    const kernels = heap ? rowKernelsFor(heap) : null;
    if (onHeap && kernels) {
      const at = (t: TensorInfo) => backend.dataIdMap.get(t.dataId)!.memoryOffset;
      onHeap(inputs.map(at), outs.map(at), kernels);
      return outs;
    }
    fill(
      inputs.map((t) => backend.typedArrayFromHeap(t) as Float32Array),
      outs.map((t) => backend.typedArrayFromHeap(t) as Float32Array),
    );
    return outs;
  }
  const cpu = backend as unknown as CpuLike;
  const values = outShapes.map((shape) => new Float32Array(sizeOf(shape)));
  fill(
    inputs.map((t) => cpu.readSync(t.dataId) as Float32Array),
    values,
  );
  return outShapes.map((shape, i) => cpu.makeTensorInfo([...shape], 'float32', values[i]));
}
