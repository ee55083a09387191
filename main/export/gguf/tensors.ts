// A decoder's canonical tensors (trainer/decoder/names.ts) under the names and in the layouts llama.cpp loads, as
// convert_hf_to_gguf.py's modify_tensors writes them:
//   token_embd, position_embd (GPT-2), output_norm, output (absent when tied: llama.cpp reuses token_embd),
//   blk.N.attn_norm, attn_q / attn_k / attn_v (GPT-2: one attn_qkv, rows q then k then v), attn_output,
//   attn_q_norm / attn_k_norm, post_attention_norm, ffn_norm, ffn_gate / ffn_up / ffn_down, post_ffw_norm,
//   rope_freqs (Llama 3 rope scaling: LlamaModel.generate_extra_tensors' per-frequency factors).
// Llama's q and k rows (weights and biases) are permuted from Hugging Face's rotate-half order to the adjacent-pair
// order of llama.cpp's RoPE (LlamaModel.permute); Qwen2, Qwen3 and Gemma 3 run NEOX RoPE in llama.cpp and are written
// as they are. Gemma 3's norm weights are written as 1 + w (Gemma3RMSNorm's x·(1 + w); llama.cpp multiplies by w).
// Shapes here are PyTorch's (rows, cols); the writer reverses them into GGUF's innermost-first order.
import type { FloatTensor } from '../../trainer/families';
import type { DecoderSpec } from '../../trainer/decoder/spec';
import type { GgufArch } from './metadata';

export interface NamedTensor {
  name: string;
  shape: number[]; // PyTorch order
  data: Float32Array;
}

const LAYER_NAMES: Record<string, string> = {
  attn_norm: 'attn_norm',
  q: 'attn_q',
  k: 'attn_k',
  v: 'attn_v',
  o: 'attn_output',
  q_norm: 'attn_q_norm',
  k_norm: 'attn_k_norm',
  post_attn_norm: 'post_attention_norm',
  mlp_norm: 'ffn_norm',
  gate: 'ffn_gate',
  up: 'ffn_up',
  down: 'ffn_down',
  post_mlp_norm: 'post_ffw_norm',
};

/** convert's LlamaModel.permute: within each head, rows [first half; second half] → interleaved pairs. */
export function llamaPermute(data: Float32Array, rows: number, heads: number): Float32Array {
  const cols = data.length / rows;
  const hd = rows / heads;
  const out = new Float32Array(data.length);
  // reshape(n_head, 2, hd/2, cols).swapaxes(1, 2): new row h·hd + 2j + p ← old row h·hd + p·hd/2 + j
  for (let h = 0; h < heads; h++) {
    for (let j = 0; j < hd / 2; j++) {
      for (let p = 0; p < 2; p++) {
        const from = h * hd + p * (hd / 2) + j;
        const to = h * hd + 2 * j + p;
        out.set(data.subarray(from * cols, (from + 1) * cols), to * cols);
      }
    }
  }
  return out;
}

/** The GGUF name of a canonical tensor. */
export function ggufName(canonical: string): string {
  if (canonical === 'embed') return 'token_embd.weight';
  if (canonical === 'positions') return 'position_embd.weight';
  if (canonical === 'head') return 'output.weight';
  if (canonical.startsWith('final_norm.')) return `output_norm.${canonical.slice('final_norm.'.length)}`;
  const m = /^layers\.(\d+)\.([a-z_]+)\.(weight|bias)$/.exec(canonical);
  if (!m || !LAYER_NAMES[m[2]]) throw new Error(`No GGUF name for ${canonical}.`);
  return `blk.${m[1]}.${LAYER_NAMES[m[2]]}.${m[3]}`;
}

/** Llama 3's rope_freqs: 1, factor, or the smooth blend per frequency, as LlamaModel.generate_extra_tensors. */
function llama3RopeFactors(spec: DecoderSpec): Float32Array | null {
  const s = spec.rope.scaling;
  if (s.type !== 'llama3') return null;
  const dim = spec.headDim;
  const out = new Float32Array(dim / 2);
  const lowWavelen = s.originalMaxPositions / s.lowFreqFactor;
  const highWavelen = s.originalMaxPositions / s.highFreqFactor;
  for (let i = 0; i < dim / 2; i++) {
    const freq = Math.fround(1 / Math.fround(spec.rope.theta ** Math.fround((2 * i) / dim)));
    const wavelen = (2 * Math.PI) / freq;
    if (wavelen < highWavelen) out[i] = 1;
    else if (wavelen > lowWavelen) out[i] = s.factor;
    else {
      const smooth = (s.originalMaxPositions / wavelen - s.lowFreqFactor) / (s.highFreqFactor - s.lowFreqFactor);
      out[i] = 1 / ((1 - smooth) / s.factor + smooth);
    }
  }
  return out;
}

