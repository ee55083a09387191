// RMSNorm and RoPE as one kernel forward and one backward each, and Adam's update as one kernel, for the wasm and cpu
// backends (plain loops over typed arrays, typedArrays.ts). Built from tfjs ops, each keeps every intermediate for
// the backward pass: RMSNorm six tensors of the input's size or a row's, RoPE four. At SmolLM2-135M's shape, batch
// 4 × 256 tokens, those (with the gate, fusedOps.ts) were ~45 MB a layer, 1.3 GB over 30 layers, past what
// WebAssembly's 4 GiB heap had left. Formulas as in transformers (LlamaRMSNorm, Gemma3RMSNorm, apply_rotary_pos_emb):
//   RMSNorm   y = x·r·w′,  r = 1/√(mean(x²) + eps),  w′ = w (Llama) or 1 + w (Gemma);  per row of C
//             dx = r·(g − x̂·mean(g·x̂)),  g = dy·w′,  x̂ = x·r;   dw = Σ_rows dy·x̂
//   RoPE      y = x·cos + rotate_half(x)·sin,  rotate_half(x) = [−x₂, x₁] over the two halves of hd
//             dx = dy·cos + rotate_halfᵀ(dy·sin),  rotate_halfᵀ(g) = [g₂, −g₁]   (four tensors of x's size → one)
import type { GradConfig, KernelConfig, NamedAttrMap, Tensor, TensorInfo } from '../tfjs';
import { engine } from '../tfjs';
import { compute, sizeOf, TYPED_BACKENDS, wasmHeapOf, type OnHeap } from './typedArrays';

export const RMS_NORM = 'TunebenchRmsNorm';
const RMS_NORM_GRAD = 'TunebenchRmsNormGrad';
export const ADAM = 'TunebenchAdam';
export const ROPE = 'TunebenchRope';
const ROPE_GRAD = 'TunebenchRopeGrad';

/** 1/√(mean of the squares of row r + eps), summed in float64 like PyTorch's float32 reduction is close to. */
function rowRstd(x: Float32Array, r: number, C: number, eps: number): number {
  let sq = 0;
  for (let c = 0, o = r * C; c < C; c++) sq += x[o + c] * x[o + c];
  return 1 / Math.sqrt(sq / C + eps);
}

const rmsNorm: KernelConfig['kernelFunc'] = ({ inputs, attrs, backend }) => {
  const { x, weight } = inputs as { x: TensorInfo; weight: TensorInfo };
  const { eps, plusOne } = attrs as { eps: number; plusOne: number };
  const C = x.shape[x.shape.length - 1];
  const rows = sizeOf(x.shape) / C;
  return compute(backend, [x, weight], [x.shape], ([xv, w], [y]) => {
    const gain = Float32Array.from(w, (v) => v + plusOne);
    for (let r = 0; r < rows; r++) {
      const rstd = rowRstd(xv, r, C, eps);
      for (let c = 0, o = r * C; c < C; c++) y[o + c] = xv[o + c] * rstd * gain[c];
    }
  })[0];
};

const rmsNormGrad: KernelConfig['kernelFunc'] = ({ inputs, attrs, backend }) => {
  const { dy, x, weight } = inputs as { dy: TensorInfo; x: TensorInfo; weight: TensorInfo };
  const { eps, plusOne } = attrs as { eps: number; plusOne: number };
  const C = x.shape[x.shape.length - 1];
  const rows = sizeOf(x.shape) / C;
  return compute(backend, [dy, x, weight], [x.shape, [C]], ([dyv, xv, w], [dx, dw]) => {
    const gain = Float32Array.from(w, (v) => v + plusOne);
    const dwAcc = new Float64Array(C);
    for (let r = 0; r < rows; r++) {
      const o = r * C;
      const rstd = rowRstd(xv, r, C, eps);
      let dot = 0; // Σ g·x̂
      for (let c = 0; c < C; c++) {
        const xhat = xv[o + c] * rstd;
        dot += dyv[o + c] * gain[c] * xhat;
        dwAcc[c] += dyv[o + c] * xhat;
      }
      const mean = dot / C;
      for (let c = 0; c < C; c++) dx[o + c] = rstd * (dyv[o + c] * gain[c] - xv[o + c] * rstd * mean);
    }
    for (let c = 0; c < C; c++) dw[c] = dwAcc[c];
  });
};

/** RoPE over x (B, T, heads, hd) with cos, sin (T, hd); `sign` 1 forward, −1 for the transposed rotation. */
function rotary(x: Float32Array, cos: Float32Array, sin: Float32Array, y: Float32Array, shape: readonly number[], sign: 1 | -1): void {
  const [B, T, heads, hd] = shape;
  const half = hd / 2;
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const at = t * hd;
      for (let h = 0; h < heads; h++) {
        const o = ((b * T + t) * heads + h) * hd;
        for (let i = 0; i < half; i++) {
          const [x1, x2] = [x[o + i], x[o + i + half]];
          if (sign === 1) {
            y[o + i] = x1 * cos[at + i] - x2 * sin[at + i];
            y[o + i + half] = x2 * cos[at + i + half] + x1 * sin[at + i + half];
          } else {
            y[o + i] = x1 * cos[at + i] + x2 * sin[at + i + half];
            y[o + i + half] = x2 * cos[at + i + half] - x1 * sin[at + i];
          }
        }
      }
    }
  }
}

const rope: KernelConfig['kernelFunc'] = ({ inputs, backend }) => {
  const { x, cos, sin } = inputs as Record<'x' | 'cos' | 'sin', TensorInfo>;
  return compute(backend, [x, cos, sin], [x.shape], ([xv, c, s], [y]) => rotary(xv, c, s, y, x.shape, 1))[0];
};

