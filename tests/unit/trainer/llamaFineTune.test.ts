import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveTrainConfig, type Overrides } from '../../../common/config';
import { selectBackend } from '../../../main/trainer/backend';
import { checkpointFileName } from '../../../main/trainer/checkpointFiles';
import { fineTuneLlama, type FineTuneLlamaResult } from '../../../main/trainer/llama/fineTune';
import { loadLlama2cCheckpoint } from '../../../main/trainer/llama/llama2cCheckpoint';
import { LLAMA_CHECKPOINT_FORMAT, readLlamaCheckpoint, writeLlamaCheckpoint } from '../../../main/trainer/llama/llamaCheckpoint';
import { LlamaModel } from '../../../main/trainer/llama/llamaModel';
import { LlamaTrainable } from '../../../main/trainer/llama/llamaTrainable';
import { scoreLlama } from '../../../main/trainer/llama/score';
import { SentencePieceTokenizer } from '../../../main/trainer/llama/sentencePieceTokenizer';
import { readSafetensors } from '../../../main/trainer/safetensors';
import * as tf from '../../../main/trainer/tfjs';

const BASE = resolve(__dirname, '../../../resources/models/stories260k');
const present = existsSync(join(BASE, 'stories260K.bin')) && existsSync(join(BASE, 'tok512.bin'));
if (!present) console.warn(`llamaFineTune.test: ${BASE} lacks stories260K.bin or tok512.bin; skipping.`);

// TinyStories-like texts about a character the base model has never met: fine-tuning should learn the names.
const names = ['Zorbo', 'Quilla', 'Mirtle', 'Fenwick'];
const places = ['the purple hill', 'the windy cave', 'the silver lake', 'the old mill'];
const things = ['a shiny drum', 'a blue kite', 'a tiny boat', 'a warm hat'];
const story = (i: number) => {
  const [n, m] = [names[i % 4], names[(i + 1) % 4]];
  return `${n} the goat went to ${places[i % 4]} with ${m}. ${n} found ${things[(i + 2) % 4]}. "Look, ${m}!" said ${n}. ${m} and ${n} played all day and were happy.`;
};
const TRAIN = Array.from({ length: 24 }, (_, i) => story(i));
const VALIDATION = Array.from({ length: 4 }, (_, i) => story(i + 101));

const SMALL: Overrides = { base: 'stories260k', batchSize: 4, contextLength: 32, learningRate: 2e-3, warmupSteps: 2, logEvery: 1, evalEvery: 100, evalBatches: 2 };

interface Recorded {
  result: FineTuneLlamaResult;
  losses: number[];
  valLoss: Map<number, number>;
  tensorCounts: number[];
}

async function run(overrides: Overrides, dir: string, shouldStop?: (step: number) => boolean): Promise<Recorded> {
  const config = resolveTrainConfig('quick', { ...SMALL, ...overrides });
  const rec: Omit<Recorded, 'result'> = { losses: [], valLoss: new Map(), tensorCounts: [] };
  let step = 0;
  const result = await fineTuneLlama({
    basePath: BASE,
    texts: TRAIN,
    validation: VALIDATION,
    config,
    checkpointDir: dir,
    onMetrics: (s, values) => {
      step = s;
      if (values.loss !== undefined) rec.losses.push(values.loss);
      if (values.val_loss !== undefined) rec.valLoss.set(s, values.val_loss);
      rec.tensorCounts.push(tf.memory().numTensors);
    },
    shouldStop: () => shouldStop?.(step) ?? false,
  });
  return { ...rec, result };
}

