// Splitting the fused q|k|v projection into attention heads as one kernel each way, instead of a split, three
// transposes and three reshapes forward and their transposes and a concat backward. With B batch, T tokens, H heads,
// C = H·hd, qkv (B·T, 3C) holding q, k, v side by side:
//   q  (B·H, T, hd):  q[b·H+h, t, d]  = qkv[b·T+t, h·hd+d]
//   kᵀ (B·H, hd, T):  kT[b·H+h, d, t] = qkv[b·T+t, C + h·hd+d]   (transposed, ready for the q·kᵀ product)
//   v  (B·H, T, hd):  v[b·H+h, t, d]  = qkv[b·T+t, 2C + h·hd+d]
// The backward kernel writes the three gradients back into one (B·T, 3C). Cost: one pass over 3·B·T·C numbers. On
// wasm, with hd a multiple of 4, the copies run in WebAssembly (wasmRows.ts).
import type { GradConfig, KernelConfig, Tensor, TensorInfo } from '../tfjs';
import { engine } from '../tfjs';
import { compute, TYPED_BACKENDS, type OnHeap } from './typedArrays';

export const SPLIT_HEADS = 'TunebenchSplitHeads';
const SPLIT_HEADS_GRAD = 'TunebenchSplitHeadsGrad';

/**
 * Copies between qkv (B·T, 3C) and the per-head q, kᵀ, v, in the direction `toHeads` says. Loops run over d
 * innermost, contiguous in qkv, q and v (kᵀ is strided by T).
 */
function copyHeads(B: number, T: number, H: number, hd: number, qkv: Float32Array, q: Float32Array, kT: Float32Array, v: Float32Array, toHeads: boolean): void {
  const C = H * hd;
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const row = (b * T + t) * 3 * C;
      for (let h = 0; h < H; h++) {
        const bh = b * H + h;
        const src = row + h * hd;
        const head = (bh * T + t) * hd;
        const kBase = bh * hd * T + t;
        if (toHeads) {
          for (let d = 0; d < hd; d++) {
            q[head + d] = qkv[src + d];
            kT[kBase + d * T] = qkv[src + C + d];
            v[head + d] = qkv[src + 2 * C + d];
          }
        } else {
          for (let d = 0; d < hd; d++) {
            qkv[src + d] = q[head + d];
            qkv[src + C + d] = kT[kBase + d * T];
            qkv[src + 2 * C + d] = v[head + d];
          }
        }
      }
    }
  }
}

const split: KernelConfig['kernelFunc'] = ({ inputs, attrs, backend }) => {
  const qkv = inputs.qkv as TensorInfo;
  const { batch: B, heads: H } = attrs as { batch: number; heads: number };
  const T = qkv.shape[0] / B;
  const hd = qkv.shape[1] / 3 / H;
  const outShapes = [[B * H, T, hd], [B * H, hd, T], [B * H, T, hd]];
  const onHeap: OnHeap | undefined = hd % 4 === 0 ? ([px], [pq, pk, pv], k) => k.splitHeads(px, pq, pk, pv, B, T, H, hd) : undefined;
  return compute(backend, [qkv], outShapes, ([x], [q, kT, v]) => copyHeads(B, T, H, hd, x, q, kT, v, true), onHeap);
};

const merge: KernelConfig['kernelFunc'] = ({ inputs, attrs, backend }) => {
  const { dq, dkT, dv } = inputs as { dq: TensorInfo; dkT: TensorInfo; dv: TensorInfo };
  const { batch: B, heads: H } = attrs as { batch: number; heads: number };
  const [, T, hd] = dq.shape;
  const onHeap: OnHeap | undefined = hd % 4 === 0 ? ([pq, pk, pv], [px], k) => k.mergeHeads(px, pq, pk, pv, B, T, H, hd) : undefined;
  return compute(backend, [dq, dkT, dv], [[B * T, 3 * H * hd]], ([gq, gk, gv], [dx]) => copyHeads(B, T, H, hd, dx, gq, gk, gv, false), onHeap)[0];
};

export const headsKernels: KernelConfig[] = TYPED_BACKENDS.flatMap((backendName) => [
  { kernelName: SPLIT_HEADS, backendName, kernelFunc: split },
  { kernelName: SPLIT_HEADS_GRAD, backendName, kernelFunc: merge },
]);

export const splitHeadsGradient: GradConfig = {
  kernelName: SPLIT_HEADS,
  gradFunc: (dys, _saved, attrs) => {
    const [dq, dkT, dv] = dys as Tensor[]; // the engine passes zeros for an output without a gradient
    return { qkv: () => engine().runKernel(SPLIT_HEADS_GRAD, { dq, dkT, dv }, attrs) as Tensor };
  },
};
