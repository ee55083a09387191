import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../main/trainer/backend';
import { generateLlama } from '../../../main/trainer/llama/generate';
import { generateRequestSchema, type GenerateRequest } from '../../../common/protocol';
import { loadLlama2cCheckpoint, parseLlama2cCheckpoint, type Llama2cCheckpoint } from '../../../main/trainer/llama/llama2cCheckpoint';
import { LlamaModel } from '../../../main/trainer/llama/llamaModel';
import { BOS_ID, SentencePieceTokenizer } from '../../../main/trainer/llama/sentencePieceTokenizer';
import * as tf from '../../../main/trainer/tfjs';

// tests/unit/trainer → repository root (/work/main) → its parent holds shared/
const MODEL_DIR = resolve(__dirname, '../../../../shared/data/models/stories260k');
const CHECKPOINT = resolve(MODEL_DIR, 'stories260K.bin');
const TOKENIZER = resolve(MODEL_DIR, 'tok512.bin');
const GOLDEN = resolve(MODEL_DIR, 'greedy_t0_255steps_from_BOS.txt');
const present = [CHECKPOINT, TOKENIZER, GOLDEN].every((p) => existsSync(p));
if (!present) console.warn(`llama.test: stories260K not found under ${MODEL_DIR}; skipping the pretrained-weights tests.`);

const normalise = (s: string) => s.trim().split(/\s+/).join(' ');
const request = (r: Partial<GenerateRequest>): GenerateRequest => generateRequestSchema.parse({ prompt: '', ...r });
/** A seed whose temperature-1 sample ends its story (emits BOS) within 400 tokens. */
const EOS_SEED = 5;

describe('llama2.c checkpoint reader', () => {
  it('rejects short and malformed files, naming them', () => {
    expect(() => parseLlama2cCheckpoint(new Uint8Array(10), 'x.bin')).toThrow(/x\.bin.*too short/);
    const header = new Int32Array([64, 172, 5, 8, 3, 512, 512]); // 8 heads not a multiple of 3 KV heads
    expect(() => parseLlama2cCheckpoint(new Uint8Array(header.buffer), 'y.bin')).toThrow(/y\.bin.*n_kv_heads/);
    const ok = new Int32Array([64, 172, 5, 8, 4, 512, 512]);
    expect(() => parseLlama2cCheckpoint(new Uint8Array(ok.buffer), 'z.bin')).toThrow(/z\.bin: truncated/);
  });
});

