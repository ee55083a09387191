// The memory and time estimate of a run before it starts (common/estimate.ts), for this machine and the backend the
// run will use: what `train --dry-run` prints, what the Model screen shows, and the gate that refuses a run that would
// not fit in one sentence naming what would (LoRA, a smaller batch or context, the cpu backend) instead of letting it
// run out of memory part-way.
import { createRequire } from 'node:module';
import { freemem, totalmem } from 'node:os';
import type { BackendName, TrainConfig } from '../../common/config';
import { estimateTraining, formatSize, HEADROOM, type Kernels, type Machine, type ModelShape, type RunShape, type Throughput, type TrainingEstimate } from '../../common/estimate';
import { folderSpec } from '../models/hfFolder';
import { loadBlas } from '../trainer/kernels/blas';

const MIB = 2 ** 20;

/**
 * The trainer's resident set once its backend has started, before data or model (the run's baseline_rss_mb), measured
 * on Linux with Node 20: 150 MiB on wasm (its threaded build and our kernels), 71 MiB on cpu. The others are taken as
 * wasm's until measured.
 */
export const BASELINE_BYTES: Record<BackendName, number> = { wasm: 150 * MIB, cpu: 71 * MIB, tensorflow: 150 * MIB, webgpu: 150 * MIB };

/**
 * Training throughput in FLOP/s, from tokens_per_s of 2-step fine-tunes of 2-block Llama, Qwen2, Qwen3, Gemma 3 and
 * GPT-2 shapes (B 4, T 64) on this repository's 2-core test machine, shared with other work while measured: wasm with
 * the system BLAS 45 GFLOP/s (the median; 12 for SmolLM2's narrow matrices to 64 for Qwen2.5's), wasm alone 16
 * (15–19), cpu 0.5 (LoRA, before BLAS; with it, the time is an upper bound). A native or GPU backend is given wasm's
 * rate until measured, so its time is an upper bound too.
 */
export function throughputOn(backend: BackendName, blas: boolean): Throughput {
  if (backend === 'cpu') return { flopsPerSecond: 0.5e9, basis: 'measured: cpu (JavaScript) fine-tunes on 2 CPU cores' };
  const flopsPerSecond = blas ? 45e9 : 16e9;
  const on = blas ? 'wasm with the system BLAS' : 'wasm';
  if (backend === 'wasm') return { flopsPerSecond, basis: `measured: ${on} fine-tunes on 2 CPU cores` };
  return { flopsPerSecond: 16e9, basis: `wasm's measured rate (an upper bound on the time: ${backend} is not measured)` };
}

/**
 * On the cpu backend tensors are JavaScript arrays that the garbage collector frees late: the resident set measured
 * above the baseline was 2.4× the tensors' and copies' bytes (Qwen2.5 shape, LoRA, B 4, T 64).
 */
const CPU_GC_SLACK = 2.4;

export const thisMachine = (): Machine => ({ totalBytes: totalmem(), freeBytes: freemem() });

/** The backend a run will train on: its setting, and for 'auto' the first of the order that can load here. */
export function predictedBackend(setting: TrainConfig['backend']): BackendName {
  if (setting !== 'auto') return setting;
  const require = createRequire(__filename);
  for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    try {
      require.resolve(pkg);
      return 'tensorflow';
    } catch {
      /* not installed */
    }
  }
  return 'wasm'; // webgpu is skipped on a software adapter, the usual case without a GPU; a GPU's memory is not known here
}

/** stories260K's shape (resources/models/stories260k/model.json: a Llama 2 layout, head tied to the embedding). */
const STORIES260K: ModelShape = {
  vocabSize: 512, hidden: 64, layers: 5, heads: 8, kvHeads: 4, headDim: 8, intermediate: 172, maxPositions: 512,
  norm: 'rms', mlp: 'gated', activation: 'silu', qkvBias: false, oBias: false, mlpBias: false, qkNorm: false, sandwichNorms: false,
  positions: 'rope', tiedHead: true, attnSoftcap: null, finalSoftcap: null,
};

/** A base as the estimate sizes it: its shape, and whether it trains on plain tfjs ops (stories260K's own model). */
export interface SizedBase {
  shape: ModelShape;
  plainOps: boolean;
}

