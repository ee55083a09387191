// Which ggml type each tensor is written in, for each quantisation the export offers:
//   f16    : convert_hf_to_gguf.py --outtype f16: 2-D weights F16; 1-D tensors, norms, biases, position_embd F32.
//   q8_0   : convert --outtype q8_0: the same 2-D weights Q8_0 (token_embd and output included); a row length that is
//            not a multiple of 32 falls back to F16, as gguf-py's QuantError does.
//   q4_k_m : convert --outtype f32, then `llama-quantize … Q4_K_M` (llama-quant.cpp, llama_tensor_get_type for
//            LLAMA_FTYPE_MOSTLY_Q4_K_M, no importance matrix): Q4_K by default; attn_v (and GPT-2's fused attn_qkv)
//            and ffn_down Q6_K on the layers use_more_bits picks (the first and last eighth, and every third between);
//            output — or token_embd when the head is tied to it — Q6_K, or Q8_0 when its rows are not a multiple of
//            256; rows not a multiple of 256 fall back Q4_K → Q5_0 and Q6_K → Q8_0, and to F16 when not a multiple
//            of 32 either (tensor_type_fallback). Tensors llama-quantize leaves alone keep convert's type (F32).
//            Not followed: the mixture's 70B rule (attn_v Q5_K on 80-layer Llamas) and the MoE / Falcon rules, which
//            no model Tunebench trains reaches.
// Every fallback is reported, one line per kind, so the export says which tensors are not in the asked type.
import { GGML_BLOCK, GGML_TYPE, GGML_TYPE_NAME, type GgmlType } from './quantize';
import type { GgufQuant } from './metadata';
import type { NamedTensor } from './tensors';

export interface PlannedTensor extends NamedTensor {
  type: GgmlType;
}

/** convert's prepare_tensors: what stays F32 whatever the output type. */
function staysF32(t: NamedTensor): boolean {
  return t.shape.length <= 1 || t.name.endsWith('_norm.weight') || !t.name.endsWith('.weight') || t.name === 'position_embd.weight';
}

/** llama-quant.cpp's use_more_bits. */
export const useMoreBits = (i: number, n: number): boolean => i < Math.floor(n / 8) || i >= Math.floor((7 * n) / 8) || (i - Math.floor(n / 8)) % 3 === 2;

const rowLength = (t: NamedTensor) => t.shape[t.shape.length - 1];
const fits = (t: NamedTensor, type: GgmlType) => rowLength(t) % GGML_BLOCK[type].values === 0;

interface Fallback {
  from: GgmlType;
  to: GgmlType;
  names: string[];
  rows: Set<number>;
}

/** llama-quant.cpp's tensor_type_fallback. */
function fallback(t: NamedTensor, wanted: GgmlType): GgmlType {
  if (fits(t, wanted)) return wanted;
  const next = wanted === GGML_TYPE.Q4_K ? GGML_TYPE.Q5_0 : wanted === GGML_TYPE.Q6_K ? GGML_TYPE.Q8_0 : GGML_TYPE.F16;
  return fits(t, next) ? next : GGML_TYPE.F16;
}

export function planTypes(tensors: NamedTensor[], quant: GgufQuant, nLayers: number): { planned: PlannedTensor[]; warnings: string[] } {
  const fallbacks = new Map<string, Fallback>();
  const note = (t: NamedTensor, from: GgmlType, to: GgmlType) => {
    const key = `${from}>${to}`;
    const f = fallbacks.get(key) ?? { from, to, names: [], rows: new Set<number>() };
    f.names.push(t.name);
    f.rows.add(rowLength(t));
    fallbacks.set(key, f);
  };
  const tied = !tensors.some((t) => t.name === 'output.weight');
  let attnV = 0;
  const nAttnV = tensors.filter((t) => /\.attn_(v|qkv)\.weight$/.test(t.name)).length;
  const planned = tensors.map((t): PlannedTensor => {
    if (staysF32(t)) return { ...t, type: GGML_TYPE.F32 };
    if (quant === 'f16') return { ...t, type: GGML_TYPE.F16 };
    if (quant === 'q8_0') {
      if (fits(t, GGML_TYPE.Q8_0)) return { ...t, type: GGML_TYPE.Q8_0 };
      note(t, GGML_TYPE.Q8_0, GGML_TYPE.F16);
      return { ...t, type: GGML_TYPE.F16 };
    }
    // q4_k_m
    let wanted: GgmlType = GGML_TYPE.Q4_K;
    const layer = /^blk\.(\d+)\./.exec(t.name);
    if (t.name === 'output.weight' || (tied && t.name === 'token_embd.weight')) {
      // the Q8_0 here is the mixture's own choice for such rows, not a fallback
      if (!fits(t, GGML_TYPE.Q4_K)) return { ...t, type: fits(t, GGML_TYPE.Q8_0) ? GGML_TYPE.Q8_0 : (note(t, GGML_TYPE.Q8_0, GGML_TYPE.F16), GGML_TYPE.F16) };
      wanted = GGML_TYPE.Q6_K;
    } else if (/\.attn_(v|qkv)\.weight$/.test(t.name)) {
      if (useMoreBits(attnV, nAttnV)) wanted = GGML_TYPE.Q6_K;
      attnV++;
    } else if (/\.ffn_down\.weight$/.test(t.name) && layer) {
      if (useMoreBits(Number(layer[1]), nLayers)) wanted = GGML_TYPE.Q6_K;
    }
    const type = fallback(t, wanted);
    if (type !== wanted) note(t, wanted, type);
    return { ...t, type };
  });
  const warnings = [...fallbacks.values()].map((f) => {
    const rows = [...f.rows].sort((a, b) => a - b).join(', ');
    const shown = f.names.length <= 4 ? f.names.join(', ') : `${f.names.slice(0, 3).join(', ')} and ${f.names.length - 3} more`;
    const block = GGML_BLOCK[f.from].values;
    return `${f.names.length} tensor${f.names.length === 1 ? '' : 's'} (${shown}) with rows of ${rows} values are ${GGML_TYPE_NAME[f.to]} instead of ${GGML_TYPE_NAME[f.from]}, which needs rows of a multiple of ${block}.`;
  });
  return { planned, warnings };
}
