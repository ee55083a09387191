// GGUF exports through the CLI, read back with @huggingface/gguf (an independent parser): a stories260K fine-tune and
// a random-weight Qwen2 fine-tune (rows of 256, so Q4_K and Q6_K apply), each in F16, Q8_0 and Q4_K_M. Every metadata
// key llama.cpp reads, every tensor's name, type, shape and offset, and every tensor's values dequantised by the
// test's own code (ggufDequant.ts) against the checkpoint's weights — mapped by this test's own name table and
// llama.cpp's q/k row permutation — within the type's error. llama.cpp itself is not needed (the README reports what
// it prints for these files).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gguf, GGUFValueType } from '@huggingface/gguf';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunDetail } from '../../common/domain';
import type { ExportResult, ModelInfo } from '../../common/evaluation';
import { readSafetensors } from '../../main/trainer/safetensors';
import { assertBuilt, ROOT, tempDir, tunebench, tunebenchJson } from '../helpers/cli';
import { GPT2_BPE_DIR } from '../helpers/familyTokenizers';
import { corpusLines, writeFixture } from '../helpers/fixtures';
import { byteSize, dequantize, errorBound, readBytes, TYPE } from '../unit/export/ggufDequant';
import { randomDecoderFolder } from '../unit/export/randomDecoder';

const STORIES = join(ROOT, 'resources', 'models', 'stories260k');
const haveStories = existsSync(join(STORIES, 'stories260K.bin'));
if (!haveStories) console.warn(`ggufExport.test: ${STORIES} is absent; skipping the stories260K export.`);
const haveBpe = existsSync(GPT2_BPE_DIR);
if (!haveBpe) console.warn(`ggufExport.test: ${GPT2_BPE_DIR} is absent (the Qwen tokenizer fixture is built from it); skipping the Qwen2 export.`);

const QUANTS = ['f16', 'q8_0', 'q4_k_m'] as const;
type Quant = (typeof QUANTS)[number];
const FILE_TYPE: Record<Quant, number> = { f16: 1, q8_0: 7, q4_k_m: 15 };
const sets = (settings: string[]) => settings.flatMap((s) => ['--set', s]);

type Typed = Record<string, { value: unknown; type: GGUFValueType; subType?: GGUFValueType }>;

/** HF Llama-lineage checkpoint name → GGUF name (convert_hf_to_gguf.py's tensor map), written out here on purpose. */
function ggufNameOf(hf: string): string {
  const whole: Record<string, string> = { 'model.embed_tokens.weight': 'token_embd.weight', 'model.norm.weight': 'output_norm.weight', 'lm_head.weight': 'output.weight' };
  if (whole[hf]) return whole[hf];
  const m = /^model\.layers\.(\d+)\.(.+)\.(weight|bias)$/.exec(hf);
  const parts: Record<string, string> = {
    input_layernorm: 'attn_norm',
    'self_attn.q_proj': 'attn_q',
    'self_attn.k_proj': 'attn_k',
    'self_attn.v_proj': 'attn_v',
    'self_attn.o_proj': 'attn_output',
    post_attention_layernorm: 'ffn_norm',
    'mlp.gate_proj': 'ffn_gate',
    'mlp.up_proj': 'ffn_up',
    'mlp.down_proj': 'ffn_down',
  };
  if (!m || !parts[m[2]]) throw new Error(`unexpected tensor ${hf}`);
  return `blk.${m[1]}.${parts[m[2]]}.${m[3]}`;
}

/** numpy's reshape(n_head, 2, rows/n_head/2, cols).swapaxes(1, 2).reshape(rows, cols), element by element. */
function permuteForLlamaCpp(data: Float32Array, rows: number, heads: number): Float32Array {
  const cols = data.length / rows;
  const half = rows / heads / 2;
  const out = new Float32Array(data.length);
  for (let h = 0; h < heads; h++) for (let i = 0; i < half; i++) for (let p = 0; p < 2; p++) for (let c = 0; c < cols; c++) out[((h * half + i) * 2 + p) * cols + c] = data[((h * 2 + p) * half + i) * cols + c];
  return out;
}

interface Expected {
  name: string;
  shape: number[]; // PyTorch order
  data: Float32Array;
}

