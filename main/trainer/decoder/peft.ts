// A decoder LoRA run's adapters in PEFT's adapter layout (adapter_config.json + adapter_model.safetensors): each
// adapted projection's lora_A (r, in) and lora_B (out, r) under base_model.model.<checkpoint module>. GPT-2's q, k
// and v live in one fused c_attn, so their three adapters become one of rank 3r (A stacked, B block-diagonal: the same
// update exactly), declared through PEFT's rank_pattern and alpha_pattern so the scale stays alpha / r.
import type { Family, FloatTensor } from '../families';
import { llamaNameTable } from '../families/llamaNames';
import type { DecoderSpec } from './spec';

interface PeftOptions {
  rank: number;
  alpha: number;
  base: string; // base_model_name_or_path
}

const GPT2_MODULES: Record<string, string> = { o: 'attn.c_proj', up: 'mlp.c_fc', down: 'mlp.c_proj' };

export function peftAdapter(tensors: readonly FloatTensor[], family: Family, spec: DecoderSpec, o: PeftOptions): { config: Record<string, unknown>; tensors: FloatTensor[] } {
  const byName = new Map(tensors.map((t) => [t.name, t]));
  const out: FloatTensor[] = [];
  const modules = new Set<string>();
  const config: Record<string, unknown> = { peft_type: 'LORA', task_type: 'CAUSAL_LM', r: o.rank, lora_alpha: o.alpha, lora_dropout: 0, bias: 'none', base_model_name_or_path: o.base };
  if (family.id === 'gpt2') {
    config.fan_in_fan_out = true; // Conv1D stores (in, out)
    for (let l = 0; l < spec.layers; l++) {
      const p = `layers.${l}.`;
      const h = `base_model.model.transformer.h.${l}.`;
      const qkv = ['q', 'k', 'v'].map((part) => [byName.get(`${p}${part}.weight.lora_A`), byName.get(`${p}${part}.weight.lora_B`)] as const);
      if (qkv.every(([a, b]) => a && b)) {
        const r = o.rank;
        const C = spec.hidden;
        const a = new Float32Array(3 * r * C);
        const b = new Float32Array(3 * C * 3 * r);
        qkv.forEach(([ai, bi], i) => {
          a.set(ai!.data, i * r * C);
          for (let row = 0; row < C; row++) b.set(bi!.data.subarray(row * r, (row + 1) * r), (i * C + row) * 3 * r + i * r);
        });
        out.push({ name: `${h}attn.c_attn.lora_A.weight`, shape: [3 * r, C], data: a }, { name: `${h}attn.c_attn.lora_B.weight`, shape: [3 * C, 3 * r], data: b });
        modules.add('c_attn');
        config.rank_pattern = { c_attn: 3 * o.rank };
        config.alpha_pattern = { c_attn: 3 * o.alpha };
      }
      for (const [part, module] of Object.entries(GPT2_MODULES)) {
        const a = byName.get(`${p}${part}.weight.lora_A`);
        const b = byName.get(`${p}${part}.weight.lora_B`);
        if (!a || !b) continue;
        out.push({ ...a, name: `${h}${module}.lora_A.weight` }, { ...b, name: `${h}${module}.lora_B.weight` });
        modules.add(module.split('.')[1]);
      }
    }
  } else {
    config.fan_in_fan_out = false;
    const names = llamaNameTable(spec, family.id === 'gemma3' ? 'gemma' : 'llama');
    for (const t of tensors) {
      const m = /^(.+\.weight)\.lora_(A|B)$/.exec(t.name);
      const hf = m && names.get(m[1]);
      if (!hf) continue;
      const module = hf.replace(/\.weight$/, '');
      out.push({ ...t, name: `base_model.model.${module}.lora_${m![2]}.weight` });
      modules.add(module.split('.').at(-1)!);
    }
  }
  return { config: { ...config, target_modules: [...modules].sort() }, tensors: out };
}
