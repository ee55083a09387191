// What a decoder fine-tune will hold in memory and how long a step will take, from the model's shape and the run's
// settings alone, before anything loads. Pure, so the CLI's dry run, the refusal at start and the Model screen agree.
// Memory counts what tfjs keeps: every weight (float32), the trained weights' gradients and AdamW's two moments, and
// per micro-batch the tensor ledger of one forward and backward (tensorLedger below: tfjs keeps every forward output
// until the forward ends, then what each kernel saved for its gradient, and the backward's gradients while they are
// used), the copies a checkpoint makes in JavaScript (every weight read back, the moments), and the process's own
// baseline (Node, tfjs, the backend), measured. Shapes as in main/trainer/decoder/spec.ts: N = B·T tokens, C hidden,
// q = H·hd, kv = Hkv·hd, F MLP width, V vocabulary, A = B·H·T² attention scores.
import type { BackendName } from './config';

/** What sizes a decoder: the part of main/trainer/decoder/spec.ts's DecoderSpec the estimate and parameter count read. */
export interface ModelShape {
  vocabSize: number; // V
  hidden: number; // C
  layers: number;
  heads: number; // H
  kvHeads: number; // Hkv; H is a multiple of it
  headDim: number; // hd; H·hd need not equal C (Qwen3, Gemma 3)
  intermediate: number; // F
  maxPositions: number; // P: the longest context the model was trained for
  /** rms: x/rms(x)·w; rms1p: x/rms(x)·(1 + w) (Gemma); layernorm: with mean and bias (GPT-2). */
  norm: 'rms' | 'rms1p' | 'layernorm';
  /** gated: down(act(gate(x)) ⊙ up(x)) (Llama, Qwen, Gemma); plain: down(act(up(x))) (GPT-2). */
  mlp: 'gated' | 'plain';
  activation: 'silu' | 'gelu_tanh';
  /** Biases present on q/k/v, on o, and on the MLP's matrices. */
  qkvBias: boolean;
  oBias: boolean;
  mlpBias: boolean;
  /** Per-head norm of q and k (over hd) before the rotary positions (Qwen3, Gemma 3). */
  qkNorm: boolean;
  /** Gemma 3's norms after attention and after the MLP, before each residual add. */
  sandwichNorms: boolean;
  /** rope: rotary positions, rotate-half layout; learned: an added position table (GPT-2). */
  positions: 'rope' | 'learned';
  tiedHead: boolean;
  /** tanh soft-capping of attention scores and of the final logits (cap·tanh(x/cap)), or null. */
  attnSoftcap: number | null;
  finalSoftcap: number | null;
}

/** Weights of one block. */
function layerParameters(s: ModelShape): number {
  const C = s.hidden;
  const q = s.heads * s.headDim;
  const kv = s.kvHeads * s.headDim;
  const normSize = s.norm === 'layernorm' ? 2 * C : C;
  let n = 2 * normSize + C * q + 2 * C * kv + q * C;
  if (s.qkvBias) n += q + 2 * kv;
  if (s.oBias) n += C;
  n += (s.mlp === 'gated' ? 3 : 2) * C * s.intermediate;
  if (s.mlpBias) n += (s.mlp === 'gated' ? 2 : 1) * s.intermediate + C;
  if (s.qkNorm) n += 2 * s.headDim;
  if (s.sandwichNorms) n += 2 * C;
  return n;
}

/** Parameter count from the shape alone (no weights needed): what `models list` and the estimate show. */
export function shapeParameters(s: ModelShape): number {
  const finalNorm = s.norm === 'layernorm' ? 2 * s.hidden : s.hidden;
  let total = s.vocabSize * s.hidden + s.layers * layerParameters(s) + finalNorm;
  if (s.positions === 'learned') total += s.maxPositions * s.hidden;
  if (!s.tiedHead) total += s.vocabSize * s.hidden;
  return total;
}

export type EstimateMethod = 'full' | 'freeze' | 'lora';

export interface RunShape {
  method: EstimateMethod;
  batchSize: number; // B, sequences per micro-batch
  contextLength: number; // T as the run will use it (at most the model's context)
  gradAccumulation: number;
  gradClip: number;
  trainLayers: number; // freeze
  loraRank: number;
  loraTargets: 'attention' | 'attention+mlp';
}

