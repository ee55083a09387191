// The GGUF container read back by @huggingface/gguf (an independent parser): every value type, tensor infos with
// dims innermost first, data offsets on general.alignment, the data where the offsets say; and the Q4_K_M mixture's
// per-tensor types (llama-quant.cpp's rules) on a synthetic model.
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gguf, GGUFValueType } from '@huggingface/gguf';
import { describe, expect, it } from 'vitest';
import { planTypes, useMoreBits } from '../../../main/export/gguf/plan';
import { encodeAs, GGML_TYPE, type GgmlType } from '../../../main/export/gguf/quantize';
import type { NamedTensor } from '../../../main/export/gguf/tensors';
import { bool, f32, str, u32, writeGguf, type GgufValue } from '../../../main/export/gguf/writer';
import { dequantize, readBytes } from './ggufDequant';

const tmp = () => mkdtempSync(join(tmpdir(), 'tb-gguf-'));

describe('GGUF writer', () => {
  it('writes a file @huggingface/gguf parses: every value type, tensor infos and aligned data', async () => {
    const path = join(tmp(), 'model.gguf');
    const metadata = new Map<string, GgufValue>([
      ['general.architecture', str('llama')],
      ['general.alignment', u32(32)],
      ['llama.block_count', u32(3)],
      ['llama.rope.freq_base', f32(10000.5)],
      ['tokenizer.ggml.add_bos_token', bool(true)],
      ['tokenizer.ggml.tokens', { type: 'string[]', value: ['<unk>', '▁héllo', ''] }],
      ['tokenizer.ggml.scores', { type: 'f32[]', value: Float32Array.of(0, -1.5, 2) }],
      ['tokenizer.ggml.token_type', { type: 'i32[]', value: Int32Array.of(2, 1, 5) }],
      ['gemma3.attention.sliding_window_pattern', { type: 'bool[]', value: [true, false] }],
      ['x.i32', { type: 'i32', value: -7 }],
    ]);
    const a = Float32Array.from({ length: 3 * 5 }, (_, i) => i - 7.25);
    const b = Float32Array.from({ length: 2 * 64 }, (_, i) => Math.sin(i));
    const c = Float32Array.of(1, 2, 3);
    const tensors: { name: string; data: Float32Array; dims: number[]; type: GgmlType }[] = [
      { name: 'a.weight', data: a, dims: [5, 3], type: GGML_TYPE.F16 },
      { name: 'b.weight', data: b, dims: [64, 2], type: GGML_TYPE.Q8_0 },
      { name: 'c.bias', data: c, dims: [3], type: GGML_TYPE.F32 },
    ];
    const bytes = writeGguf(path, metadata, tensors.map((t) => ({ ...t, encode: () => encodeAs(t.type, t.data) })));
    expect(statSync(path).size).toBe(bytes);

    const parsed = await gguf(path, { allowLocalFile: true, typedMetadata: true });
    expect(parsed.metadata.version).toBe(3);
    expect(parsed.metadata.tensor_count).toBe(3n);
    expect(parsed.metadata.kv_count).toBe(BigInt(metadata.size));
    const t = parsed.typedMetadata as unknown as Record<string, { value: unknown; type: GGUFValueType; subType?: GGUFValueType }>;
    expect(t['general.architecture']).toMatchObject({ value: 'llama', type: GGUFValueType.STRING });
    expect(t['llama.block_count']).toMatchObject({ value: 3, type: GGUFValueType.UINT32 });
    expect(t['llama.rope.freq_base']).toMatchObject({ value: 10000.5, type: GGUFValueType.FLOAT32 });
    expect(t['tokenizer.ggml.add_bos_token']).toMatchObject({ value: true, type: GGUFValueType.BOOL });
    expect(t['tokenizer.ggml.tokens']).toMatchObject({ value: ['<unk>', '▁héllo', ''], type: GGUFValueType.ARRAY, subType: GGUFValueType.STRING });
    expect(t['tokenizer.ggml.scores']).toMatchObject({ value: [0, -1.5, 2], subType: GGUFValueType.FLOAT32 });
    expect(t['tokenizer.ggml.token_type']).toMatchObject({ value: [2, 1, 5], subType: GGUFValueType.INT32 });
    expect(t['gemma3.attention.sliding_window_pattern']).toMatchObject({ value: [true, false], subType: GGUFValueType.BOOL });
    expect(t['x.i32']).toMatchObject({ value: -7, type: GGUFValueType.INT32 });

    expect(parsed.tensorInfos.map((i) => [i.name, i.n_dims, i.shape.map(Number), i.dtype])).toEqual([
      ['a.weight', 2, [5, 3], GGML_TYPE.F16],
      ['b.weight', 2, [64, 2], GGML_TYPE.Q8_0],
      ['c.bias', 1, [3], GGML_TYPE.F32],
    ]);
    expect(parsed.tensorDataOffset % 32n).toBe(0n);
    const offsets = parsed.tensorInfos.map((i) => Number(i.offset));
    expect(offsets).toEqual([0, 32, 32 + 160]); // 30 bytes → 32; 2 Q8_0 rows of 2 blocks = 136 → 160
    for (const o of offsets) expect(o % 32).toBe(0);
    const start = Number(parsed.tensorDataOffset);
    tensors.forEach((tensor, i) => {
      const size = [30, 136, 12][i];
      const back = dequantize(tensor.type, readBytes(path, start + offsets[i], size), tensor.data.length);
      for (let j = 0; j < tensor.data.length; j++) expect(Math.abs(back[j] - tensor.data[j])).toBeLessThan(tensor.type === GGML_TYPE.F32 ? 1e-12 : 0.01);
    });
    expect(bytes).toBe(start + 32 + 160 + 32); // every tensor padded, the last one (12 bytes) too
  });

  it('refuses a tensor name twice and a u32 out of range', () => {
    const path = join(tmp(), 'bad.gguf');
    const t = { name: 'a', dims: [1], type: GGML_TYPE.F32 as GgmlType, encode: () => new Uint8Array(4) };
    expect(() => writeGguf(path, new Map(), [t, t])).toThrow(/appears twice/);
    expect(() => writeGguf(path, new Map([['k', u32(-1)]]), [])).toThrow(/out of range/);
  });
});

