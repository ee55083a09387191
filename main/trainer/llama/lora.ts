// LoRA adapters for LlamaTrainable (Hu et al. 2021): each targeted projection W (in, out) gets A (in, r), initialised
// uniform in ±1/√in like PEFT's kaiming_uniform(a=√5), seeded, and B (r, out) initialised to zeros, and is used as
// W + (alpha / r)·A·B, so before training the model is exactly the base. Only A and B are trained.
// The forward pass merges ΔW = A·B into W rather than computing x·W + (x·A)·B: the merge costs in·r·out per weight
// and per step, the side path N·r·(in + out) for N = B·T rows, so merging is cheaper once N > in·out / (in + out)
// (≈ 32 rows for stories260K's 64-wide projections) — every training batch.
// Saved beside a checkpoint (whose weights are the merged ones) as `step-NNNNNN.lora.safetensors` in PEFT's layout:
// base_model.model.<HF module>.lora_A.weight (r, in) and .lora_B.weight (out, r), with q/k rows in HF's rotate-half
// order, and PEFT's adapter_config.json body in the metadata, so it can be exported as an adapter. A resumed run
// reads that file back into fresh adapters (restorePeft), so it trains the adapters on, not the merged weights.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TrainConfig } from '../../../common/config';
import { badInput } from '../../../common/result';
import { rngFor } from '../rng';
import { readSafetensors, writeSafetensors, type NamedArray } from '../safetensors';
import * as tf from '../tfjs';
import { permuteRows } from './llamaCheckpoint';
import { LAYER_PARTS, layerName, type LayerPart, type LlamaTrainable, type WeightAdapter } from './llamaTrainable';

export const LORA_FORMAT = 'tunebench-llama-lora-v1';

/** The projections each loraTargets choice adapts. */
export const LORA_TARGET_PARTS: Record<TrainConfig['loraTargets'], readonly LayerPart[]> = {
  attention: ['wq', 'wk', 'wv', 'wo'],
  'attention+mlp': ['wq', 'wk', 'wv', 'wo', 'w1', 'w3', 'w2'],
};

/** step-000040.safetensors → step-000040.lora.safetensors */
export { loraFileFor } from '../checkpointFiles';

/** HF module path of a weight: model.layers.0.self_attn.q_proj.weight → model.layers.0.self_attn.q_proj */
const moduleOf = (weightName: string): string => weightName.replace(/\.weight$/, '');

export class LoraAdapters implements WeightAdapter {
  /** Trainable adapter weights: `<HF weight name>.lora_A` (in, r) and `.lora_B` (r, out). */
  readonly params = new Map<string, tf.Variable>();
  readonly scale: number; // alpha / r
  /** HF weight names adapted, in layer order. */
  readonly targets: string[] = [];

  constructor(
    model: LlamaTrainable,
    readonly options: Pick<TrainConfig, 'loraRank' | 'loraAlpha' | 'loraTargets' | 'seed'>,
  ) {
    const r = options.loraRank;
    this.scale = options.loraAlpha / r;
    const rng = rngFor(options.seed, 'lora');
    for (let l = 0; l < model.config.nLayers; l++) {
      for (const part of LORA_TARGET_PARTS[options.loraTargets]) {
        const name = layerName(l, part);
        const [inDim, outDim] = model.params.get(name)!.shape as [number, number];
        const bound = 1 / Math.sqrt(inDim);
        this.add(`${name}.lora_A`, tf.randomUniform([inDim, r], -bound, bound, 'float32', rng.seed()));
        this.add(`${name}.lora_B`, tf.zeros([r, outDim]));
        this.targets.push(name);
      }
    }
  }

  private add(name: string, init: tf.Tensor): void {
    this.params.set(name, tf.variable(init, true));
    init.dispose();
  }

  /** W + scale·A·B for an adapted weight, W itself otherwise.  (in, out) → (in, out) */
  adapt(name: string, weight: tf.Tensor2D): tf.Tensor2D {
    const a = this.params.get(`${name}.lora_A`);
    if (!a) return weight;
    const b = this.params.get(`${name}.lora_B`)!;
    return tf.add(weight, tf.mul(tf.matMul(a, b), this.scale));
  }

  /** PEFT's adapter_config.json body for these adapters. */
  peftConfig(): Record<string, unknown> {
    const modules = LORA_TARGET_PARTS[this.options.loraTargets].map((part) => LAYER_PARTS[part].split('.')[1]);
    return {
      peft_type: 'LORA',
      task_type: 'CAUSAL_LM',
      r: this.options.loraRank,
      lora_alpha: this.options.loraAlpha,
      lora_dropout: 0,
      bias: 'none',
      fan_in_fan_out: false,
      target_modules: modules,
    };
  }