/** Parameters the method trains: every one, the top blocks + final norm (+ an untied head), or the adapters. */
export function trainedParameters(s: ModelShape, r: Pick<RunShape, 'method' | 'trainLayers' | 'loraRank' | 'loraTargets'>): number {
  if (r.method === 'full') return shapeParameters(s);
  if (r.method === 'freeze') {
    const finalNorm = s.norm === 'layernorm' ? 2 * s.hidden : s.hidden;
    return Math.min(r.trainLayers, s.layers) * layerParameters(s) + finalNorm + (s.tiedHead ? 0 : s.vocabSize * s.hidden);
  }
  return s.layers * r.loraRank * loraWidths(s, r.loraTargets);
}

/** Elements of the largest single weight the method trains (the unit AdamW updates at a time). */
function largestTrained(s: ModelShape, r: RunShape): number {
  const C = s.hidden;
  const q = s.heads * s.headDim;
  const block = Math.max(q * C, s.intermediate * C);
  if (r.method === 'lora') return r.loraRank * Math.max(C, q, r.loraTargets === 'attention+mlp' ? s.intermediate : 0);
  const head = s.vocabSize * C;
  if (r.method === 'freeze') return Math.max(r.trainLayers > 0 ? block : 0, s.tiedHead ? C : head);
  return Math.max(block, head, s.positions === 'learned' ? s.maxPositions * C : 0);
}

/** Σ (in + out) over the projections LoRA adapts in one block. */
function loraWidths(s: ModelShape, targets: RunShape['loraTargets']): number {
  const C = s.hidden;
  const q = s.heads * s.headDim;
  const kv = s.kvHeads * s.headDim;
  let n = C + q + 2 * (C + kv) + q + C;
  if (targets === 'attention+mlp') n += (s.mlp === 'gated' ? 2 : 1) * (C + s.intermediate) + s.intermediate + C;
  return n;
}

/** Float32 elements tfjs holds for one micro-batch: at the end of the forward, and at the end of the backward. */
export interface Ledger {
  forward: number; // every forward output (tfjs disposes them when the forward ends)
  saved: number; // what the kernels saved for their gradients (kept through the backward)
  gradients: number; // the gradients alive at once in the backward (main/trainer/backwardMemory.ts frees each once used)
}

/**
 * Which of Tunebench's own kernels a backend runs (main/trainer/kernels): on wasm and cpu RMSNorm, LayerNorm, RoPE and
 * the SwiGLU gate are one kernel each way that keeps only its inputs; with a system BLAS attention is one kernel too,
 * keeping q, k, v, its output and each row's log-sum-exp instead of the B·H·T² scores and probabilities.
 */
export interface Kernels {
  fused: boolean;
  flashAttention: boolean;
}

/**
 * The forward and backward of one micro-batch, op by op as decoder/model.ts runs them (reshapes share memory and are
 * not counted). A block's outputs get gradients from the first trained weight on (full: all; freeze: the top blocks;
 * lora: from the first adapter).
 */