/**
 * Canonical tensors (a complete model of `spec`) → GGUF tensors in file order: token_embd, position_embd, the blocks,
 * output_norm, output, rope_freqs. `vocabRows` cuts token_embd / output to the tokenizer's size where it is smaller
 * (Gemma 3's padded embedding rows, which convert removes).
 */
export function ggufTensors(arch: GgufArch, spec: DecoderSpec, canonical: Map<string, FloatTensor>, vocabRows: number): NamedTensor[] {
  const get = (name: string) => {
    const t = canonical.get(name);
    if (!t) throw new Error(`The checkpoint has no ${name}.`);
    return t;
  };
  const out: NamedTensor[] = [];
  const push = (canonicalName: string, data: Float32Array, shape: number[]) => out.push({ name: ggufName(canonicalName), shape, data });
  const plusOne = (data: Float32Array) => Float32Array.from(data, (w) => w + 1);
  const cutRows = (t: FloatTensor): [Float32Array, number[]] => {
    const [rows, cols] = t.shape;
    return vocabRows < rows ? [t.data.subarray(0, vocabRows * cols), [vocabRows, cols]] : [t.data, t.shape];
  };

  const embed = get('embed');
  push('embed', ...cutRows(embed));
  if (spec.positions === 'learned') push('positions', get('positions').data, get('positions').shape);
  for (let l = 0; l < spec.layers; l++) {
    const p = `layers.${l}.`;
    const layerTensors = [...canonical.keys()].filter((n) => n.startsWith(p));
    if (arch === 'gpt2') {
      const norms = ['attn_norm.weight', 'attn_norm.bias'];
      for (const n of norms) push(p + n, get(p + n).data, get(p + n).shape);
      const C = spec.hidden;
      const qkv = new Float32Array(3 * C * C);
      const bias = new Float32Array(3 * C);
      ['q', 'k', 'v'].forEach((part, i) => {
        qkv.set(get(`${p}${part}.weight`).data, i * C * C);
        bias.set(get(`${p}${part}.bias`).data, i * C);
      });
      out.push({ name: `blk.${l}.attn_qkv.weight`, shape: [3 * C, C], data: qkv });
      out.push({ name: `blk.${l}.attn_qkv.bias`, shape: [3 * C], data: bias });
      for (const n of ['o.weight', 'o.bias', 'mlp_norm.weight', 'mlp_norm.bias', 'up.weight', 'up.bias', 'down.weight', 'down.bias']) push(p + n, get(p + n).data, get(p + n).shape);
      continue;
    }
    for (const name of layerTensors) {
      const t = get(name);
      const part = name.slice(p.length);
      let data = t.data;
      if (arch === 'llama' && (part === 'q.weight' || part === 'q.bias')) data = llamaPermute(data, t.shape[0], spec.heads);
      if (arch === 'llama' && (part === 'k.weight' || part === 'k.bias')) data = llamaPermute(data, t.shape[0], spec.kvHeads);
      if (arch === 'gemma3' && /norm\.weight$/.test(part)) data = plusOne(data);
      push(name, data, t.shape);
    }
  }
  const finalNorm = get('final_norm.weight');
  push('final_norm.weight', arch === 'gemma3' ? plusOne(finalNorm.data) : finalNorm.data, finalNorm.shape);
  if (canonical.has('final_norm.bias')) push('final_norm.bias', get('final_norm.bias').data, get('final_norm.bias').shape);
  if (!spec.tiedHead && canonical.has('head')) push('head', ...cutRows(get('head')));
  const factors = arch === 'llama' ? llama3RopeFactors(spec) : null;
  if (factors) out.push({ name: 'rope_freqs.weight', shape: [factors.length], data: factors });
  return out;
}