/** Parses the export and checks every tensor against `expected` and `types`; returns the typed metadata. */
async function checkFile(file: string, expected: Expected[], types: Record<string, number>): Promise<Typed> {
  const parsed = await gguf(file, { allowLocalFile: true, typedMetadata: true });
  expect(parsed.metadata.version).toBe(3);
  const meta = parsed.typedMetadata as unknown as Typed;
  expect(meta['general.alignment']).toMatchObject({ value: 32, type: GGUFValueType.UINT32 });
  const infos = parsed.tensorInfos;
  expect(infos.map((i) => i.name).sort()).toEqual(expected.map((e) => e.name).sort());
  const start = Number(parsed.tensorDataOffset);
  expect(start % 32).toBe(0);
  let next = 0;
  for (const info of infos) {
    const e = expected.find((x) => x.name === info.name)!;
    expect(info.shape.map(Number), info.name).toEqual([...e.shape].reverse());
    expect(info.dtype, info.name).toBe(types[info.name]);
    expect(Number(info.offset), info.name).toBe(next); // in file order, each on a multiple of 32
    const size = byteSize(info.dtype, e.data.length);
    next = Math.ceil((next + size) / 32) * 32;
    const back = dequantize(info.dtype, readBytes(file, start + Number(info.offset), size), e.data.length);
    const bound = errorBound(info.dtype, e.data);
    let worst = 0;
    for (let i = 0; i < e.data.length; i++) worst = Math.max(worst, Math.abs(back[i] - e.data[i]) - bound[i]);
    expect(worst, `${info.name} (${info.dtype}) read back beyond its error`).toBeLessThanOrEqual(1e-6);
  }
  expect(statSync(file).size).toBe(start + next);
  return meta;
}

const valueOf = (meta: Typed, key: string) => meta[key]?.value;

function expectKeys(meta: Typed, keys: Record<string, [unknown, GGUFValueType]>): void {
  for (const [key, [value, type]] of Object.entries(keys)) {
    expect(meta[key], key).toBeDefined();
    expect(meta[key].type, key).toBe(type);
    if (typeof value === 'number' && type === GGUFValueType.FLOAT32) expect(meta[key].value as number, key).toBeCloseTo(value, 6);
    else expect(meta[key].value, key).toEqual(value);
  }
}

const U32 = GGUFValueType.UINT32;
const F32 = GGUFValueType.FLOAT32;
const STR = GGUFValueType.STRING;
const BOOL = GGUFValueType.BOOL;

/** Which type each tensor should have: F32 for vectors, else per quantisation (and llama-quant.cpp's mixture). */
function typesFor(expected: Expected[], quant: Quant, mixture: (name: string, cols: number) => number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of expected) {
    const cols = e.shape[e.shape.length - 1];
    if (e.shape.length === 1) out[e.name] = TYPE.F32;
    else if (quant === 'f16') out[e.name] = TYPE.F16;
    else if (quant === 'q8_0') out[e.name] = cols % 32 === 0 ? TYPE.Q8_0 : TYPE.F16;
    else out[e.name] = mixture(e.name, cols);
  }
  return out;
}

