// Fused training kernels for the wasm and cpu backends (plain loops over typed arrays, see typedArrays.ts) and the ops
// that call them. Each op returns null on a backend without the kernel (webgpu, tensorflow), and the caller then
// builds the same function from tfjs's own ops. A loop in JS beats wasm's XNNPACK SIMD only where it saves whole
// passes, so the ops that are one cheap elementwise pass forward (GELU, bias add) keep tfjs ops there and take a
// kernel for their backward pass only (tf.customGrad); the others are kernels with registered gradients.
import { add, customGrad, engine, getBackend, getKernel, mul, registerGradient, registerKernel, reshape, sigmoid, sub, tidy, type GradSaveFunc, type Tensor } from '../tfjs';
import { ATTENTION, attentionGradient, attentionKernels } from './attentionKernels';
import { loadBlas } from './blas';
import { ADAM, decoderKernels, RMS_NORM, type AdamStep, rmsNormGradient, ROPE, ropeGradient } from './decoderKernels';
import { SPLIT_HEADS, headsKernels, splitHeadsGradient } from './headsKernels';
import { BAG_SUM, bagSumGradient, EMBEDDING, embeddingGradient, embeddingKernels } from './embeddingKernels';
import { LAYER_NORM, layerNormGradient, layerNormKernels } from './normKernels';
import { COLUMN_SUM, GELU_A, GELU_C, GELU_GRAD, pointwiseKernels } from './pointwiseKernels';

let installed = false;
let enabled = true;

/** Turns the fused path off (every op then falls back to tfjs ops) or back on; for benchmarks and tests. */
export function useFusedKernels(on: boolean): void {
  enabled = on;
}

/** Whether `kernel` runs on the active backend, registering the fused kernels first. */
function available(kernel: string): boolean {
  installFusedKernels();
  return enabled && getKernel(kernel, getBackend()) !== undefined;
}

/** Registers every fused kernel and its gradient once per process; safe before or after a backend initialises. */
export function installFusedKernels(): void {
  if (installed) return;
  for (const k of [...layerNormKernels, ...pointwiseKernels, ...embeddingKernels, ...headsKernels, ...attentionKernels, ...decoderKernels]) {
    if (!getKernel(k.kernelName, k.backendName)) registerKernel(k);
  }
  for (const g of [layerNormGradient, embeddingGradient, bagSumGradient, splitHeadsGradient, attentionGradient, rmsNormGradient, ropeGradient]) registerGradient(g);
  installed = true;
}

function run<T extends Tensor>(kernel: string, inputs: Record<string, Tensor>, attrs: Record<string, number> = {}): T | null {
  return available(kernel) ? (engine().runKernel(kernel, inputs, attrs) as T) : null;
}

/** LayerNorm over the last axis.  x (…, C), gain (C), bias (C) → (…, C) */
export const fusedLayerNorm = (x: Tensor, gain: Tensor, bias: Tensor, eps: number) => run(LAYER_NORM, { x, gain, bias }, { eps });

/** x·σ(z) on tfjs ops, saving σ(z) for the one-kernel backward pass (see pointwiseKernels.ts). */
const geluSavingSigmoid = customGrad((...args: (Tensor | GradSaveFunc)[]) => {
  const [x, save] = args as [Tensor, GradSaveFunc];
  const s = sigmoid(mul(add(x, mul(mul(x, mul(x, x)), GELU_A)), 2 * GELU_C));
  save([x, s]);
  return { value: mul(x, s), gradFunc: (dy: Tensor, [xs, ss]: Tensor[]) => engine().runKernel(GELU_GRAD, { dy, x: xs, s: ss }) as Tensor };
});

/** GELU, tanh approximation.  any shape → same shape */
export function fusedGelu(x: Tensor): Tensor | null {
  return available(GELU_GRAD) ? (geluSavingSigmoid(x) as Tensor) : null;
}

/** x + bias on tfjs ops, with the bias gradient as one column-sum kernel instead of a transpose and a reduction. */
const biasAddSummingColumns = customGrad((...args: (Tensor | GradSaveFunc)[]) => {
  const [x, bias] = args as [Tensor, Tensor];
  const gradFunc = (dy: Tensor) => [reshape(dy, dy.shape), engine().runKernel(COLUMN_SUM, { x: dy }) as Tensor];
  return { value: add(x, bias), gradFunc };
});

/** x + bias broadcast over rows.  x (N, C), bias (C) → (N, C) */
export function fusedBiasAdd(x: Tensor, bias: Tensor): Tensor | null {
  return available(COLUMN_SUM) ? (biasAddSummingColumns(x, bias) as Tensor) : null;
}