/** A run's base, or null for one the estimate does not size (scratch, the GloVe encoder). */
export function sizedBase(config: Pick<TrainConfig, 'base'>, basePath: string | null): SizedBase | null {
  if (config.base === 'stories260k') return { shape: STORIES260K, plainOps: true };
  if (!basePath || config.base === 'glove-6b-100d' || config.base === 'scratch') return null;
  return { shape: folderSpec(basePath), plainOps: false }; // decoder/model.ts, with the fused kernels
}

const runShapeOf = (config: TrainConfig): RunShape => ({
  method: config.method === 'lora' || config.method === 'freeze' ? config.method : 'full',
  batchSize: config.batchSize,
  contextLength: config.contextLength,
  gradAccumulation: config.gradAccumulation,
  gradClip: config.gradClip,
  trainLayers: config.trainLayers,
  loraRank: config.loraRank,
  loraTargets: config.loraTargets,
});

export interface RunEstimate extends TrainingEstimate {
  backend: BackendName;
  /** One sentence when the run will not fit: what would. */
  refusal: string | null;
}

/** The estimate for `config` on `shape`, on the backend it will use. */
export function estimateFor(config: TrainConfig, base: SizedBase, machine: Machine = thisMachine()): RunEstimate {
  const backend = predictedBackend(config.backend);
  const estimate = estimateOn(base, runShapeOf(config), backend, machine);
  return { ...estimate, backend, refusal: estimate.fits ? null : refusalOf(estimate, config, base, backend, machine) };
}

/**
 * The kernels the trainer will run on `backend` (main/trainer/kernels): its own fused ones on wasm and cpu, and
 * attention in one kernel where a system BLAS loads (the trainer makes the same check).
 */
export function kernelsOn(backend: BackendName, plainOps = false): Kernels {
  const fused = !plainOps && (backend === 'wasm' || backend === 'cpu');
  return { fused, flashAttention: fused && loadBlas().blas !== null };
}

function estimateOn({ shape, plainOps }: SizedBase, run: RunShape, backend: BackendName, machine: Machine): TrainingEstimate {
  const kernels = kernelsOn(backend, plainOps);
  const throughput = throughputOn(backend, kernels.flashAttention);
  const e = estimateTraining({ shape, run, backend, machine, kernels, baselineBytes: BASELINE_BYTES[backend], throughput });
  if (backend !== 'cpu') return e;
  const beyond = (e.memory.total - e.memory.baseline) * CPU_GC_SLACK;
  const total = e.memory.baseline + beyond;
  return { ...e, memory: { ...e.memory, total }, fits: total <= HEADROOM * e.ceiling.bytes };
}

/** The largest batch size up to `limit` that fits (0 if not even 1 does). */
export function largestFittingBatch(config: TrainConfig, base: SizedBase, limit: number, machine: Machine = thisMachine()): number {
  const backend = predictedBackend(config.backend);
  const run = runShapeOf(config);
  for (let b = limit; b >= 1; b = b > 8 ? Math.floor(b / 2) : b - 1) if (estimateOn(base, { ...run, batchSize: b }, backend, machine).fits) return b;
  return 0;
}

function refusalOf(e: TrainingEstimate, config: TrainConfig, base: SizedBase, backend: BackendName, machine: Machine): string {
  const run = runShapeOf(config);
  const fits = (r: RunShape, b: BackendName = backend) => estimateOn(base, r, b, machine).fits;
  const options: string[] = [];
  if (run.method !== 'lora' && fits({ ...run, method: 'lora' })) options.push('method=lora');
  for (let b = Math.floor(run.batchSize / 2); b >= 1; b = Math.floor(b / 2)) {
    if (fits({ ...run, batchSize: b })) {
      options.push(`batchSize=${b}`);
      break;
    }
  }
  for (let t = Math.floor(Math.min(run.contextLength, base.shape.maxPositions) / 2); t >= 16; t = Math.floor(t / 2)) {
    if (fits({ ...run, contextLength: t })) {
      options.push(`contextLength=${t}`);
      break;
    }
  }
  if (backend === 'wasm' && fits(run, 'cpu')) options.push('backend=cpu (much slower)');
  const what = options.length > 0 ? `what would fit: --set ${options.join(', or --set ')}` : 'nothing smaller fits either (try a smaller base model)';
  const m = e.memory;
  const parts = `weights ${formatSize(m.weights)}, gradients and Adam ${formatSize(m.gradients + m.optimizer + m.adamScratch)}, activations ${formatSize(m.activations)}`;
  return `This run needs about ${formatSize(m.total)} (${parts}), more than ${e.ceiling.what} holds; ${what}.`;
}