export function tensorLedger(s: ModelShape, r: RunShape, kernels: Kernels = { fused: true, flashAttention: false }): Ledger {
  const B = r.batchSize;
  const T = Math.min(r.contextLength, s.maxPositions);
  const N = B * T;
  const C = s.hidden;
  const q = s.heads * s.headDim;
  const kv = s.kvHeads * s.headDim;
  const F = s.intermediate;
  const A = B * s.heads * T * T;
  const V = s.vocabSize;
  const ledger: Ledger = { forward: 0, saved: 0, gradients: 0 };
  let path = r.method === 'full';
  let block = 0; // the gradient path's elements in the current block
  let widestBlock = 0; // and in the block with the most
  const op = (elements: number, saved: boolean) => {
    ledger.forward += elements;
    if (saved) ledger.saved += elements;
    if (path) widestBlock = Math.max(widestBlock, (block += elements));
  };
  const norm = (rows: number, width: number) => {
    if (kernels.fused) op(rows * width, true); // one kernel (it saves its input)
    else if (s.norm === 'layernorm') for (let i = 0; i < 5; i++) op(rows * width, i >= 2); // x − mean, its square, ·rstd, ·gain, +bias
    else for (let i = 0; i < 3; i++) op(rows * width, true); // x², x·rsqrt(mean + ε), · w
  };
  const linear = (out: number, bias: boolean, adapted: boolean, saved = true) => {
    op(N * out, saved); // x·Wᵀ
    if (bias) op(N * out, saved);
    if (adapted) {
      path = true;
      op(N * r.loraRank, true); // x·Aᵀ
      op(N * r.loraRank, true); // · s
      op(N * out, false); // ·Bᵀ
      op(N * out, saved); // + x·Wᵀ
    }
  };
  const lora = r.method === 'lora';
  const loraMlp = lora && r.loraTargets === 'attention+mlp';
  const rope = s.positions === 'rope';
  const gelu = () => {
    for (let i = 0; i < 7; i++) op(N * F, i >= 5); // the tanh form as x·σ(2u): x², x³, ·a, +x, ·2c, σ (saved), x·σ (saved)
  };
  op(N * C, false); // the embedding rows
  if (s.positions === 'learned') op(N * C, true);
  for (let l = 0; l < s.layers; l++) {
    block = 0;
    if (r.method === 'freeze' && l >= s.layers - Math.min(r.trainLayers, s.layers)) path = true;
    norm(N, C);
    const qkSaved = s.qkNorm || !rope || !kernels.fused; // else only RoPE's output is kept
    linear(q, s.qkvBias, lora, qkSaved);
    linear(kv, s.qkvBias, lora, qkSaved);
    linear(kv, s.qkvBias, lora);
    if (s.qkNorm) {
      norm(N * s.heads, s.headDim);
      norm(N * s.kvHeads, s.headDim);
    }
    if (rope) {
      if (kernels.fused) for (const w of [q, kv]) op(N * w, true);
      else for (const w of [q, kv]) for (let i = 0; i < 4; i++) op(N * w, i === 0); // x·R, x·cos, ·sin, +
    }
    if (kernels.flashAttention && s.attnSoftcap === null) {
      op(N * q, true); // the output
      op(B * s.heads * T, true); // each row's log-sum-exp
    } else {
      op(N * q + 2 * N * kv, true); // q, k, v to heads (transposes)
      op(A, true); // q·kᵀ
      op(A, true); // · scale
      if (s.attnSoftcap !== null) for (let i = 0; i < 3; i++) op(A, true);
      op(A, false); // + mask
      op(A, true); // softmax
      op(N * q, false); // probs·v
      op(N * q, true); // back from heads
    }
    linear(C, s.oBias, lora, s.sandwichNorms);
    if (s.sandwichNorms) norm(N, C);
    op(N * C, true); // residual (the next norm keeps it)
    norm(N, C);
    if (s.mlp === 'gated') {
      linear(F, s.mlpBias, loraMlp); // gate
      linear(F, s.mlpBias, loraMlp); // up
      if (s.activation === 'silu' && kernels.fused) op(N * F, true); // silu(gate)·up, one kernel
      else {
        if (s.activation === 'silu') for (let i = 0; i < 2; i++) op(N * F, true); // σ, ·gate
        else gelu();
        op(N * F, true); // · up
      }
    } else {
      linear(F, s.mlpBias, loraMlp); // up
      gelu();
    }
    linear(C, s.mlpBias, loraMlp, s.sandwichNorms); // down
    if (s.sandwichNorms) norm(N, C);
    op(N * C, true); // residual
  }
  if (r.method === 'freeze') path = true; // the final norm always trains
  norm(N, C);
  op(N * V, true); // logits
  if (s.finalSoftcap !== null) for (let i = 0; i < 3; i++) op(N * V, true);
  // cross-entropy: one-hot targets (int32, then float32), log-sum-exp's max-shifted exp, log-probabilities, their product
  // with the targets and its negation; saved: targets and log-probabilities
  for (let i = 0; i < 7; i++) op(N * V, i === 1 || i === 4);
  // the backward frees each gradient once its op is done (backwardMemory.ts): alive at once are the cross-entropy's
  // (its gradient function makes both inputs' gradients, each from exp and a difference) and, at most, one block's
  block = 0;
  ledger.gradients = 4 * N * V + widestBlock;
  return ledger;
}

export interface Machine {
  totalBytes: number; // os.totalmem()
  freeBytes: number; // os.freemem(): what a new process can have now
}

export interface Throughput {
  flopsPerSecond: number;
  basis: string; // where the number comes from, for the reader
}

export interface EstimateInput {
  shape: ModelShape;
  run: RunShape;
  backend: BackendName;
  machine: Machine;
  /** The trainer's resident set once its backend has started (Node + tfjs + backend), measured. */
  baselineBytes: number;
  kernels: Kernels;
  throughput: Throughput;
}

export interface MemoryBreakdown {
  baseline: number;
  weights: number;
  gradients: number;
  optimizer: number;
  activations: number; // the micro-batch's forward and backward (tensorLedger)
  adamScratch: number; // Adam's intermediates beyond those, when its update is the high-water mark
  checkpoint: number; // JavaScript copies while a checkpoint is written
  inBackend: number; // the tensors the backend holds at the peak (what wasm's 4 GiB heap must fit)
  total: number;
}