describe.skipIf(!present)('fine-tuning stories260K (wasm)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tunebench-llama-'));
  let tokenizer: SentencePieceTokenizer;
  let first: Recorded;
  let tensorsBefore: number;

  beforeAll(async () => {
    await selectBackend('wasm');
    tokenizer = SentencePieceTokenizer.load(join(BASE, 'tok512.bin'), 512);
    tensorsBefore = tf.memory().numTensors;
    first = await run({ steps: 16 }, join(dir, 'a'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lowers the validation loss on new texts, leaving no tensors behind', () => {
    const before = first.valLoss.get(0)!;
    const after = first.valLoss.get(16)!;
    console.log(`stories260K fine-tune: val_loss ${before.toFixed(3)} → ${after.toFixed(3)} in 16 steps of 4×32 tokens`);
    expect(after).toBeLessThan(before - 0.3);
    expect(first.losses).toHaveLength(16);
    expect(new Set(first.tensorCounts.slice(1)).size).toBe(1); // flat once Adam has its moments
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it('is reproducible for a seed, and cancels between steps without a checkpoint', async () => {
    const again = await run({ steps: 16 }, join(dir, 'b'), (step) => step >= 5);
    expect(again.result).toEqual({ status: 'cancelled', step: 5, checkpoint: null });
    expect(again.losses).toEqual(first.losses.slice(0, 5));
  });

  it('writes a Hugging Face-layout checkpoint that scores like the final validation pass', () => {
    const { result } = first;
    if (result.status !== 'completed') throw new Error('the first run did not complete');
    expect(result.checkpoint).toMatchObject({ step: 16, path: join(dir, 'a', 'step-000016.safetensors') });
    const file = readSafetensors(result.checkpoint.path);
    expect(file.metadata).toMatchObject({ format: LLAMA_CHECKPOINT_FORMAT, step: '16' });
    expect(JSON.parse(file.metadata.llama)).toMatchObject({ model_type: 'llama', hidden_size: 64, num_key_value_heads: 4, tie_word_embeddings: true });
    const names = file.tensors.map((t) => t.name);
    expect(names).toContain('model.layers.4.self_attn.k_proj.weight');
    expect(names).not.toContain('lm_head.weight'); // tied
    expect(file.tensors.find((t) => t.name === 'model.layers.0.mlp.gate_proj.weight')!.shape).toEqual([172, 64]); // (out, in)

    const tuned = readLlamaCheckpoint(result.checkpoint.path);
    const score = scoreLlama(tuned, tokenizer, VALIDATION);
    expect(Math.abs(score.loss - first.valLoss.get(16)!)).toBeLessThan(1e-4);
    expect(() => scoreLlama(tuned, tokenizer, [' ', ''])).toThrow(/blank/);
    const inference = tuned.toInference();
    const viaCache = scoreLlama(inference, tokenizer, VALIDATION); // the KV model's full-sequence forward
    expect(viaCache.tokens).toBe(score.tokens);
    expect(Math.abs(viaCache.loss - score.loss)).toBeLessThan(1e-4);
    inference.dispose();
    tuned.dispose();
  });

  it('smooths labels in the training loss only: val_loss of the base is unchanged', async () => {
    const smoothed = await run({ steps: 1, labelSmoothing: 0.1 }, join(dir, 'smooth'));
    expect(smoothed.valLoss.get(0)).toBe(first.valLoss.get(0));
    expect(smoothed.losses[0]).toBeGreaterThan(first.losses[0] + 0.05); // a uniform share of the target costs ~ε·(ln V − loss)
  });

  it('stops early once val_loss on unlike texts stops improving, with a final checkpoint there', async () => {
    const generic = ['Once upon a time, there was a little girl named Lily. She loved to play outside in the park with her mom.', 'Tom had a big red ball. He liked to throw it high in the sky. One day the ball got stuck in a tree.'];
    const config = resolveTrainConfig('quick', { ...SMALL, steps: 40, learningRate: 1e-2, evalEvery: 2, earlyStoppingPatience: 2 });
    const logs: string[] = [];
    const result = await fineTuneLlama({ basePath: BASE, texts: TRAIN, validation: generic, config, checkpointDir: join(dir, 'early'), onLog: (_, m) => logs.push(m) });
    if (result.status !== 'completed') throw new Error('the run did not complete');
    expect(result.step).toBeLessThan(40);
    expect(result.stoppedEarly!.bestStep).toBe(result.step - 4);
    expect(result.checkpoint).toMatchObject({ step: result.step, path: join(dir, 'early', checkpointFileName(result.step)) });
    expect(logs.some((l) => l.startsWith(`Stopped early after step ${result.step}`))).toBe(true);
  });

  it('says why it cannot fine-tune on too little text', async () => {
    const config = resolveTrainConfig('quick', { ...SMALL, steps: 2 });
    const attempt = (texts: string[]) => fineTuneLlama({ basePath: BASE, texts, validation: [], config, checkpointDir: join(dir, 'c') });
    await expect(attempt(['', '  '])).rejects.toThrow(/no non-empty training texts/);
    await expect(attempt(['Only one story.'])).rejects.toThrow(/one training text and no validation texts/);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it("stores q_proj in HF's rotate-half row order and reads back llama2.c's exact weights", () => {
    const { config, weights } = loadLlama2cCheckpoint(join(BASE, 'stories260K.bin'));
    const base = new LlamaTrainable(config, weights);
    const path = join(dir, 'base.safetensors');
    writeLlamaCheckpoint(base, path, { step: '0' });
    const q = readSafetensors(path).tensors.find((t) => t.name === 'model.layers.0.self_attn.q_proj.weight')!;
    const C = 64;
    // head 0, hs 8: HF row 1 (first half, pair 1) is llama2.c row 2; HF row 4 (second half, pair 0) is row 1
    expect(Array.from(q.data.subarray(1 * C, 2 * C))).toEqual(Array.from(weights.wq[0].subarray(2 * C, 3 * C)));
    expect(Array.from(q.data.subarray(4 * C, 5 * C))).toEqual(Array.from(weights.wq[0].subarray(1 * C, 2 * C)));
    const reread = readLlamaCheckpoint(path);
    const back = reread.toWeights();
    reread.dispose();
    expect(back.wq[0]).toEqual(weights.wq[0]);
    expect(back.wk[4]).toEqual(weights.wk[4]);
    expect(back.w2[2]).toEqual(weights.w2[2]);
    const inference = LlamaModel.fromCheckpoint({ config, weights: back });
    expect(inference.parameterCount).toBe(260_032);
    inference.dispose();
    base.dispose();
  });
});