describe('GGUF export through the CLI', () => {
  beforeAll(assertBuilt);

  it.skipIf(!haveStories)('stories260K fine-tune: F16, Q8_0 and Q4_K_M files llama.cpp reads, with the SentencePiece vocabulary and a Modelfile', async () => {
    const dataDir = tempDir();
    const corpus = writeFixture(tempDir(), 'stories.txt', `${corpusLines(40).join('\n')}\n`);
    const run = tunebenchJson<{ runId: string; status: string }>(dataDir, ['train', '--dataset', corpus, ...sets(['base=stories260k', 'steps=2', 'batchSize=2', 'contextLength=16', 'evalBatches=1', 'learningRate=0.01', 'warmupSteps=0', 'backend=cpu'])]);
    expect(run.status).toBe('completed');
    const checkpoint = tunebenchJson<RunDetail>(dataDir, ['runs', 'show', run.runId]).checkpoints.at(-1)!.path;
    const { tensors } = readSafetensors(checkpoint);
    const expected: Expected[] = tensors.map((t) => {
      let data = t.data;
      if (t.name.endsWith('q_proj.weight')) data = permuteForLlamaCpp(data, t.shape[0], 8);
      if (t.name.endsWith('k_proj.weight')) data = permuteForLlamaCpp(data, t.shape[0], 4);
      return { name: ggufNameOf(t.name), shape: t.shape, data };
    });
    expect(expected.some((e) => e.name === 'output.weight')).toBe(false); // tied: llama.cpp reuses token_embd

    // the vocabulary, read independently from llama2.c's tok512.bin (the same 512 pieces, ▁ written as a space)
    const bin = readFileSync(join(STORIES, 'tok512.bin'));
    const pieces: { text: string; score: number }[] = [];
    for (let at = 4; at < bin.length; ) {
      const score = bin.readFloatLE(at);
      const len = bin.readInt32LE(at + 4);
      pieces.push({ text: bin.subarray(at + 8, at + 8 + len).toString('utf8'), score });
      at += 8 + len;
    }
    expect(pieces).toHaveLength(512);

    // rows of 64 fit Q8_0 and Q5_0, not the 256 of Q4_K / Q6_K; ffn_down's rows of 172 fit nothing: F16
    const q4km = (name: string, cols: number) => {
      if (cols % 32 !== 0) return TYPE.F16;
      if (name === 'token_embd.weight') return TYPE.Q8_0; // tied: the output's rule, Q8_0 for rows that are not 256s
      return /blk\.[24]\.attn_v\./.test(name) ? TYPE.Q8_0 : TYPE.Q5_0; // use_more_bits(i, 5): layers 2 and 4 want Q6_K
    };
    const sizes: Record<string, number> = {};
    for (const quant of QUANTS) {
      const result = tunebench(dataDir, ['export', run.runId, '--format', 'gguf', '--quant', quant, '--json']);
      expect(result.code, result.stderr).toBe(0);
      const exported = JSON.parse(result.stdout) as ExportResult;
      expect(exported).toMatchObject({ format: 'gguf', quant });
      expect(exported.dir.endsWith(`${run.runId}-gguf-${quant}`)).toBe(true);
      expect(exported.files.map((f) => f.name)).toEqual(expect.arrayContaining(['model.gguf', 'Modelfile', 'NOTICE.md']));
      expect(existsSync(`${exported.dir}.partial`)).toBe(false);
      // each fallback is said on stderr and in the result
      expect(result.stderr.split('\n').filter((l) => l.startsWith('warning: '))).toHaveLength(exported.warnings!.length);
      if (quant === 'f16') expect(exported.warnings).toEqual([]);
      if (quant === 'q8_0') expect(exported.warnings).toEqual([expect.stringMatching(/^5 tensors .* rows of 172 values are F16 instead of Q8_0/)]);
      if (quant === 'q4_k_m') expect(exported.warnings!.join('\n')).toMatch(/28 tensors .* rows of 64 values are Q5_0 instead of Q4_K/);
      const file = join(exported.dir, 'model.gguf');
      sizes[quant] = statSync(file).size;

      const meta = await checkFile(file, expected, typesFor(expected, quant, q4km));
      expectKeys(meta, {
        'general.architecture': ['llama', STR],
        'general.type': ['model', STR],
        'general.file_type': [FILE_TYPE[quant], U32],
        'general.quantization_version': [2, U32],
        'llama.context_length': [512, U32],
        'llama.embedding_length': [64, U32],
        'llama.block_count': [5, U32],
        'llama.feed_forward_length': [172, U32],
        'llama.attention.head_count': [8, U32],
        'llama.attention.head_count_kv': [4, U32],
        'llama.attention.layer_norm_rms_epsilon': [1e-5, F32],
        'llama.attention.key_length': [8, U32],
        'llama.attention.value_length': [8, U32],
        'llama.rope.freq_base': [10000, F32],
        'llama.rope.dimension_count': [8, U32],
        'llama.vocab_size': [512, U32],
        'tokenizer.ggml.model': ['llama', STR],
        'tokenizer.ggml.pre': ['default', STR],
        'tokenizer.ggml.bos_token_id': [1, U32],
        'tokenizer.ggml.eos_token_id': [2, U32],
        'tokenizer.ggml.unknown_token_id': [0, U32],
        'tokenizer.ggml.add_bos_token': [true, BOOL],
        'tokenizer.ggml.add_eos_token': [false, BOOL],
      });
      expect(meta['llama.rope.scaling.type']).toBeUndefined();
      expect(meta['tokenizer.chat_template']).toBeUndefined();
      const tokens = valueOf(meta, 'tokenizer.ggml.tokens') as string[];
      const scores = valueOf(meta, 'tokenizer.ggml.scores') as number[];
      const types = valueOf(meta, 'tokenizer.ggml.token_type') as number[];
      expect(tokens.slice(0, 3)).toEqual(['<unk>', '<s>', '</s>']);
      tokens.forEach((t, i) => {
        if (i > 2) expect(t.replaceAll('\u2581', ' ')).toBe(pieces[i].text);
        expect(scores[i]).toBeCloseTo(pieces[i].score, 5);
      });
      expect(types).toEqual([2, 3, 3, ...Array(256).fill(6), ...Array(253).fill(1)]);

      const mf = readFileSync(join(exported.dir, 'Modelfile'), 'utf8');
      expect(mf).toMatch(/^FROM \.\/model\.gguf$/m);
      expect(mf).toContain('TEMPLATE """{{ .Prompt }}"""');
      expect(mf).toMatch(/^PARAMETER stop "<\/s>"$/m);
      expect(mf).toMatch(/^PARAMETER stop "<s>"$/m); // llama2.c's stories end where the next one's BOS begins
      expect(mf).toMatch(/^PARAMETER num_ctx 512$/m);
    }
    expect(sizes.q8_0).toBeLessThan(sizes.f16);
    expect(sizes.q4_k_m).toBeLessThan(sizes.q8_0);
  });

  it.skipIf(!haveBpe)('Qwen2 fine-tune: qwen2 keys, the byte-level BPE vocabulary with merges, Q4_K and Q6_K tensors', async () => {
    const folder = randomDecoderFolder('qwen2', { vocab: 640, rows: 672 });
    const dataDir = tempDir();
    const model = tunebenchJson<ModelInfo>(dataDir, ['models', 'import', folder]);
    const corpus = writeFixture(tempDir(), 'corpus.txt', `${corpusLines(40).join('\n')}\n`);
    const run = tunebenchJson<{ runId: string; status: string }>(dataDir, ['train', '--dataset', corpus, ...sets([`base=${model.id}`, 'method=full', 'steps=2', 'batchSize=2', 'contextLength=16', 'evalBatches=1', 'backend=cpu'])]);
    expect(run.status).toBe('completed');
    const checkpoint = tunebenchJson<RunDetail>(dataDir, ['runs', 'show', run.runId]).checkpoints.at(-1)!.path;
    const expected: Expected[] = readSafetensors(checkpoint).tensors.map((t) => ({ name: ggufNameOf(t.name), shape: t.shape, data: t.data })); // Qwen2: no permutation
    expect(expected.map((e) => e.name)).toEqual(expect.arrayContaining(['blk.0.attn_q.bias', 'blk.1.attn_v.bias']));
    const tokenizerJson = JSON.parse(readFileSync(join(folder, 'tokenizer.json'), 'utf8')) as { model: { merges: unknown[] }; added_tokens: { id: number; content: string }[] };

    // two layers: use_more_bits(i, 2) picks layer 1 for Q6_K; the tied embedding is the output (rows of 256): Q6_K
    const q4km = (name: string) => (name === 'token_embd.weight' || /^blk\.1\.(attn_v|ffn_down)\./.test(name) ? TYPE.Q6_K : TYPE.Q4_K);
    for (const quant of QUANTS) {
      const exported = tunebenchJson<ExportResult>(dataDir, ['export', run.runId, '--format', 'gguf', '--quant', quant]);
      expect(exported.warnings).toEqual([]);
      const meta = await checkFile(join(exported.dir, 'model.gguf'), expected, typesFor(expected, quant, q4km));
      expectKeys(meta, {
        'general.architecture': ['qwen2', STR],
        'general.file_type': [FILE_TYPE[quant], U32],
        'qwen2.context_length': [4096, U32],
        'qwen2.embedding_length': [256, U32],
        'qwen2.block_count': [2, U32],
        'qwen2.feed_forward_length': [512, U32],
        'qwen2.attention.head_count': [4, U32],
        'qwen2.attention.head_count_kv': [2, U32],
        'qwen2.attention.layer_norm_rms_epsilon': [1e-6, F32],
        'qwen2.rope.freq_base': [1e6, F32],
        'tokenizer.ggml.model': ['gpt2', STR],
        'tokenizer.ggml.pre': ['qwen2', STR],
        'tokenizer.ggml.eos_token_id': [tokenizerJson.added_tokens.find((t) => t.content === '<|im_end|>')!.id, U32],
        'tokenizer.ggml.padding_token_id': [tokenizerJson.added_tokens.find((t) => t.content === '<|endoftext|>')!.id, U32],
        'tokenizer.ggml.add_bos_token': [false, BOOL],
      });
      // what llama.cpp derives for qwen2 is not written, as convert does not
      for (const key of ['qwen2.vocab_size', 'qwen2.rope.dimension_count', 'qwen2.attention.key_length']) expect(meta[key], key).toBeUndefined();
      const tokens = valueOf(meta, 'tokenizer.ggml.tokens') as string[];
      expect(tokens).toHaveLength(672);
      expect(tokens[671]).toBe('[PAD671]');
      expect((valueOf(meta, 'tokenizer.ggml.merges') as string[]).length).toBe(tokenizerJson.model.merges.length);
      expect(meta['tokenizer.ggml.scores']).toBeUndefined();
      expect(String(valueOf(meta, 'tokenizer.chat_template'))).toContain('<|im_start|>');
      const mf = readFileSync(join(exported.dir, 'Modelfile'), 'utf8');
      expect(mf).toContain('<|im_start|>assistant');
      expect(mf).toMatch(/^PARAMETER stop "<\|im_end\|>"$/m);
    }
  });

  it('refuses --quant without --format gguf, and an unknown quantisation, in one sentence', () => {
    const dataDir = tempDir();
    const a = tunebench(dataDir, ['export', 'run-00000000', '--quant', 'q8_0']);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/--quant applies to --format gguf only/);
    const b = tunebench(dataDir, ['export', 'run-00000000', '--format', 'gguf', '--quant', 'q2_k']);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/--quant q2_k: expected f16, q8_0 or q4_k_m/);
  });
});