describe('Q4_K_M mixture (llama_tensor_get_type)', () => {
  const matrix = (name: string, rows: number, cols: number): NamedTensor => ({ name, shape: [rows, cols], data: new Float32Array(rows * cols) });
  const model = (layers: number, C: number, F: number, tied: boolean): NamedTensor[] => {
    const out = [matrix('token_embd.weight', 1000, C)];
    for (let l = 0; l < layers; l++) {
      out.push({ name: `blk.${l}.attn_norm.weight`, shape: [C], data: new Float32Array(C) });
      for (const p of ['attn_q', 'attn_k', 'attn_v', 'attn_output', 'ffn_gate', 'ffn_up']) out.push(matrix(`blk.${l}.${p}.weight`, p.startsWith('ffn') ? F : C, C));
      out.push({ name: `blk.${l}.attn_q.bias`, shape: [C], data: new Float32Array(C) });
      out.push(matrix(`blk.${l}.ffn_down.weight`, C, F));
    }
    out.push({ name: 'output_norm.weight', shape: [C], data: new Float32Array(C) });
    if (!tied) out.push(matrix('output.weight', 1000, C));
    return out;
  };
  const typeOf = (planned: { name: string; type: number }[], name: string) => planned.find((p) => p.name === name)!.type;

  it("uses more bits where llama.cpp's use_more_bits says", () => {
    expect([...Array(16).keys()].filter((i) => useMoreBits(i, 16))).toEqual([0, 1, 4, 7, 10, 13, 14, 15]);
    expect([...Array(5).keys()].filter((i) => useMoreBits(i, 5))).toEqual([2, 4]);
  });

  it('Q6_K on the chosen attn_v / ffn_down layers and the output, Q4_K elsewhere, F32 for vectors', () => {
    const { planned, warnings } = planTypes(model(16, 256, 512, false), 'q4_k_m', 16);
    expect(warnings).toEqual([]);
    const sixes = [0, 1, 4, 7, 10, 13, 14, 15];
    for (let l = 0; l < 16; l++) {
      expect(typeOf(planned, `blk.${l}.attn_v.weight`)).toBe(sixes.includes(l) ? GGML_TYPE.Q6_K : GGML_TYPE.Q4_K);
      expect(typeOf(planned, `blk.${l}.ffn_down.weight`)).toBe(sixes.includes(l) ? GGML_TYPE.Q6_K : GGML_TYPE.Q4_K);
      for (const p of ['attn_q', 'attn_k', 'attn_output', 'ffn_gate', 'ffn_up']) expect(typeOf(planned, `blk.${l}.${p}.weight`)).toBe(GGML_TYPE.Q4_K);
      expect(typeOf(planned, `blk.${l}.attn_norm.weight`)).toBe(GGML_TYPE.F32);
      expect(typeOf(planned, `blk.${l}.attn_q.bias`)).toBe(GGML_TYPE.F32);
    }
    expect(typeOf(planned, 'output.weight')).toBe(GGML_TYPE.Q6_K);
    expect(typeOf(planned, 'token_embd.weight')).toBe(GGML_TYPE.Q4_K);
  });

  it('a tied embedding takes the output rules; short rows fall back Q4_K → Q5_0, Q6_K → Q8_0, then F16, each reported', () => {
    const tied = planTypes(model(2, 256, 512, true), 'q4_k_m', 2);
    expect(typeOf(tied.planned, 'token_embd.weight')).toBe(GGML_TYPE.Q6_K);
    const small = planTypes(model(5, 64, 172, true), 'q4_k_m', 5);
    expect(typeOf(small.planned, 'token_embd.weight')).toBe(GGML_TYPE.Q8_0); // the mixture's choice for rows of 64
    expect(typeOf(small.planned, 'blk.0.attn_q.weight')).toBe(GGML_TYPE.Q5_0);
    expect(typeOf(small.planned, 'blk.2.attn_v.weight')).toBe(GGML_TYPE.Q8_0);
    expect(typeOf(small.planned, 'blk.0.ffn_down.weight')).toBe(GGML_TYPE.F16);
    expect(small.warnings).toHaveLength(4);
    expect(small.warnings).toContain('2 tensors (blk.2.attn_v.weight, blk.4.attn_v.weight) with rows of 64 values are Q8_0 instead of Q6_K, which needs rows of a multiple of 256.');
    const q8 = planTypes(model(5, 64, 172, true), 'q8_0', 5);
    expect(typeOf(q8.planned, 'token_embd.weight')).toBe(GGML_TYPE.Q8_0);
    expect(typeOf(q8.planned, 'blk.3.ffn_down.weight')).toBe(GGML_TYPE.F16);
    expect(q8.warnings).toEqual(['5 tensors (blk.0.ffn_down.weight, blk.1.ffn_down.weight, blk.2.ffn_down.weight and 2 more) with rows of 172 values are F16 instead of Q8_0, which needs rows of a multiple of 32.']);
    const f16 = planTypes(model(1, 64, 172, true), 'f16', 1);
    expect(f16.planned.map((p) => p.type)).toEqual(f16.planned.map((p) => (p.shape.length === 1 ? GGML_TYPE.F32 : GGML_TYPE.F16)));
    expect(f16.warnings).toEqual([]);
  });
});