export interface TrainingEstimate {
  parameters: number;
  trainedParameters: number;
  tokensPerStep: number;
  memory: MemoryBreakdown; // bytes at the peak
  /** What the backend can hold: wasm's 4 GiB heap for tensors, else the machine's free memory for the whole process. */
  ceiling: { bytes: number; what: string };
  fits: boolean;
  flopsPerStep: number;
  secondsPerStep: number;
  throughput: Throughput;
}

const F32 = 4;
/**
 * Tensors AdamW (main/trainer/optimizer.ts) makes for one weight in its own tidy where its moments are backend tensors
 * (webgpu, tensorflow): the clipped gradient, 3 for m, 4 for v, 2 bias corrections, 5 for the step.
 */
const ADAM_INTERMEDIATES = 15;
/**
 * On wasm, writing a checkpoint (every weight and moment read back with dataSync: HEAPU8.slice on the threaded
 * build's shared heap) raised the resident set far beyond the copies: measured here, on 2-block Qwen2.5, GPT-2 and
 * SmolLM2 shapes (full and LoRA; largest tensors 3.5–17 MiB), by about 250 MiB plus 24× the largest tensor. Larger
 * tensors were not measured, so that part is held at its value for 32 MiB rather than extrapolated.
 */
const WASM_READBACK_BASE = 250 * 2 ** 20;
const WASM_READBACK_PER_LARGEST = 24;
const WASM_READBACK_LARGEST_CAP = 32 * 2 ** 20;
export const WASM_HEAP_BYTES = 4 * 2 ** 30;
/** Room kept free below a ceiling: other programs, the allocator's slack, tfjs's own small tensors. */
export const HEADROOM = 0.9;

export function estimateTraining(input: EstimateInput): TrainingEstimate {
  const { shape, run, backend, machine } = input;
  const parameters = shapeParameters(shape);
  const trained = trainedParameters(shape, run);
  const ledger = tensorLedger(shape, run, input.kernels);
  const T = Math.min(run.contextLength, shape.maxPositions);
  const weights = parameters * F32;
  const optimizer = 2 * trained * F32; // AdamW's m and v
  const gradients = trained * F32;
  // On wasm and cpu AdamW keeps m and v in JavaScript memory and updates each weight in one kernel; elsewhere they are
  // backend tensors and each weight's update makes its 15 intermediates.
  const hostMoments = input.kernels.fused;
  const inBackendMoments = hostMoments ? 0 : optimizer;
  // The step's high-water mark in the backend is the largest of three moments. The forward's end: every forward output.
  // The backward's end: the saved activations, every activation's gradient and the weights' (plus the running sum when
  // micro-batches accumulate). The update: every gradient, with their squares for the global norm, then one weight at
  // a time with what its update makes (its gradient freed once used).
  const accumulated = run.gradAccumulation > 1 ? gradients : 0;
  const perWeight = (hostMoments ? 1 : ADAM_INTERMEDIATES) * largestTrained(shape, run) * F32;
  const backward = inBackendMoments + (ledger.saved + ledger.gradients) * F32 + gradients + accumulated;
  const update = inBackendMoments + gradients + Math.max(gradients, perWeight);
  const forward = inBackendMoments + ledger.forward * F32;
  const activations = Math.max(forward, backward) - inBackendMoments - gradients;
  const adamScratch = Math.max(0, update - (inBackendMoments + gradients + activations)); // when the update is the peak
  const inBackend = weights + inBackendMoments + gradients + activations + adamScratch;
  const checkpoint = checkpointBytes(shape, trained, backend);
  const total = input.baselineBytes + inBackend + (hostMoments ? optimizer : 0) + checkpoint;
  const ceiling =
    backend === 'wasm'
      ? { bytes: Math.min(WASM_HEAP_BYTES, machine.freeBytes), what: "the wasm backend's 4 GiB WebAssembly heap" }
      : { bytes: machine.freeBytes, what: `the machine's ${formatGiB(machine.freeBytes)} of free memory` };
  const fits = backend === 'wasm' ? inBackend <= HEADROOM * ceiling.bytes && total <= HEADROOM * machine.freeBytes : total <= HEADROOM * ceiling.bytes;
  const flopsPerStep = stepFlops(shape, run, T) * run.gradAccumulation;
  return {
    parameters,
    trainedParameters: trained,
    tokensPerStep: run.batchSize * T * run.gradAccumulation,
    memory: { baseline: input.baselineBytes, weights, gradients, optimizer, activations, adamScratch, checkpoint, inBackend, total },
    ceiling,
    fits,
    flopsPerStep,
    secondsPerStep: flopsPerStep / input.throughput.flopsPerSecond,
    throughput: input.throughput,
  };
}

