// GELU's backward pass and the bias gradient of a dense layer as single kernels.
//   gelu(x) = x·σ(z), z = 2√(2/π)(x + 0.044715x³)  (= ½x(1 + tanh(z/2)), GPT-2's tanh approximation)
//   gelu'(x) = s + x·s(1 − s)·2√(2/π)(1 + 3·0.044715x²) with s = σ(z) saved by the forward pass, so no exp here;
//   the forward pass stays on tfjs ops (wasm runs Sigmoid on XNNPACK SIMD, faster than a loop in JS).
//   columnSum: the bias gradient of x (N, C) + bias (C) is Σ_rows dy, one pass (tf.sum over axis 0 transposes first).
// Cost: O(size) each. On wasm, where the shapes allow, the loops run in SIMD (wasmRows.ts).
import type { KernelConfig, TensorInfo } from '../tfjs';
import { compute, sizeOf, TYPED_BACKENDS, type OnHeap } from './typedArrays';

export const GELU_GRAD = 'TunebenchGeluGrad';
export const COLUMN_SUM = 'TunebenchColumnSum';

export const GELU_C = Math.sqrt(2 / Math.PI);
export const GELU_A = 0.044715;

/** dx from dy, x and s = σ(z) of the forward pass, all the same shape. */
const geluGrad: KernelConfig['kernelFunc'] = ({ inputs, backend }) => {
  const { dy, x, s } = inputs as { dy: TensorInfo; x: TensorInfo; s: TensorInfo };
  const size = sizeOf(x.shape);
  const onHeap: OnHeap | undefined = size % 4 === 0 ? ([pdy, px, ps], [pdx], k) => k.geluGrad(pdy, px, ps, pdx, size * 4, 2 * GELU_C, 3 * GELU_A) : undefined;
  return compute(backend, [dy, x, s], [x.shape], ([dyv, xv, sv], [dx]) => {
    const twoC = 2 * GELU_C;
    const threeA = 3 * GELU_A;
    for (let i = 0; i < xv.length; i++) {
      const v = xv[i];
      const sig = sv[i];
      dx[i] = dyv[i] * (sig + v * sig * (1 - sig) * twoC * (1 + threeA * v * v));
    }
  }, onHeap)[0];
};

/** (N, C) → (C): the sum over rows. */
const columnSum: KernelConfig['kernelFunc'] = ({ inputs, backend }) => {
  const x = inputs.x as TensorInfo;
  const C = x.shape[x.shape.length - 1];
  const rows = sizeOf(x.shape) / C;
  const onHeap: OnHeap | undefined = C % 4 === 0 ? ([px], [ps], k) => k.columnSum(px, ps, rows, C) : undefined;
  return compute(backend, [x], [[C]], ([xv], [s]) => {
    const acc = new Float64Array(C);
    let r = 0;
    for (; r + 4 <= rows; r += 4) {
      // four rows per pass: a quarter of the loads and stores of the accumulator
      const o = r * C;
      for (let c = 0; c < C; c++) acc[c] += xv[o + c] + xv[o + C + c] + xv[o + 2 * C + c] + xv[o + 3 * C + c];
    }
    for (; r < rows; r++) for (let c = 0; c < C; c++) acc[c] += xv[r * C + c];
    s.set(acc);
  }, onHeap)[0];
};

export const pointwiseKernels: KernelConfig[] = TYPED_BACKENDS.flatMap((backendName) => [
  { kernelName: GELU_GRAD, backendName, kernelFunc: geluGrad },
  { kernelName: COLUMN_SUM, backendName, kernelFunc: columnSum },
]);