const ropeGrad: KernelConfig['kernelFunc'] = ({ inputs, backend }) => {
  const { dy, cos, sin } = inputs as Record<'dy' | 'cos' | 'sin', TensorInfo>;
  return compute(backend, [dy, cos, sin], [dy.shape], ([g, c, s], [dx]) => rotary(g, c, s, dx, dy.shape, -1))[0];
};

/** Adam's constants for one step: β's, ε and lr as the caller has them, the bias corrections 1 − β^t in float32. */
export interface AdamStep {
  beta1: number;
  beta2: number;
  epsilon: number;
  lr: number;
  correction1: number;
  correction2: number;
}

/** Moments copied through the heap this many floats at a time by the SIMD update (two 4 MB scratch halves). */
const ADAM_CHUNK = 1 << 20;

/**
 * One weight's Adam update with its moments kept in `m` and `v`, arrays outside the backend's memory (updated in
 * place): at 106M parameters the two moments are 850 MB that WebAssembly's heap no longer has to hold, and the
 * update makes no intermediates.  g·scale → m, v;  w − lr·(m / c1) / (√(v / c2) + ε) → the new weight
 */
const adam: KernelConfig['kernelFunc'] = ({ inputs, attrs, backend }) => {
  const { g, w, scale } = inputs as Record<'g' | 'w' | 'scale', TensorInfo>;
  const { m, v, step } = attrs as unknown as { m: Float32Array; v: Float32Array; step: AdamStep };
  const { beta1, beta2, epsilon, lr, correction1, correction2 } = step;
  const n = sizeOf(w.shape);
  // every operation rounded to float32 as tfjs's ops round it, so the numbers are tfjs Adam's to the bit
  const f = Math.fround;
  const [b1, b2, a1, a2, eps, c1, c2, negLr] = [f(beta1), f(beta2), f(1 - beta1), f(1 - beta2), f(epsilon), f(correction1), f(correction2), f(-lr)];
  const scalar = (gv: Float32Array, wv: Float32Array, out: Float32Array, k: number, from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const gi = f(gv[i] * k);
      const mi = (m[i] = f(f(m[i] * b1) + f(gi * a1)));
      const vi = (v[i] = f(f(v[i] * b2) + f(f(gi * gi) * a2)));
      const update = f(f(f(mi / c1) / f(f(Math.sqrt(f(vi / c2))) + eps)) * negLr);
      out[i] = f(update + wv[i]);
    }
  };
  const chunk = Math.min(ADAM_CHUNK, Math.max(4, n - (n % 4)));
  const heap = wasmHeapOf(backend);
  // on wasm the same lanes in SIMD (wasmRows.ts), the moments passing through scratch on the heap; the rest here
  const onHeap: OnHeap | undefined = heap
    ? ([pg, pw, pscale], [pout, pscratch], kernels) => {
        const f32 = new Float32Array(heap.buffer);
        const k = f32[pscale >>> 2];
        const [sm, sv] = [pscratch >>> 2, (pscratch >>> 2) + chunk];
        const whole = n - (n % 4);
        for (let start = 0; start < whole; start += chunk) {
          const len = Math.min(chunk, whole - start);
          f32.set(m.subarray(start, start + len), sm);
          f32.set(v.subarray(start, start + len), sv);
          kernels.adam(pg + 4 * start, pw + 4 * start, pout + 4 * start, pscratch, pscratch + 4 * chunk, 4 * len, k, b1, b2, a1, a2, c1, c2, eps, negLr);
          m.set(f32.subarray(sm, sm + len), start);
          v.set(f32.subarray(sv, sv + len), start);
        }
        const at = (p: number) => f32.subarray(p >>> 2, (p >>> 2) + n);
        scalar(at(pg), at(pw), at(pout), k, whole, n);
      }
    : undefined;
  const [out, scratch] = compute(backend, [g, w, scale], [w.shape, [2 * chunk]], ([gv, wv, sv], [o]) => scalar(gv, wv, o, sv[0], 0, n), onHeap);
  (backend as unknown as { disposeData(dataId: object): void }).disposeData(scratch.dataId);
  return out;
};

export const decoderKernels: KernelConfig[] = TYPED_BACKENDS.flatMap((backendName) => [
  { kernelName: RMS_NORM, backendName, kernelFunc: rmsNorm },
  { kernelName: RMS_NORM_GRAD, backendName, kernelFunc: rmsNormGrad },
  { kernelName: ROPE, backendName, kernelFunc: rope },
  { kernelName: ROPE_GRAD, backendName, kernelFunc: ropeGrad },
  { kernelName: ADAM, backendName, kernelFunc: adam },
]);

export const ropeGradient: GradConfig = {
  kernelName: ROPE,
  inputsToSave: ['cos', 'sin'],
  gradFunc: (dy: Tensor | Tensor[], [cos, sin]: Tensor[]) => ({ x: () => engine().runKernel(ROPE_GRAD, { dy: dy as Tensor, cos, sin }) as Tensor }),
};

export const rmsNormGradient: GradConfig = {
  kernelName: RMS_NORM,
  inputsToSave: ['x', 'weight'],
  gradFunc: (dy: Tensor | Tensor[], [x, weight]: Tensor[], attrs: NamedAttrMap) => {
    const [dx, dw] = engine().runKernel(RMS_NORM_GRAD, { dy: dy as Tensor, x, weight }, attrs) as unknown as Tensor[];
    return { x: () => dx, weight: () => dw };
  },
};
