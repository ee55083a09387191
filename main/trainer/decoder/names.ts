// The canonical weight names of decoder/model.ts and the shape each has under a spec. Families map their checkpoint
// names onto these (families/<name>/weights.ts); matrices are (out, in) as in Hugging Face's nn.Linear.
//   embed (V, C)   positions (P, C)   final_norm.weight/.bias (C)   head (V, C), absent when tied
//   layers.L.attn_norm  .q .k .v .o (.weight, .bias)  .q_norm .k_norm (hd)  .post_attn_norm
//   layers.L.mlp_norm   .gate .up .down (.weight, .bias)  .post_mlp_norm
import { kvWidth, qWidth, type DecoderSpec } from './spec';

export const MODEL_PARAMS = { embed: 'embed', positions: 'positions', finalNorm: 'final_norm', head: 'head' } as const;

export type LayerParam =
  | 'attn_norm'
  | 'mlp_norm'
  | 'post_attn_norm'
  | 'post_mlp_norm'
  | 'q_norm'
  | 'k_norm'
  | `${'attn_norm' | 'mlp_norm' | 'post_attn_norm' | 'post_mlp_norm' | 'q_norm' | 'k_norm'}.${'weight' | 'bias'}`
  | `${'q' | 'k' | 'v' | 'o' | 'gate' | 'up' | 'down'}.${'weight' | 'bias'}`;

export const layerParam = (l: number, part: LayerParam): string => `layers.${l}.${part}`;

/** The layer index of a canonical per-layer name, or null for the model-wide ones. */
export function layerOf(name: string): number | null {
  const m = /^layers\.(\d+)\./.exec(name);
  return m ? Number(m[1]) : null;
}

/** The projections LoRA can adapt, by target set. */
export const PROJECTIONS = { attention: ['q', 'k', 'v', 'o'], all: ['q', 'k', 'v', 'o', 'gate', 'up', 'down'] } as const;

/** Every tensor a model of this spec has, with its shape, in a stable order (the checkpoint's). */
export function canonicalShapes(s: DecoderSpec): Map<string, number[]> {
  const C = s.hidden;
  const F = s.intermediate;
  const q = qWidth(s);
  const kv = kvWidth(s);
  const shapes = new Map<string, number[]>();
  const norm = (name: string, width = C) => {
    shapes.set(`${name}.weight`, [width]);
    if (s.norm === 'layernorm') shapes.set(`${name}.bias`, [width]);
  };
  const linear = (name: string, out: number, inp: number, bias: boolean) => {
    shapes.set(`${name}.weight`, [out, inp]);
    if (bias) shapes.set(`${name}.bias`, [out]);
  };
  shapes.set(MODEL_PARAMS.embed, [s.vocabSize, C]);
  if (s.positions === 'learned') shapes.set(MODEL_PARAMS.positions, [s.maxPositions, C]);
  for (let l = 0; l < s.layers; l++) {
    const p = `layers.${l}.`;
    norm(`${p}attn_norm`);
    linear(`${p}q`, q, C, s.qkvBias);
    linear(`${p}k`, kv, C, s.qkvBias);
    linear(`${p}v`, kv, C, s.qkvBias);
    if (s.qkNorm) {
      norm(`${p}q_norm`, s.headDim);
      norm(`${p}k_norm`, s.headDim);
    }
    linear(`${p}o`, C, q, s.oBias);
    if (s.sandwichNorms) norm(`${p}post_attn_norm`);
    norm(`${p}mlp_norm`);
    if (s.mlp === 'gated') linear(`${p}gate`, F, C, s.mlpBias);
    linear(`${p}up`, F, C, s.mlpBias);
    linear(`${p}down`, C, F, s.mlpBias);
    if (s.sandwichNorms) norm(`${p}post_mlp_norm`);
  }
  norm(MODEL_PARAMS.finalNorm);
  if (!s.tiedHead) shapes.set(MODEL_PARAMS.head, [s.vocabSize, C]);
  return shapes;
}
