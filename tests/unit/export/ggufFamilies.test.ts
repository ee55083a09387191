// writeGgufExport on decoder checkpoints of every family (random weights, the run checkpoint's format: the family's
// own names plus format / family / hf_config metadata), read back with @huggingface/gguf: the architecture's keys,
// and each family's tensor layout as convert_hf_to_gguf.py writes it — Llama's permuted q/k (biases too) and separate
// output, Qwen3's q/k norms, Gemma 3's 1 + w norms and sliding-window keys, GPT-2's fused, transposed attn_qkv and
// F32 position table.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gguf } from '@huggingface/gguf';
import { describe, expect, it } from 'vitest';
import { writeGgufExport } from '../../../main/export/gguf';
import { DECODER_CHECKPOINT_FORMAT } from '../../../main/trainer/decoder/checkpointFormat';
import { readSafetensors, writeSafetensors } from '../../../main/trainer/safetensors';
import { GPT2_BPE_DIR } from '../../helpers/familyTokenizers';
import { dequantize, readBytes, TYPE } from './ggufDequant';
import { randomDecoderFolder } from './randomDecoder';

const ready = existsSync(GPT2_BPE_DIR);
if (!ready) console.warn(`ggufFamilies.test: ${GPT2_BPE_DIR} is absent (the tokenizer fixtures are built from it); skipping.`);

type Family = 'llama' | 'qwen3' | 'gemma3' | 'gpt2';

/** A folder, its weights as a run checkpoint, and the F16 export read back: metadata and tensors as floats. */
async function exported(family: Family, set: Record<string, unknown> = {}) {
  const folder = randomDecoderFolder(family, { vocab: 640, rows: 640, set });
  const config = JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8')) as Record<string, unknown>;
  const { tensors } = readSafetensors(join(folder, 'model.safetensors'));
  const checkpoint = join(mkdtempSync(join(tmpdir(), 'tb-ckpt-')), 'step-2.safetensors');
  writeSafetensors(checkpoint, tensors, { format: DECODER_CHECKPOINT_FORMAT, family, hf_config: JSON.stringify(config), step: '2', base: 'im-test' });
  const outDir = mkdtempSync(join(tmpdir(), 'tb-gguf-'));
  const result = writeGgufExport({ checkpoint, baseDir: folder, quant: 'f16', outDir, name: 'test' });
  const file = join(outDir, 'model.gguf');
  const parsed = await gguf(file, { allowLocalFile: true });
  const start = Number(parsed.tensorDataOffset);
  const read = (name: string) => {
    const info = parsed.tensorInfos.find((i) => i.name === name);
    if (!info) throw new Error(`no ${name}`);
    const count = info.shape.reduce((a, b) => a * Number(b), 1);
    const bytes = info.dtype === TYPE.F32 ? 4 * count : 2 * count;
    return { dims: info.shape.map(Number), type: info.dtype, data: dequantize(info.dtype, readBytes(file, start + Number(info.offset), bytes), count) };
  };
  const hf = new Map(tensors.map((t) => [t.name, t]));
  return { result, meta: parsed.metadata as unknown as Record<string, unknown>, names: parsed.tensorInfos.map((i) => i.name), read, hf, modelfile: readFileSync(join(outDir, 'Modelfile'), 'utf8') };
}

const f16 = (x: number) => Math.abs(x) * 2 ** -11 + 2 ** -24;
function expectClose(got: Float32Array, want: ArrayLike<number>): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < got.length; i++) if (Math.abs(got[i] - want[i]) > f16(want[i])) expect(got[i], `value ${i}`).toBeCloseTo(want[i], 6);
}

