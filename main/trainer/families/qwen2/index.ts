// Qwen2 / Qwen2.5 (Qwen2ForCausalLM, transformers' modeling_qwen2.py): the Llama block with biases on q, k and v
// (none on o), RMSNorm eps 1e-6, and sliding-window attention only where use_sliding_window is set, on the layers
// from max_window_layers on (or as layer_types lists them in newer files).
import type { DecoderSpec, LayerKind } from '../../decoder/spec';
import { badInput } from '../../../../common/result';
import { ConfigFields } from '../configFields';
import { llamaSpec } from '../llama';
import { renamingFamily } from '../llamaNames';
import type { Family, HfConfig } from '../types';

/** Which layers attend through the window, by layer_types or by use_sliding_window + max_window_layers. */
export function qwenLayerKinds(config: HfConfig, file: string, layers: number): { kinds: LayerKind[]; window: number | null } {
  const f = new ConfigFields(config, file);
  const types = config.layer_types;
  if (Array.isArray(types)) {
    if (types.length !== layers) throw badInput(`${file}: 'layer_types' lists ${types.length} layers, num_hidden_layers is ${layers}.`);
    const kinds = types.map((t, i): LayerKind => {
      if (t === 'full_attention') return 'full';
      if (t === 'sliding_attention') return 'sliding';
      throw badInput(`${file}: 'layer_types[${i}]' is ${JSON.stringify(t)}; expected 'full_attention' or 'sliding_attention'.`);
    });
    return { kinds, window: kinds.includes('sliding') ? f.int('sliding_window') : null };
  }
  if (!f.bool('use_sliding_window', false)) return { kinds: Array(layers).fill('full'), window: null };
  const window = f.int('sliding_window');
  const from = f.int('max_window_layers', layers);
  return { kinds: Array.from({ length: layers }, (_, i) => (i >= from ? 'sliding' : 'full')), window };
}

export function qwenSpec(config: HfConfig, file: string, family: string): DecoderSpec {
  const base = llamaSpec({ ...config, model_type: 'llama' }, file, family);
  const { kinds, window } = qwenLayerKinds(config, file, base.layers);
  return { ...base, layerKinds: kinds, slidingWindow: window };
}

export const qwen2: Family = {
  id: 'qwen2',
  label: 'Qwen2',
  modelTypes: ['qwen2'],
  architectures: ['Qwen2ForCausalLM'],
  toSpec: (config, file) => ({ ...qwenSpec(config, file, 'qwen2'), qkvBias: true, oBias: false }),
  ...renamingFamily('llama'),
};