describe.skipIf(!present)('stories260K (llama2.c) with tok512', () => {
  let checkpoint: Llama2cCheckpoint;
  let tokenizer: SentencePieceTokenizer;

  beforeAll(async () => {
    await selectBackend('wasm'); // about twice as fast as cpu for token-by-token generation
    checkpoint = loadLlama2cCheckpoint(CHECKPOINT);
    tokenizer = SentencePieceTokenizer.load(TOKENIZER, checkpoint.config.vocabSize);
  });

  it('reads the legacy header and weights', () => {
    expect(checkpoint.config).toEqual({ dim: 64, hiddenDim: 172, nLayers: 5, nHeads: 8, nKvHeads: 4, vocabSize: 512, seqLen: 512 });
    expect(checkpoint.weights.sharedClassifier).toBe(true);
    expect(checkpoint.weights.wk[0].length).toBe(32 * 64);
    expect(checkpoint.weights.rmsFinal.length).toBe(64);
    expect(checkpoint.weights.rmsFinal.every(Number.isFinite)).toBe(true);
  });

  it('loads tok512: specials, byte fallbacks, scores', () => {
    expect(tokenizer.vocabSize).toBe(512);
    expect(tokenizer.piece(0)).toBe('<unk>');
    expect(tokenizer.piece(BOS_ID)).toBe('\n<s>\n');
    expect(tokenizer.piece(3)).toBe('<0x00>');
    expect(tokenizer.piece(258)).toBe('<0xFF>');
  });

  it('encodes like run.c and round-trips text', () => {
    const ids = tokenizer.encode('Once upon a time', { bos: true });
    expect(ids[0]).toBe(BOS_ID);
    expect(ids.length).toBeLessThan(10); // merged, not one token per character
    for (const text of ['Once upon a time, there was a little girl named Lily.', 'Hello world!', 'naïve café — 日本 🙂', '  two  spaces\nnewline', '']) {
      const encoded = tokenizer.encode(text, { bos: true });
      expect(tokenizer.decode(encoded)).toBe(text);
    }
    // Unknown characters fall back to UTF-8 bytes, ids 3–258.
    const emoji = tokenizer.encode('🙂');
    expect(emoji.slice(1)).toEqual([...new TextEncoder().encode('🙂')].map((b) => b + 3));
  });

  it('full-sequence and cached forward passes agree', () => {
    const model = LlamaModel.fromCheckpoint(checkpoint);
    expect(model.parameterCount).toBe(260_032);
    const ids = tokenizer.encode('Once upon a time, there was', { bos: true });
    const full = model.forward(ids);
    const cache = model.newCache();
    const prefix = model.forward(ids.slice(0, 3), cache);
    const steps = ids.slice(3).map((id) => model.forward([id], cache));
    const cached = tf.concat([prefix, ...steps], 0);
    expect(cached.shape).toEqual([ids.length, 512]);
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(full, cached))).dataSync()[0]);
    expect(diff).toBeLessThan(1e-4);
    tf.dispose([full, prefix, ...steps, cached]);
    cache.dispose();
    model.dispose();
  });

  it('greedy generation of 255 tokens from BOS reproduces the documented output, streamed, with flat tensor memory', () => {
    const model = LlamaModel.fromCheckpoint(checkpoint);
    const before = tf.memory().numTensors;
    const streamed: string[] = [];
    const started = performance.now();
    const result = generateLlama(model, tokenizer, request({ maxTokens: 255 }), (text) => streamed.push(text));
    const seconds = (performance.now() - started) / 1000;
    console.log(`stories260K: ${result.tokens} tokens in ${seconds.toFixed(1)} s (${result.stopReason})`);
    expect(tf.memory().numTensors).toBe(before);
    const golden = readFileSync(GOLDEN, 'utf8'); // the text run.c prints: no BOS, the first token's dummy space dropped
    expect(result).toMatchObject({ tokens: 255, stopReason: 'maxTokens' });
    expect(normalise(result.text)).toBe(normalise(golden));
    expect(result.text.trimEnd()).toBe(golden.trimEnd()); // byte for byte too, newlines included
    expect(streamed.join('')).toBe(result.text);
    expect(streamed.length).toBeGreaterThan(200); // token by token, not all at the end
    // A second run leaks nothing either and is deterministic.
    const again = generateLlama(model, tokenizer, request({ maxTokens: 20 }), () => {});
    expect(golden.startsWith(again.text)).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('continues a prompt (text is the continuation only) and ends before a stop string', () => {
    const model = LlamaModel.fromCheckpoint(checkpoint);
    const prompt = 'Once upon a time, there was a little girl named Lily.';
    const golden = readFileSync(GOLDEN, 'utf8');
    const continued = generateLlama(model, tokenizer, request({ prompt, maxTokens: 30 }), () => {});
    expect(golden.startsWith(prompt + continued.text)).toBe(true);
    expect(continued.text.startsWith(' She loved')).toBe(true);
    const streamed: string[] = [];
    const stopped = generateLlama(model, tokenizer, request({ prompt, maxTokens: 100, stop: ['park', 'zebra'] }), (t) => streamed.push(t));
    expect(stopped).toMatchObject({ text: ' She loved to play outside in the ', stopReason: 'stop' });
    expect(streamed.join('')).toBe(stopped.text);
    model.dispose();
  });

  it('samples reproducibly for a seed, differently for another, and stops at BOS like run.c', () => {
    const model = LlamaModel.fromCheckpoint(checkpoint);
    const sample = (seed: number) => generateLlama(model, tokenizer, request({ temperature: 1, topP: 0.9, maxTokens: 60, seed }), () => {});
    const a = sample(1);
    expect(sample(1)).toEqual(a);
    expect(sample(2).text).not.toBe(a.text);
    const ended = generateLlama(model, tokenizer, request({ temperature: 1, maxTokens: 330, seed: EOS_SEED }), () => {});
    expect(ended.stopReason).toBe('eos');
    expect(ended.tokens).toBe(297);
    model.dispose();
  });

  it("stops with reason 'context' when the 512-token context is full", () => {
    const model = LlamaModel.fromCheckpoint(checkpoint);
    const prompt = 'Tom had a big red ball. '.repeat(50);
    const promptTokens = tokenizer.encode(prompt, { bos: true }).length;
    expect(promptTokens).toBeGreaterThan(480);
    const result = generateLlama(model, tokenizer, request({ prompt, maxTokens: 100 }), () => {});
    expect(result).toMatchObject({ stopReason: 'context', tokens: 512 - promptTokens + 1 }); // the last one comes from position 511
    expect(() => generateLlama(model, tokenizer, request({ prompt: prompt.repeat(2) }), () => {})).toThrow(/shorten the prompt/);
    model.dispose();
  });
});
