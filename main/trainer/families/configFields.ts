// Reading config.json fields with transformers' defaults, each refusal one sentence naming the file and the field.
import { badInput } from '../../../common/result';
import type { RopeScaling, RopeSpec } from '../decoder/spec';
import type { HfConfig } from './types';

const MAX_DIMENSION = 2 ** 24;

export class ConfigFields {
  constructor(
    readonly config: HfConfig,
    readonly file: string,
  ) {}

  /** A positive whole number (below 2^24: no real dimension is larger); `fallback` when absent or null. */
  int(key: string, fallback?: number): number {
    const v = this.config[key];
    if ((v === undefined || v === null) && fallback !== undefined) return fallback;
    if (typeof v === 'number' && Number.isInteger(v) && v >= MAX_DIMENSION) throw badInput(`${this.file}: '${key}' is ${v}, larger than any model Tunebench can hold.`);
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) throw badInput(`${this.file}: '${key}' must be a positive whole number${v === undefined ? ' and is missing' : `, not ${JSON.stringify(v)}`}.`);
    return v;
  }

  /** A block count: at most 1024 (the deepest released models have about 130). */
  layerCount(key: string): number {
    const n = this.int(key);
    if (n > 1024) throw badInput(`${this.file}: '${key}' is ${n}; Tunebench runs models of at most 1024 blocks.`);
    return n;
  }

  num(key: string, fallback: number): number {
    const v = this.config[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw badInput(`${this.file}: '${key}' must be a positive number, not ${JSON.stringify(v)}.`);
    return v;
  }

  /** A number or null (e.g. soft-capping). */
  numOrNull(key: string): number | null {
    const v = this.config[key];
    if (v === undefined || v === null) return null;
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw badInput(`${this.file}: '${key}' must be a positive number or null, not ${JSON.stringify(v)}.`);
    return v;
  }

  bool(key: string, fallback: boolean): boolean {
    const v = this.config[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'boolean') throw badInput(`${this.file}: '${key}' must be true or false, not ${JSON.stringify(v)}.`);
    return v;
  }

  /** One of `allowed`; the refusal lists them. */
  oneOf<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
    const v = this.config[key] ?? fallback;
    if (!allowed.includes(v as T)) throw badInput(`${this.file}: '${key}' is ${JSON.stringify(v)}; Tunebench runs ${allowed.map((a) => `'${a}'`).join(' or ')} for this family.`);
    return v as T;
  }

  /** Heads, KV heads and head size, checked to fit together. */
  attentionShape(hidden: number, headDimFallback?: number): { heads: number; kvHeads: number; headDim: number } {
    const heads = this.int('num_attention_heads');
    const kvHeads = this.int('num_key_value_heads', heads);
    if (heads % kvHeads !== 0) throw badInput(`${this.file}: num_attention_heads ${heads} is not a multiple of num_key_value_heads ${kvHeads}.`);
    const derived = headDimFallback ?? hidden / heads;
    const headDim = this.int('head_dim', Number.isInteger(derived) ? derived : undefined);
    if (headDim % 2 !== 0) throw badInput(`${this.file}: 'head_dim' ${headDim} must be even for rotary positions.`);
    return { heads, kvHeads, headDim };
  }

  /**
   * RoPE from rope_theta + rope_scaling (transformers ≤ 4.x) or from a rope_parameters object (newer files); `params`
   * overrides which object is read (Gemma 3's per-layer-type entries).
   */
  rope(thetaFallback: number, params?: unknown, where = 'rope_parameters'): RopeSpec {
    const maxPositions = this.int('max_position_embeddings', 2048);
    const fromParams = params ?? this.config.rope_parameters;
    if (fromParams !== undefined && fromParams !== null) {
      if (typeof fromParams !== 'object') throw badInput(`${this.file}: '${where}' must be an object.`);
      const p = fromParams as Record<string, unknown>;
      const theta = typeof p.rope_theta === 'number' ? p.rope_theta : this.num('rope_theta', thetaFallback);
      return { theta, scaling: this.scaling(p, where, maxPositions) };
    }
    const theta = this.num('rope_theta', thetaFallback);
    const scaling = this.config.rope_scaling;
    if (scaling === undefined || scaling === null) return { theta, scaling: { type: 'default' } };
    if (typeof scaling !== 'object') throw badInput(`${this.file}: 'rope_scaling' must be an object or null.`);
    return { theta, scaling: this.scaling(scaling as Record<string, unknown>, 'rope_scaling', maxPositions) };
  }

  private scaling(s: Record<string, unknown>, where: string, maxPositions: number): RopeScaling {
    const type = s.rope_type ?? s.type ?? 'default';
    const factor = () => {
      if (typeof s.factor !== 'number' || !(s.factor > 0)) throw badInput(`${this.file}: '${where}.factor' must be a positive number for rope_type '${String(type)}'.`);
      return s.factor;
    };
    const original = typeof s.original_max_position_embeddings === 'number' ? s.original_max_position_embeddings : maxPositions;
    switch (type) {
      case 'default':
        return { type: 'default' };
      case 'linear':
        return { type: 'linear', factor: factor() };
      case 'dynamic':
        return { type: 'dynamic', factor: factor(), originalMaxPositions: original };
      case 'llama3': {
        const low = typeof s.low_freq_factor === 'number' ? s.low_freq_factor : 1;
        const high = typeof s.high_freq_factor === 'number' ? s.high_freq_factor : 4;
        if (!(high > low)) throw badInput(`${this.file}: '${where}.high_freq_factor' must be more than low_freq_factor.`);
        return { type: 'llama3', factor: factor(), lowFreqFactor: low, highFreqFactor: high, originalMaxPositions: original };
      }
      default:
        throw badInput(`${this.file}: '${where}' has rope_type '${String(type)}'; Tunebench runs default, linear, dynamic and llama3.`);
    }
  }
}
