// Causal grouped-query attention as one kernel forward and one backward, with the matrix products on the system BLAS
// (blas.ts), for the wasm and cpu backends. Built from tfjs ops, attention keeps four B·H·T·T tensors per layer for
// the backward pass (the scores, scaled, masked, and their softmax): at SmolLM2-135M's shape, batch 4 × 256 tokens,
// that is ~38 MB a layer, 1.1 GB over 30 layers, and with the rest it no longer fits WebAssembly's 4 GiB heap. Here,
// as in FlashAttention (Dao et al. 2022), only the output and each row's log-sum-exp are kept; the backward pass
// recomputes the probabilities from Q, K and the log-sum-exp, one group of query heads at a time, in scratch arrays
// outside the backend's memory.
//
// Per batch entry b and KV head g, with its G = H/Hkv query heads stacked by rows (row = h·T + t, as repeat_kv pairs
// them), s the scale and M the causal (and sliding-window) mask:
//   forward:  S = Q·Kᵀ,  P = softmax(s·S + M) by row,  lse = log Σ exp(s·S + M),  Y = P·V
//   backward: P = exp(s·S + M − lse),  D = rowsum(dY ⊙ Y),  dV = Pᵀ·dY,  dP = dY·Vᵀ,  dS = s·P ⊙ (dP − D),
//             dQ = dS·K,  dK = dSᵀ·Q   (dK and dV sum over the group's query heads through the products)
// q (B, T, H, hd), k and v (B, T, Hkv, hd) after RoPE → y (B·T, H·hd), lse (B, H, T). Key j is visible from query
// position t when j ≤ t and t − j < window (window 0: no window), as causalMask (decoder/model.ts) builds it.
import type { GradConfig, KernelConfig, NamedAttrMap, Tensor, TensorInfo } from '../tfjs';
import { engine } from '../tfjs';
import { loadBlas, type Blas } from './blas';
import { compute, TYPED_BACKENDS } from './typedArrays';

export const ATTENTION = 'TunebenchAttention';
const ATTENTION_GRAD = 'TunebenchAttentionGrad';

interface Dims {
  B: number;
  T: number;
  H: number;
  Hkv: number;
  G: number;
  hd: number;
  scale: number;
  window: number;
}

function dimsOf(q: TensorInfo, k: TensorInfo, attrs: NamedAttrMap): Dims {
  const [B, T, H, hd] = q.shape;
  const Hkv = k.shape[2];
  return { B, T, H, Hkv, G: H / Hkv, hd, scale: attrs.scale as number, window: attrs.window as number };
}

/** Rows [first, first + count) of heads per position of entry b, stacked head by head: out[(h·T + t)·hd + d]. */
function gather(src: Float32Array, b: number, d: Dims, heads: number, first: number, count: number, out: Float32Array): void {
  const { T, hd } = d;
  for (let h = 0; h < count; h++) {
    for (let t = 0; t < T; t++) {
      const from = ((b * T + t) * heads + first + h) * hd;
      out.set(src.subarray(from, from + hd), (h * T + t) * hd);
    }
  }
}

/** The inverse of gather: writes the stacked rows back to their places. */
function scatter(rows: Float32Array, b: number, d: Dims, heads: number, first: number, count: number, dst: Float32Array): void {
  const { T, hd } = d;
  for (let h = 0; h < count; h++) {
    for (let t = 0; t < T; t++) {
      const at = (h * T + t) * hd;
      dst.set(rows.subarray(at, at + hd), ((b * T + t) * heads + first + h) * hd);
    }
  }
}

/** The first key position visible from query position t. */
const firstKey = (t: number, window: number) => (window > 0 ? Math.max(0, t - window + 1) : 0);

/** Scratch arrays for one group, outside the backend's memory. */
function scratch(d: Dims, names: readonly ('q' | 'k' | 'v' | 'y' | 'dy' | 'dq' | 'dk' | 'dv' | 's' | 'ds')[]): Record<string, Float32Array> {
  const { G, T, hd } = d;
  const size = { q: G * T * hd, y: G * T * hd, dy: G * T * hd, dq: G * T * hd, k: T * hd, v: T * hd, dk: T * hd, dv: T * hd, s: G * T * T, ds: G * T * T };
  return Object.fromEntries(names.map((n) => [n, new Float32Array(size[n])]));
}

function blasOrThrow(): Blas {
  const { blas, reason } = loadBlas();
  if (!blas) throw new Error(`The fused attention kernel needs the system BLAS: ${reason}.`);
  return blas;
}

