// GPT-2 (GPT2LMHeadModel, transformers' modeling_gpt2.py): learned positions, LayerNorm with bias (eps
// layer_norm_epsilon), one fused Conv1D c_attn for q, k and v, Conv1D weights stored (in, out), a GELU-tanh
// (gelu_new) MLP of n_inner (4·n_embd by default), scores over sqrt(head size), the head tied to the token embedding.
// Checkpoints name modules with or without "transformer." (the Hub's model.safetensors has none); exports use it.
import { badInput } from '../../../../common/result';
import type { DecoderSpec } from '../../decoder/spec';
import { MODEL_PARAMS } from '../../decoder/names';
import { ConfigFields } from '../configFields';
import type { Family, FloatTensor, HfConfig } from '../types';

const PREFIX = 'transformer.';

/** Row-major (rows, cols) → (cols, rows). */
export function transpose2d(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c];
  return out;
}

function gpt2Spec(config: HfConfig, file: string): DecoderSpec {
  const f = new ConfigFields(config, file);
  const hidden = f.int('n_embd');
  const heads = f.int('n_head');
  if (hidden % heads !== 0) throw badInput(`${file}: n_embd ${hidden} is not a multiple of n_head ${heads}.`);
  const layers = f.layerCount('n_layer');
  f.oneOf('activation_function', ['gelu_new', 'gelu_pytorch_tanh'], 'gelu_new');
  if (f.bool('scale_attn_by_inverse_layer_idx', false)) throw badInput(`${file}: 'scale_attn_by_inverse_layer_idx' is not supported.`);
  const rope = { theta: 10000, scaling: { type: 'default' as const } }; // unused: positions are learned
  return {
    family: 'gpt2',
    vocabSize: f.int('vocab_size'),
    hidden,
    layers,
    heads,
    kvHeads: heads,
    headDim: hidden / heads,
    intermediate: f.int('n_inner', 4 * hidden),
    maxPositions: f.int('n_positions', 1024),
    norm: 'layernorm',
    normEps: f.num('layer_norm_epsilon', 1e-5),
    mlp: 'plain',
    activation: 'gelu_tanh',
    qkvBias: true,
    oBias: true,
    mlpBias: true,
    qkNorm: false,
    sandwichNorms: false,
    positions: 'learned',
    rope,
    localRope: rope,
    layerKinds: Array(layers).fill('full'),
    slidingWindow: null,
    attentionScale: f.bool('scale_attn_weights', true) ? 1 / Math.sqrt(hidden / heads) : 1,
    embeddingScale: 1,
    tiedHead: true,
    attnSoftcap: null,
    finalSoftcap: null,
  };
}

const WHOLE: Record<string, string> = { 'wte.weight': MODEL_PARAMS.embed, 'wpe.weight': MODEL_PARAMS.positions, 'ln_f.weight': 'final_norm.weight', 'ln_f.bias': 'final_norm.bias' };
const NORMS: Record<string, string> = { ln_1: 'attn_norm', ln_2: 'mlp_norm' };
const CONV: Record<string, string> = { 'attn.c_proj': 'o', 'mlp.c_fc': 'up', 'mlp.c_proj': 'down' };

function fromCheckpoint(tensor: FloatTensor, spec: DecoderSpec): FloatTensor[] {
  const name = tensor.name.startsWith(PREFIX) ? tensor.name.slice(PREFIX.length) : tensor.name;
  if (WHOLE[name]) return [{ ...tensor, name: WHOLE[name] }];
  const m = /^h\.(\d+)\.(.+)\.(weight|bias)$/.exec(name);
  if (!m) return []; // attn.bias / attn.masked_bias buffers, lm_head (tied)
  const [, l, module, kind] = m;
  const p = `layers.${l}.`;
  if (NORMS[module]) return [{ ...tensor, name: `${p}${NORMS[module]}.${kind}` }];
  const C = spec.hidden;
  if (module === 'attn.c_attn') {
    if (kind === 'bias') return ['q', 'k', 'v'].map((part, i) => ({ name: `${p}${part}.bias`, shape: [C], data: tensor.data.slice(i * C, (i + 1) * C) }));
    const all = transpose2d(tensor.data, C, 3 * C); // (3C, C): rows q, then k, then v
    return ['q', 'k', 'v'].map((part, i) => ({ name: `${p}${part}.weight`, shape: [C, C], data: all.slice(i * C * C, (i + 1) * C * C) }));
  }
  if (CONV[module]) {
    if (kind === 'bias') return [{ ...tensor, name: `${p}${CONV[module]}.bias` }];
    const [inp, out] = tensor.shape;
    return [{ name: `${p}${CONV[module]}.weight`, shape: [out, inp], data: transpose2d(tensor.data, inp, out) }];
  }
  return [];
}