/**
 * Multiply-adds ×2 of one micro-batch: the forward is 2 per weight per token in the matrices (not the embedding
 * lookup) plus attention's q·kᵀ and probs·v; the backward doubles it for a trained matrix (input and weight
 * gradients) and repeats it once for a frozen one that gradients pass through. So ≈ 6·P·tokens for full, ≈ 4·P·tokens
 * plus the adapters' for LoRA and freeze.
 */
export function stepFlops(s: ModelShape, r: RunShape, T: number): number {
  const N = r.batchSize * T;
  const perLayer = layerParameters(s);
  const head = s.vocabSize * s.hidden;
  const attention = 2 * 2 * r.batchSize * s.heads * T * T * s.headDim; // q·kᵀ and probs·v, forward
  const matrices = s.layers * perLayer + head;
  const forward = 2 * N * matrices + s.layers * attention;
  if (r.method === 'full') return 3 * forward;
  if (r.method === 'lora') {
    const adapters = 2 * N * trainedParameters(s, r);
    return 2 * forward + 3 * adapters;
  }
  // freeze: the blocks below the trained ones run forward only; the head passes a gradient (and takes one if untied)
  const top = Math.min(r.trainLayers, s.layers);
  return forward + 2 * top * (2 * N * perLayer + attention) + 2 * N * head * (s.tiedHead ? 1 : 2);
}

/**
 * JavaScript memory while a checkpoint is written, beside the backend's high-water mark: every weight read back (LoRA
 * merged) and both moments of the trained weights, plus wasm's read-back overhead (above).
 */
function checkpointBytes(s: ModelShape, trained: number, backend: BackendName): number {
  const read = (shapeParameters(s) + 2 * trained) * F32;
  const largest = Math.max(s.vocabSize * s.hidden, s.intermediate * s.hidden, s.heads * s.headDim * s.hidden) * F32;
  return read + (backend === 'wasm' ? WASM_READBACK_BASE + WASM_READBACK_PER_LARGEST * Math.min(largest, WASM_READBACK_LARGEST_CAP) : 0);
}

export const formatGiB = (bytes: number): string => `${(bytes / 2 ** 30).toFixed(bytes < 2 ** 30 ? 2 : 1)} GiB`;

export const formatSize = (bytes: number): string => (bytes >= 2 ** 30 ? formatGiB(bytes) : `${Math.round(bytes / 2 ** 20)} MiB`);

const formatSeconds = (s: number): string => (s < 1 ? `${Math.round(s * 1000)} ms` : s < 120 ? `${s.toFixed(1)} s` : s < 7200 ? `${Math.round(s / 60)} min` : `${(s / 3600).toFixed(1)} h`);

/** The estimate in readable lines (the CLI's dry run, the Model screen): memory at the peak, then time. */
export function describeEstimate(e: TrainingEstimate, steps?: number): string[] {
  const m = e.memory;
  const parts = [
    `baseline ${formatSize(m.baseline)}`,
    `weights ${formatSize(m.weights)}`,
    m.gradients > 0 ? `gradients ${formatSize(m.gradients)}` : '',
    m.optimizer > 0 ? `Adam's moments ${formatSize(m.optimizer)}` : '',
    m.adamScratch > 0 ? `Adam's update ${formatSize(m.adamScratch)}` : '',
    `activations ${formatSize(m.activations)}`,
    `checkpoint copies ${formatSize(m.checkpoint)}`,
  ].filter(Boolean);
  const trained = e.trainedParameters === e.parameters ? 'all' : `${e.trainedParameters.toLocaleString('en-US')} of`;
  const total = steps ? `, ${formatSeconds(e.secondsPerStep * steps)} for ${steps} steps` : '';
  const held = e.ceiling.what.includes('heap') ? `, which holds the ${formatSize(m.inBackend)} of tensors` : '';
  return [
    `Memory: about ${formatSize(m.total)} at the peak (${parts.join(', ')}), training ${trained} ${e.parameters.toLocaleString('en-US')} parameters; the limit is ${e.ceiling.what} (${formatSize(e.ceiling.bytes)})${held}${e.fits ? '' : ': it does not fit'}.`,
    `Time: about ${formatSeconds(e.secondsPerStep)} a step (${(e.flopsPerStep / 1e9).toFixed(1)} GFLOP for ${e.tokensPerStep} tokens at ${(e.throughput.flopsPerSecond / 1e9).toFixed(1)} GFLOP/s, ${e.throughput.basis})${total}.`,
  ];
}