  /** The adapters in PEFT's names and layout: lora_A.weight (r, in), lora_B.weight (out, r), q/k rows rotate-half. */
  toPeft(model: LlamaTrainable): NamedArray[] {
    const { dim: C, nHeads: H, nKvHeads: Hkv } = model.config;
    const hs = C / H;
    const tensors: NamedArray[] = [];
    for (const name of this.targets) {
      const a = this.params.get(`${name}.lora_A`)!;
      const b = this.params.get(`${name}.lora_B`)!;
      const [inDim, r] = a.shape as [number, number];
      const outDim = b.shape[1] as number;
      const aT = tf.tidy(() => tf.transpose(a).dataSync() as Float32Array); // (r, in)
      let bT = tf.tidy(() => tf.transpose(b).dataSync() as Float32Array); // (out, r)
      if (name.endsWith(LAYER_PARTS.wq)) bT = permuteRows(bT, H, hs, true);
      if (name.endsWith(LAYER_PARTS.wk)) bT = permuteRows(bT, Hkv, hs, true);
      const peft = `base_model.model.${moduleOf(name)}`;
      tensors.push({ name: `${peft}.lora_A.weight`, shape: [r, inDim], data: aT });
      tensors.push({ name: `${peft}.lora_B.weight`, shape: [outDim, r], data: bT });
    }
    return tensors;
  }

  /**
   * Puts back adapters saved by writeLoraAdapters (the inverse of toPeft: exact copies); `path` names the file in
   * errors. The rank and targets must be these adapters'.
   */
  restorePeft(model: LlamaTrainable, path: string): void {
    const { tensors, metadata } = readSafetensors(path);
    if (metadata.format !== LORA_FORMAT) throw badInput(`${path} is not a Tunebench LoRA adapter file (format '${metadata.format ?? 'none'}'); the run cannot be resumed.`);
    if (metadata.rank !== String(this.options.loraRank) || metadata.targets !== this.options.loraTargets) {
      throw badInput(`${path} holds rank ${metadata.rank} adapters on ${metadata.targets}, but the run trains rank ${this.options.loraRank} on ${this.options.loraTargets}; it cannot be resumed.`);
    }
    const { dim: C, nHeads: H, nKvHeads: Hkv } = model.config;
    const hs = C / H;
    const byName = new Map(tensors.map((t) => [t.name, t]));
    const take = (name: string, shape: number[]) => {
      const t = byName.get(name);
      if (!t || t.shape.join() !== shape.join()) throw badInput(`${path} has no tensor ${name} of shape [${shape}]; the run cannot be resumed.`);
      return t.data;
    };
    for (const name of this.targets) {
      const a = this.params.get(`${name}.lora_A`)!;
      const b = this.params.get(`${name}.lora_B`)!;
      const [inDim, r] = a.shape as [number, number];
      const outDim = b.shape[1] as number;
      const peft = `base_model.model.${moduleOf(name)}`;
      const aT = take(`${peft}.lora_A.weight`, [r, inDim]);
      let bT = take(`${peft}.lora_B.weight`, [outDim, r]);
      if (name.endsWith(LAYER_PARTS.wq)) bT = permuteRows(bT, H, hs, false);
      if (name.endsWith(LAYER_PARTS.wk)) bT = permuteRows(bT, Hkv, hs, false);
      tf.tidy(() => {
        a.assign(tf.transpose(tf.tensor2d(aT, [r, inDim])));
        b.assign(tf.transpose(tf.tensor2d(bT, [outDim, r])));
      });
    }
  }

  get parameterCount(): number {
    let n = 0;
    for (const v of this.params.values()) n += v.size;
    return n;
  }

  dispose(): void {
    for (const v of this.params.values()) v.dispose();
    this.params.clear();
  }
}

/**
 * Writes the adapters to `path` (creating its folder) with metadata: format, rank, alpha, targets (loraTargets),
 * adapter_config (PEFT's JSON) and whatever the caller adds (step, base). Returns the file size.
 */
export function writeLoraAdapters(adapters: LoraAdapters, model: LlamaTrainable, path: string, metadata: Record<string, string> = {}): { bytes: number } {
  mkdirSync(dirname(path), { recursive: true });
  const bytes = writeSafetensors(path, adapters.toPeft(model), {
    ...metadata,
    format: LORA_FORMAT,
    rank: String(adapters.options.loraRank),
    alpha: String(adapters.options.loraAlpha),
    targets: adapters.options.loraTargets,
    adapter_config: JSON.stringify(adapters.peftConfig()),
  });
  return { bytes };
}
