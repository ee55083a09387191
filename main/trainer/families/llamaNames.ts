// Checkpoint names of the Llama lineage (LlamaForCausalLM, Qwen2/3ForCausalLM, Gemma3ForCausalLM): every tensor is
// the decoder's canonical one under another name, in the same (out, in) layout, so the mapping is a rename table.
// The one difference between them is what the block's second norm is called: Llama's post_attention_layernorm is
// the norm before the MLP, while Gemma 3 names its four norms input / post_attention / pre_feedforward /
// post_feedforward.
import { canonicalShapes, MODEL_PARAMS } from '../decoder/names';
import type { DecoderSpec } from '../decoder/spec';
import type { FloatTensor } from './types';

const LAYER_RENAMES_LLAMA: Record<string, string> = {
  attn_norm: 'input_layernorm',
  mlp_norm: 'post_attention_layernorm',
};
const LAYER_RENAMES_GEMMA: Record<string, string> = {
  attn_norm: 'input_layernorm',
  post_attn_norm: 'post_attention_layernorm',
  mlp_norm: 'pre_feedforward_layernorm',
  post_mlp_norm: 'post_feedforward_layernorm',
};
const PROJECTION_RENAMES: Record<string, string> = {
  q: 'self_attn.q_proj',
  k: 'self_attn.k_proj',
  v: 'self_attn.v_proj',
  o: 'self_attn.o_proj',
  q_norm: 'self_attn.q_norm',
  k_norm: 'self_attn.k_norm',
  gate: 'mlp.gate_proj',
  up: 'mlp.up_proj',
  down: 'mlp.down_proj',
};

/** canonical name → checkpoint name, for every tensor of the spec. */
export function llamaNameTable(spec: DecoderSpec, norms: 'llama' | 'gemma'): Map<string, string> {
  const layerRenames = { ...(norms === 'gemma' ? LAYER_RENAMES_GEMMA : LAYER_RENAMES_LLAMA), ...PROJECTION_RENAMES };
  const table = new Map<string, string>();
  for (const name of canonicalShapes(spec).keys()) {
    if (name === MODEL_PARAMS.embed) table.set(name, 'model.embed_tokens.weight');
    else if (name === `${MODEL_PARAMS.finalNorm}.weight`) table.set(name, 'model.norm.weight');
    else if (name === MODEL_PARAMS.head) table.set(name, 'lm_head.weight');
    else {
      const m = /^layers\.(\d+)\.([a-z_]+)\.(weight|bias)$/.exec(name);
      if (!m || !layerRenames[m[2]]) throw new Error(`No checkpoint name for ${name}.`);
      table.set(name, `model.layers.${m[1]}.${layerRenames[m[2]]}.${m[3]}`);
    }
  }
  return table;
}

/** The rename-table half of a Family: fromCheckpoint, toCheckpoint and checkpointShapes. */
export function renamingFamily(norms: 'llama' | 'gemma') {
  const inverse = new WeakMap<DecoderSpec, Map<string, string>>();
  const inverseOf = (spec: DecoderSpec) => {
    let map = inverse.get(spec);
    if (!map) {
      map = new Map([...llamaNameTable(spec, norms)].map(([canonical, hf]) => [hf, canonical]));
      inverse.set(spec, map);
    }
    return map;
  };
  return {
    fromCheckpoint(tensor: FloatTensor, spec: DecoderSpec): FloatTensor[] {
      const canonical = inverseOf(spec).get(tensor.name);
      return canonical ? [{ ...tensor, name: canonical }] : []; // e.g. rotary inv_freq buffers, a tied model's lm_head copy
    },
    toCheckpoint(tensors: Map<string, FloatTensor>, spec: DecoderSpec): FloatTensor[] {
      return [...llamaNameTable(spec, norms)].map(([canonical, hf]) => {
        const t = tensors.get(canonical);
        if (!t) throw new Error(`The model has no ${canonical} to export.`);
        return { ...t, name: hf };
      });
    },
    checkpointShapes(spec: DecoderSpec): Map<string, number[]> {
      const shapes = canonicalShapes(spec);
      return new Map([...llamaNameTable(spec, norms)].map(([canonical, hf]) => [hf, shapes.get(canonical)!]));
    },
  };
}