const forward: KernelConfig['kernelFunc'] = ({ inputs, attrs, backend }) => {
  const { q, k, v } = inputs as { q: TensorInfo; k: TensorInfo; v: TensorInfo };
  const d = dimsOf(q, k, attrs!);
  const { B, T, H, Hkv, G, hd, scale, window } = d;
  const blas = blasOrThrow();
  return compute(backend, [q, k, v], [[B * T, H * hd], [B, H, T]], ([qv, kv, vv], [y, lse]) => {
    const w = scratch(d, ['q', 'k', 'v', 's', 'y']);
    for (let b = 0; b < B; b++) {
      for (let g = 0; g < Hkv; g++) {
        gather(qv, b, d, H, g * G, G, w.q);
        gather(kv, b, d, Hkv, g, 1, w.k);
        gather(vv, b, d, Hkv, g, 1, w.v);
        blas.sgemm(false, true, G * T, T, hd, w.q, hd, w.k, hd, w.s, T); // S = Q·Kᵀ
        for (let r = 0; r < G * T; r++) {
          const t = r % T;
          const row = r * T;
          const lo = firstKey(t, window);
          let max = -Infinity;
          for (let j = lo; j <= t; j++) max = Math.max(max, w.s[row + j] * scale);
          let sum = 0;
          for (let j = lo; j <= t; j++) {
            const e = Math.exp(w.s[row + j] * scale - max);
            w.s[row + j] = e;
            sum += e;
          }
          const inv = 1 / sum;
          w.s.fill(0, row, row + lo);
          for (let j = lo; j <= t; j++) w.s[row + j] *= inv;
          w.s.fill(0, row + t + 1, row + T);
          lse[(b * H + g * G) * T + r] = max + Math.log(sum); // rows of the group's heads follow one another
        }
        blas.sgemm(false, false, G * T, hd, T, w.s, T, w.v, hd, w.y, hd); // Y = P·V
        scatter(w.y, b, d, H, g * G, G, y);
      }
    }
  });
};

const backward: KernelConfig['kernelFunc'] = ({ inputs, attrs, backend }) => {
  const { dy, q, k, v, y, lse } = inputs as Record<'dy' | 'q' | 'k' | 'v' | 'y' | 'lse', TensorInfo>;
  const d = dimsOf(q, k, attrs!);
  const { B, T, H, Hkv, G, hd, scale, window } = d;
  const blas = blasOrThrow();
  return compute(backend, [dy, q, k, v, y, lse], [q.shape, k.shape, v.shape], ([dyv, qv, kv, vv, yv, lsev], [dq, dk, dv]) => {
    const w = scratch(d, ['q', 'k', 'v', 'y', 'dy', 'dq', 'dk', 'dv', 's', 'ds']);
    const rowDot = new Float32Array(G * T);
    for (let b = 0; b < B; b++) {
      for (let g = 0; g < Hkv; g++) {
        gather(qv, b, d, H, g * G, G, w.q);
        gather(kv, b, d, Hkv, g, 1, w.k);
        gather(vv, b, d, Hkv, g, 1, w.v);
        gather(yv, b, d, H, g * G, G, w.y);
        gather(dyv, b, d, H, g * G, G, w.dy);
        blas.sgemm(false, true, G * T, T, hd, w.q, hd, w.k, hd, w.s, T); // S = Q·Kᵀ, again
        const lseAt = (b * H + g * G) * T;
        for (let r = 0; r < G * T; r++) {
          const t = r % T;
          const row = r * T;
          const lo = firstKey(t, window);
          const l = lsev[lseAt + r];
          w.s.fill(0, row, row + lo);
          for (let j = lo; j <= t; j++) w.s[row + j] = Math.exp(w.s[row + j] * scale - l); // P
          w.s.fill(0, row + t + 1, row + T);
          let dot = 0;
          for (let x = r * hd, end = x + hd; x < end; x++) dot += w.dy[x] * w.y[x];
          rowDot[r] = dot;
        }
        blas.sgemm(true, false, T, hd, G * T, w.s, T, w.dy, hd, w.dv, hd); // dV = Pᵀ·dY
        blas.sgemm(false, true, G * T, T, hd, w.dy, hd, w.v, hd, w.ds, T); // dP = dY·Vᵀ
        for (let r = 0; r < G * T; r++) {
          const t = r % T;
          const row = r * T;
          const lo = firstKey(t, window);
          const dot = rowDot[r];
          w.ds.fill(0, row, row + lo); // dS is 0 where P is
          for (let j = lo; j <= t; j++) w.ds[row + j] = scale * w.s[row + j] * (w.ds[row + j] - dot);
          w.ds.fill(0, row + t + 1, row + T);
        }
        blas.sgemm(false, false, G * T, hd, T, w.ds, T, w.k, hd, w.dq, hd); // dQ = dS·K
        blas.sgemm(true, false, T, hd, G * T, w.ds, T, w.q, hd, w.dk, hd); // dK = dSᵀ·Q
        scatter(w.dq, b, d, H, g * G, G, dq);
        scatter(w.dk, b, d, Hkv, g, 1, dk);
        scatter(w.dv, b, d, Hkv, g, 1, dv);
      }
    }
  });
};

export const attentionKernels: KernelConfig[] = TYPED_BACKENDS.flatMap((backendName) => [
  { kernelName: ATTENTION, backendName, kernelFunc: forward },
  { kernelName: ATTENTION_GRAD, backendName, kernelFunc: backward },
]);

export const attentionGradient: GradConfig = {
  kernelName: ATTENTION,
  inputsToSave: ['q', 'k', 'v'],
  outputsToSave: [true, true],
  gradFunc: (dys: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const [q, k, v, y, lse] = saved;
    const dy = Array.isArray(dys) ? dys[0] : dys; // lse is not differentiated through
    const [dq, dk, dv] = engine().runKernel(ATTENTION_GRAD, { dy, q, k, v, y, lse }, attrs) as unknown as Tensor[];
    return { q: () => dq, k: () => dk, v: () => dv };
  },
};