function toCheckpoint(tensors: Map<string, FloatTensor>, spec: DecoderSpec): FloatTensor[] {
  const get = (name: string) => {
    const t = tensors.get(name);
    if (!t) throw new Error(`The model has no ${name} to export.`);
    return t;
  };
  const C = spec.hidden;
  const out: FloatTensor[] = [];
  for (const [hf, canonical] of Object.entries(WHOLE)) out.push({ ...get(canonical), name: PREFIX + hf });
  for (let l = 0; l < spec.layers; l++) {
    const p = `layers.${l}.`;
    const h = `${PREFIX}h.${l}.`;
    for (const [hf, canonical] of Object.entries(NORMS)) for (const kind of ['weight', 'bias']) out.push({ ...get(`${p}${canonical}.${kind}`), name: `${h}${hf}.${kind}` });
    const qkv = new Float32Array(3 * C * C);
    ['q', 'k', 'v'].forEach((part, i) => qkv.set(get(`${p}${part}.weight`).data, i * C * C));
    out.push({ name: `${h}attn.c_attn.weight`, shape: [C, 3 * C], data: transpose2d(qkv, 3 * C, C) });
    const bias = new Float32Array(3 * C);
    ['q', 'k', 'v'].forEach((part, i) => bias.set(get(`${p}${part}.bias`).data, i * C));
    out.push({ name: `${h}attn.c_attn.bias`, shape: [3 * C], data: bias });
    for (const [hf, canonical] of Object.entries(CONV)) {
      const w = get(`${p}${canonical}.weight`);
      const [o, i] = w.shape;
      out.push({ name: `${h}${hf}.weight`, shape: [i, o], data: transpose2d(w.data, o, i) });
      out.push({ ...get(`${p}${canonical}.bias`), name: `${h}${hf}.bias` });
    }
  }
  return out;
}

function checkpointShapes(spec: DecoderSpec): Map<string, number[]> {
  const C = spec.hidden;
  const F = spec.intermediate;
  const shapes = new Map<string, number[]>([
    ['wte.weight', [spec.vocabSize, C]],
    ['wpe.weight', [spec.maxPositions, C]],
    ['ln_f.weight', [C]],
    ['ln_f.bias', [C]],
  ]);
  for (let l = 0; l < spec.layers; l++) {
    const h = `h.${l}.`;
    for (const ln of ['ln_1', 'ln_2']) shapes.set(`${h}${ln}.weight`, [C]).set(`${h}${ln}.bias`, [C]);
    shapes.set(`${h}attn.c_attn.weight`, [C, 3 * C]).set(`${h}attn.c_attn.bias`, [3 * C]).set(`${h}attn.c_proj.weight`, [C, C]).set(`${h}attn.c_proj.bias`, [C]);
    shapes.set(`${h}mlp.c_fc.weight`, [C, F]).set(`${h}mlp.c_fc.bias`, [F]).set(`${h}mlp.c_proj.weight`, [F, C]).set(`${h}mlp.c_proj.bias`, [C]);
  }
  return shapes;
}

export const gpt2: Family = {
  id: 'gpt2',
  label: 'GPT-2',
  modelTypes: ['gpt2'],
  architectures: ['GPT2LMHeadModel'],
  toSpec: gpt2Spec,
  fromCheckpoint,
  toCheckpoint,
  checkpointShapes,
  bareName: (name) => gpt2BareName(name),
};

/** Checkpoint names without the optional "transformer." prefix (how checkpointShapes names them). */
export const gpt2BareName = (name: string): string => (name.startsWith(PREFIX) ? name.slice(PREFIX.length) : name);
