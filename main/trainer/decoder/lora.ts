// LoRA (Hu et al. 2021) on a DecoderModel's projections, in PEFT's layout: each adapted W (out, in) gets A (r, in),
// uniform in ±1/√in as PEFT's kaiming_uniform(a=√5) draws it (seeded), and B (out, r) of zeros, so training starts
// from the base exactly. The forward pass adds s·(x·Aᵀ)·Bᵀ (s = alpha/r) beside x·Wᵀ: N·r·(in + out) per projection
// instead of merging ΔW = B·A (in·out·r and a full-size copy of W per projection per step, which at 1B parameters
// would not fit). Checkpoints hold the merged weights; the adapters are saved beside them for resuming and for a
// PEFT export (base_model.model.<checkpoint module>.lora_A.weight / .lora_B.weight).
import type { TrainConfig } from '../../../common/config';
import { badInput } from '../../../common/result';
import { rngFor } from '../rng';
import * as tf from '../tfjs';
import type { DecoderModel, ProjectionAdapter } from './model';
import { layerParam, PROJECTIONS } from './names';

export const DECODER_LORA_FORMAT = 'tunebench-decoder-lora-v1';

type LoraOptions = Pick<TrainConfig, 'loraRank' | 'loraAlpha' | 'loraTargets' | 'seed'>;

export class DecoderLora implements ProjectionAdapter {
  /** Trainable: `<canonical weight>.lora_A` (r, in) and `.lora_B` (out, r). */
  readonly params = new Map<string, tf.Variable>();
  readonly scale: number;
  /** Canonical weight names adapted, in layer order. */
  readonly targets: string[] = [];

  constructor(
    model: DecoderModel,
    readonly options: LoraOptions,
  ) {
    const r = options.loraRank;
    this.scale = options.loraAlpha / r;
    const rng = rngFor(options.seed, 'lora');
    const parts = options.loraTargets === 'attention' ? PROJECTIONS.attention : PROJECTIONS.all;
    for (let l = 0; l < model.spec.layers; l++) {
      for (const part of parts) {
        const name = layerParam(l, `${part}.weight`);
        const weight = model.params.get(name);
        if (!weight) continue; // GPT-2 has no gate
        const [out, inp] = weight.shape as [number, number];
        const bound = 1 / Math.sqrt(inp);
        this.add(`${name}.lora_A`, tf.randomUniform([r, inp], -bound, bound, 'float32', rng.seed()));
        this.add(`${name}.lora_B`, tf.zeros([out, r]));
        this.targets.push(name);
      }
    }
  }

  private add(name: string, init: tf.Tensor): void {
    this.params.set(name, tf.variable(init, true));
    init.dispose();
  }

  delta(name: string, x: tf.Tensor2D): tf.Tensor2D | null {
    const a = this.params.get(`${name}.lora_A`);
    if (!a) return null;
    const b = this.params.get(`${name}.lora_B`)!;
    // scaled at rank r, (N, r), rather than at the output's width: one tensor of (N, out) fewer kept for the backward
    return tf.matMul(tf.mul(tf.matMul(x, a, false, true), this.scale), b, false, true) as tf.Tensor2D; // (N, r) then (N, out)
  }

  /** W + s·B·A for an adapted weight (for checkpoints and exports).  (out, in) → (out, in) */
  merged(name: string, weight: tf.Tensor2D): tf.Tensor2D {
    const a = this.params.get(`${name}.lora_A`);
    if (!a) return weight;
    return tf.add(weight, tf.mul(tf.matMul(this.params.get(`${name}.lora_B`)!, a), this.scale));
  }

  /** The adapters by canonical name, as float32 arrays (A (r, in), B (out, r): PEFT's layout already). */
  read(): { name: string; shape: number[]; data: Float32Array }[] {
    return [...this.params].map(([name, v]) => ({ name, shape: v.shape, data: v.dataSync() as Float32Array }));
  }

  /** Puts back adapters read from a file of `read()`'s tensors; `source` names it in errors. */
  restore(tensors: readonly { name: string; shape: number[]; data: Float32Array }[], source: string): void {
    const byName = new Map(tensors.map((t) => [t.name, t]));
    for (const [name, v] of this.params) {
      const t = byName.get(name);
      if (!t || t.shape.join() !== v.shape.join()) throw badInput(`${source} has no adapter ${name} of shape [${v.shape}]; the run cannot be resumed.`);
      tf.tidy(() => v.assign(tf.tensor(t.data, t.shape)));
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
