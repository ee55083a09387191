// LayerNorm over the last axis as one kernel forward and one backward, instead of ~8 elementwise and reduction ops
// each way. x (N, C) as rows of C (any leading shape), gain (C), bias (C); eps an attribute.
//   forward:  x̂ = (x − mean)·rstd,  y = x̂·gain + bias,  rstd = 1/√(var + eps), var biased like PyTorch
//   backward: dx = rstd·(g − mean(g) − x̂·mean(g·x̂)) with g = dy·gain;  dgain = Σ_rows dy·x̂;  dbias = Σ_rows dy
// Cost: O(N·C) each way, two passes over a row. On wasm, with C a multiple of 4, the loops run in SIMD (wasmRows.ts).
import type { GradConfig, KernelConfig, Tensor, TensorInfo } from '../tfjs';
import { engine } from '../tfjs';
import { compute, sizeOf, TYPED_BACKENDS, type OnHeap } from './typedArrays';

export const LAYER_NORM = 'TunebenchLayerNorm';
const LAYER_NORM_GRAD = 'TunebenchLayerNormGrad';

/** Mean and 1/√(var + eps) of row r of x (length C). */
function rowStats(x: Float32Array, r: number, C: number, eps: number): [number, number] {
  let sum = 0;
  for (let c = 0, o = r * C; c < C; c++) sum += x[o + c];
  const mean = sum / C;
  let sq = 0;
  for (let c = 0, o = r * C; c < C; c++) {
    const d = x[o + c] - mean;
    sq += d * d;
  }
  return [mean, 1 / Math.sqrt(sq / C + eps)];
}

const forward: KernelConfig['kernelFunc'] = ({ inputs, attrs, backend }) => {
  const { x, gain, bias } = inputs as { x: TensorInfo; gain: TensorInfo; bias: TensorInfo };
  const eps = attrs!.eps as number;
  const C = x.shape[x.shape.length - 1];
  const rows = sizeOf(x.shape) / C;
  const onHeap: OnHeap | undefined = C % 4 === 0 ? ([px, pg, pb], [py], k) => k.layerNorm(px, pg, pb, py, rows, C, eps) : undefined;
  return compute(backend, [x, gain, bias], [x.shape], ([xv, g, b], [y]) => {
    for (let r = 0; r < rows; r++) {
      const [mean, rstd] = rowStats(xv as Float32Array, r, C, eps);
      for (let c = 0, o = r * C; c < C; c++) y[o + c] = (xv[o + c] - mean) * rstd * g[c] + b[c];
    }
  }, onHeap)[0];
};

const backward: KernelConfig['kernelFunc'] = ({ inputs, attrs, backend }) => {
  const { dy, x, gain } = inputs as { dy: TensorInfo; x: TensorInfo; gain: TensorInfo };
  const eps = attrs!.eps as number;
  const C = x.shape[x.shape.length - 1];
  const rows = sizeOf(x.shape) / C;
  const onHeap: OnHeap | undefined = C % 4 === 0 ? ([pdy, px, pg], [pdx, pdg, pdb], k) => k.layerNormGrad(pdy, px, pg, pdx, pdg, pdb, rows, C, eps) : undefined;
  return compute(backend, [dy, x, gain], [x.shape, [C], [C]], ([dyv, xv, g], [dx, dg, db]) => {
    const dgAcc = new Float64Array(C); // accumulators apart from the float32 outputs: fewer conversions
    const dbAcc = new Float64Array(C);
    for (let r = 0; r < rows; r++) {
      const o = r * C;
      const [mean, rstd] = rowStats(xv as Float32Array, r, C, eps);
      let sumG = 0;
      let sumGX = 0;
      for (let c = 0; c < C; c++) {
        const xhat = (xv[o + c] - mean) * rstd;
        const gc = dyv[o + c] * g[c];
        sumG += gc;
        sumGX += gc * xhat;
        dgAcc[c] += dyv[o + c] * xhat;
        dbAcc[c] += dyv[o + c];
      }
      const meanG = sumG / C;
      const meanGX = sumGX / C;
      for (let c = 0; c < C; c++) {
        const xhat = (xv[o + c] - mean) * rstd;
        dx[o + c] = rstd * (dyv[o + c] * g[c] - meanG - xhat * meanGX);
      }
    }
    dg.set(dgAcc);
    db.set(dbAcc);
  }, onHeap);
};

export const layerNormKernels: KernelConfig[] = TYPED_BACKENDS.flatMap((backendName) => [
  { kernelName: LAYER_NORM, backendName, kernelFunc: forward },
  { kernelName: LAYER_NORM_GRAD, backendName, kernelFunc: backward },
]);

export const layerNormGradient: GradConfig = {
  kernelName: LAYER_NORM,
  inputsToSave: ['x', 'gain'],
  gradFunc: (dy, saved, attrs) => {
    const [x, gain] = saved;
    const [dx, dgain, dbias] = engine().runKernel(LAYER_NORM_GRAD, { dy: dy as Tensor, x, gain }, attrs) as Tensor[];
    return { x: () => dx, gain: () => dgain, bias: () => dbias };
  },
};