/** RMSNorm over the last axis, gain w (Llama) or 1 + w (Gemma: plusOne 1).  x (…, C), weight (C) → (…, C) */
export const fusedRmsNorm = (x: Tensor, weight: Tensor, eps: number, plusOne: 0 | 1) => run(RMS_NORM, { x, weight }, { eps, plusOne });

/**
 * silu(gate)·up on tfjs's own ops (on wasm XNNPACK's SIMD sigmoid and products, several times faster per element than
 * a JS loop), saving only gate and up for the backward pass, which computes σ(gate) again:
 *   y = a·σ(a)·u,  da = dy·u·σ(a)·(1 + a·(1 − σ(a))),  du = dy·a·σ(a)
 */
const swiGluSavingInputs = customGrad((...args: (Tensor | GradSaveFunc)[]) => {
  const [a, u, save] = args as [Tensor, Tensor, GradSaveFunc];
  save([a, u]);
  const gradFunc = (dy: Tensor, [as, us]: Tensor[]) => {
    const s = sigmoid(as);
    return [mul(mul(mul(dy, us), s), add(1, mul(as, sub(1, s)))), mul(dy, mul(as, s))];
  };
  return { value: tidy(() => mul(mul(a, sigmoid(a)), u)), gradFunc };
});

/** silu(gate)·up, the gated MLP's middle.  gate, up (N, I) → (N, I) */
export const fusedSwiGlu = (gate: Tensor, up: Tensor): Tensor | null => (enabled ? (swiGluSavingInputs(gate, up) as Tensor) : null);

/** Whether Adam's update runs as one kernel with its moments outside the backend (decoderKernels.ts). */
export const hasFusedAdam = () => available(ADAM);

/** One weight's Adam update, moments m and v updated in place; the new weight.  g, w (any shape), scale () */
export const fusedAdam = (g: Tensor, w: Tensor, scale: Tensor, m: Float32Array, v: Float32Array, step: AdamStep) =>
  engine().runKernel(ADAM, { g, w, scale }, { m, v, step } as never) as Tensor;

/** Rotary embedding, rotate_half convention.  x (B, T, heads, hd), cos, sin (T, hd) → same as x */
export const fusedRope = (x: Tensor, cos: Tensor, sin: Tensor) => run(ROPE, { x, cos, sin });

/**
 * a + b of one shape, keeping neither for the backward pass (tfjs's Add saves both inputs, though its gradient needs
 * only their shapes): a residual or an adapter's delta then lives only as long as something else needs it.
 */
export const addSavingNothing = customGrad((...args: (Tensor | GradSaveFunc)[]) => {
  const [a, b] = args as [Tensor, Tensor];
  return { value: add(a, b), gradFunc: (dy: Tensor) => [reshape(dy, dy.shape), reshape(dy, dy.shape)] };
}) as (a: Tensor, b: Tensor) => Tensor;

/** Rows of table by id.  table (V, C), ids (N) int32 → (N, C) */
export const fusedEmbedding = (table: Tensor, ids: Tensor) => run(EMBEDDING, { table, ids });
/** Σ_k weights[n, k] · table[ids[n, k]].  table (V, C), ids (N, K) int32, weights (N, K) → (N, C) */
export const fusedBagSum = (table: Tensor, ids: Tensor, weights: Tensor) => run(BAG_SUM, { table, ids, weights });

/** q, kᵀ and v per head from the fused projection.  qkv (B·T, 3C) → (B·H, T, hd), (B·H, hd, T), (B·H, T, hd) */
export function fusedSplitHeads(qkv: Tensor, batch: number, heads: number): Tensor[] | null {
  return available(SPLIT_HEADS) ? (engine().runKernel(SPLIT_HEADS, { qkv }, { batch, heads }) as unknown as Tensor[]) : null;
}

/**
 * Causal grouped-query attention in one kernel each way, keeping no B·H·T·T tensor for the backward pass
 * (attentionKernels.ts); null without the system BLAS, whose products it runs on.
 * q (B, T, H, hd), k, v (B, T, Hkv, hd) after RoPE; window 0 for none → (B·T, H·hd)
 */
export function fusedAttention(q: Tensor, k: Tensor, v: Tensor, scale: number, window: number): Tensor | null {
  if (!loadBlas().blas || !available(ATTENTION)) return null;
  const [y] = engine().runKernel(ATTENTION, { q, k, v }, { scale, window }) as unknown as Tensor[];
  return y;
}
