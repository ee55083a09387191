import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../main/trainer/backend';
import { generateGreedy } from '../../../main/trainer/llama/generate';
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
    await selectBackend('cpu');
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

  it('greedy generation of 255 tokens from BOS reproduces the documented output, with flat tensor memory', () => {
    const model = LlamaModel.fromCheckpoint(checkpoint);
    const before = tf.memory().numTensors;
    const started = performance.now();
    const result = generateGreedy(model, tokenizer, { maxTokens: 255 });
    const seconds = (performance.now() - started) / 1000;
    console.log(`stories260K: ${result.tokens.length} tokens in ${seconds.toFixed(1)} s (${result.stoppedBy})`);
    expect(tf.memory().numTensors).toBe(before);
    const golden = readFileSync(GOLDEN, 'utf8');
    expect(normalise(result.text)).toBe(normalise(golden));
    expect(result.text.trimEnd()).toBe(golden.trimEnd()); // byte for byte too, newlines included
    expect(result.text.startsWith('Once upon a time, there was a little girl named Lily.')).toBe(true);
    // A second run leaks nothing either and is deterministic.
    const again = generateGreedy(model, tokenizer, { maxTokens: 20 });
    expect(again.tokens).toEqual(result.tokens.slice(0, 20));
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