describe.skipIf(!ready)('GGUF layouts of each family (F16, writeGgufExport)', () => {
  it('llama: permuted q/k rows (and biases), a separate output, head_dim-derived rope keys', async () => {
    const e = await exported('llama', { attention_bias: true });
    expect(e.meta['general.architecture']).toBe('llama');
    expect(e.meta['llama.rope.dimension_count']).toBe(64);
    expect(e.meta['llama.vocab_size']).toBe(640);
    expect(e.meta['llama.rope.freq_base']).toBe(100000);
    expect(e.meta['tokenizer.ggml.pre']).toBe('smollm');
    expect(e.names).toContain('output.weight');
    const perm = (src: ArrayLike<number>, rows: number, heads: number) => {
      const cols = src.length / rows;
      const hd = rows / heads;
      const out = new Float32Array(src.length);
      for (let h = 0; h < heads; h++) for (let r = 0; r < hd; r++) for (let c = 0; c < cols; c++) out[(h * hd + r) * cols + c] = src[(h * hd + (r % 2) * (hd / 2) + (r >> 1)) * cols + c];
      return out;
    };
    const q = e.hf.get('model.layers.1.self_attn.q_proj.weight')!;
    expect(e.read('blk.1.attn_q.weight').dims).toEqual([256, 256]);
    expectClose(e.read('blk.1.attn_q.weight').data, perm(q.data, 256, 4));
    expectClose(e.read('blk.1.attn_k.weight').data, perm(e.hf.get('model.layers.1.self_attn.k_proj.weight')!.data, 128, 2));
    expectClose(e.read('blk.1.attn_k.bias').data, perm(e.hf.get('model.layers.1.self_attn.k_proj.bias')!.data, 128, 2));
    expectClose(e.read('blk.1.attn_v.weight').data, e.hf.get('model.layers.1.self_attn.v_proj.weight')!.data);
    expect(e.read('blk.1.attn_k.bias').type).toBe(TYPE.F32);
    expectClose(e.read('output.weight').data, e.hf.get('lm_head.weight')!.data);
  });

  it('llama 3 rope scaling: rope_freqs factors as convert computes them; linear scaling: the scaling keys', async () => {
    const e = await exported('llama', { rope_scaling: { rope_type: 'llama3', factor: 32, low_freq_factor: 1, high_freq_factor: 4, original_max_position_embeddings: 64 }, rope_theta: 500000 });
    const factors = e.read('rope_freqs.weight');
    expect(factors.type).toBe(TYPE.F32);
    expect(factors.dims).toEqual([32]);
    expect(factors.data[0]).toBe(1); // short wavelengths untouched
    expect(factors.data[31]).toBe(32); // long ones divided by the factor
    expect(e.meta['llama.rope.scaling.type']).toBeUndefined();
    const linear = await exported('llama', { rope_scaling: { type: 'linear', factor: 2 } });
    expect(linear.meta['llama.rope.scaling.type']).toBe('linear');
    expect(linear.meta['llama.rope.scaling.factor']).toBe(2);
    const dynamic = await exported('llama', { rope_scaling: { type: 'dynamic', factor: 2 } });
    expect(dynamic.result.warnings.join(' ')).toMatch(/'dynamic' has no GGUF form/);
  });

  it('qwen3: head_dim keys, q/k norms as they are, no permutation, tied output', async () => {
    const e = await exported('qwen3');
    expect(e.meta['qwen3.attention.key_length']).toBe(128);
    expect(e.meta['qwen3.attention.value_length']).toBe(128);
    expect(e.meta['qwen3.rope.dimension_count']).toBeUndefined();
    expect(e.names).not.toContain('output.weight');
    expectClose(e.read('blk.0.attn_q_norm.weight').data, e.hf.get('model.layers.0.self_attn.q_norm.weight')!.data);
    expectClose(e.read('blk.0.attn_q.weight').data, e.hf.get('model.layers.0.self_attn.q_proj.weight')!.data);
    expect(e.read('blk.0.attn_q.weight').dims).toEqual([256, 512]);
  });

  it('gemma3: 1 + w norms, four norms per block, sliding-window keys and pattern, no space prefix', async () => {
    const e = await exported('gemma3');
    expect(e.meta['general.architecture']).toBe('gemma3');
    expect(e.meta['gemma3.attention.sliding_window']).toBe(16);
    expect(e.meta['gemma3.attention.sliding_window_pattern']).toEqual([true, false]);
    expect(e.meta['gemma3.rope.freq_base']).toBe(1000000);
    expect(e.meta['gemma3.rope.freq_base_swa']).toBe(10000);
    expect(e.meta['gemma3.attention.key_length']).toBe(64);
    expect(e.meta['tokenizer.ggml.add_space_prefix']).toBe(false);
    expect(e.result.warnings).toEqual([]); // query_pre_attn_scalar = head_dim: the scale llama.cpp uses
    const plus1 = (name: string) => Float32Array.from(e.hf.get(name)!.data, (w) => w + 1);
    expectClose(e.read('blk.0.attn_norm.weight').data, plus1('model.layers.0.input_layernorm.weight'));
    expectClose(e.read('blk.0.post_attention_norm.weight').data, plus1('model.layers.0.post_attention_layernorm.weight'));
    expectClose(e.read('blk.0.ffn_norm.weight').data, plus1('model.layers.0.pre_feedforward_layernorm.weight'));
    expectClose(e.read('blk.0.post_ffw_norm.weight').data, plus1('model.layers.0.post_feedforward_layernorm.weight'));
    expectClose(e.read('blk.0.attn_k_norm.weight').data, plus1('model.layers.0.self_attn.k_norm.weight'));
    expectClose(e.read('output_norm.weight').data, plus1('model.norm.weight'));
    expectClose(e.read('blk.0.ffn_gate.weight').data, e.hf.get('model.layers.0.mlp.gate_proj.weight')!.data);
    expect(e.modelfile).toContain('<start_of_turn>model');
    const scaled = await exported('gemma3', { query_pre_attn_scalar: 256 });
    expect(scaled.result.warnings.join(' ')).toMatch(/query_pre_attn_scalar scales attention by 0\.0625.*1\/sqrt\(head_dim\) = 0\.125/);
  });

  it('gpt2: fused attn_qkv transposed from c_attn, transposed MLP, F32 position_embd, no output tensor', async () => {
    const e = await exported('gpt2');
    expect(e.meta['gpt2.context_length']).toBe(1024);
    expect(e.meta['gpt2.feed_forward_length']).toBe(1024);
    expect(e.meta['gpt2.attention.layer_norm_epsilon']).toBeCloseTo(1e-5, 9);
    expect(e.meta['tokenizer.ggml.pre']).toBe('gpt-2');
    expect(e.names).not.toContain('output.weight');
    const t = (name: string) => {
      const x = e.hf.get(name)!;
      const [rows, cols] = x.shape;
      return Float32Array.from({ length: rows * cols }, (_, i) => x.data[(i % rows) * cols + Math.floor(i / rows)]);
    };
    const qkv = e.read('blk.1.attn_qkv.weight');
    expect(qkv.dims).toEqual([256, 768]);
    expectClose(qkv.data, t('h.1.attn.c_attn.weight'));
    expectClose(e.read('blk.1.attn_qkv.bias').data, e.hf.get('h.1.attn.c_attn.bias')!.data);
    expectClose(e.read('blk.1.ffn_up.weight').data, t('h.1.mlp.c_fc.weight'));
    expectClose(e.read('blk.1.ffn_down.weight').data, t('h.1.mlp.c_proj.weight'));
    expectClose(e.read('blk.1.attn_output.weight').data, t('h.1.attn.c_proj.weight'));
    expectClose(e.read('blk.1.attn_norm.bias').data, e.hf.get('h.1.ln_1.bias')!.data);
    const pos = e.read('position_embd.weight');
    expect(pos.type).toBe(TYPE.F32);
    expect(pos.data).toEqual(e.hf.get('wpe.weight')!.data);
  });
});
