// Loss on completions only: pairs / instruction / chat data reach the trainer with each text's prompt length, the
// tokens of the prompt are masked out of the loss (training and validation), and the loss a run reports is the mean
// over the completion tokens alone — checked against an independent computation, for the char GPT from scratch and
// for a stories260K fine-tune.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveTrainConfig, type Overrides } from '../../../common/config';
import type { TrainData } from '../../../common/protocol';
import { openDatabase } from '../../../main/db/database';
import { DatasetService } from '../../../main/services/datasetService';
import { selectBackend } from '../../../main/trainer/backend';
import { prepareData, type LmBatch } from '../../../main/trainer/data';
import { fineTuneLlama } from '../../../main/trainer/llama/fineTune';
import { tokenizeDocuments, trainingStream, windowSampler } from '../../../main/trainer/llama/llamaData';
import { LlamaTrainable } from '../../../main/trainer/llama/llamaTrainable';
import { SentencePieceTokenizer } from '../../../main/trainer/llama/sentencePieceTokenizer';
import { train } from '../../../main/trainer/gpt/loop';
import { GptModel } from '../../../main/trainer/gpt/model';
import * as tf from '../../../main/trainer/tfjs';

const BASE = resolve(__dirname, '../../../resources/models/stories260k');
const hasBase = existsSync(join(BASE, 'stories260K.bin')) && existsSync(join(BASE, 'tok512.bin'));
if (!hasBase) console.warn(`promptMask.test: ${BASE} lacks stories260K.bin or tok512.bin; skipping the Llama checks.`);

const pair = (prompt: string, completion: string) => ({ text: `Prompt: ${prompt}\nResponse: ${completion}`, promptChars: `Prompt: ${prompt}\nResponse: `.length });
const animals = ['goat', 'duck', 'cat', 'dog', 'frog', 'owl', 'fox', 'bee'];
const foods = ['grass', 'bread', 'fish', 'bones', 'flies', 'mice', 'berries', 'honey'];
const PAIRS = Array.from({ length: 16 }, (_, i) => pair(`What does the ${animals[i % 8]} eat on day ${i + 1}?`, `The ${animals[i % 8]} eats ${foods[(i + 1) % 8]} and is happy.`));
const pairsData = (train: typeof PAIRS, validation: typeof PAIRS): TrainData => ({
  task: 'generate',
  train: train.map((p) => p.text),
  validation: validation.map((p) => p.text),
  promptChars: { train: train.map((p) => p.promptChars), validation: validation.map((p) => p.promptChars) },
});

/** −log softmax(logits)[target], averaged over rows whose weight is 1; computed in plain JS. */
function maskedMeanNll(logits: number[][], targets: ArrayLike<number>, weights: ArrayLike<number>): { loss: number; count: number } {
  let sum = 0;
  let count = 0;
  logits.forEach((row, i) => {
    if (weights[i] === 0) return;
    const max = Math.max(...row);
    const logSum = Math.log(row.reduce((s, x) => s + Math.exp(x - max), 0)) + max;
    sum += logSum - row[targets[i]];
    count++;
  });
  return { loss: sum / count, count };
}

describe('prompt lengths from a stored dataset', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunebench-prompt-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('gives each instruction record the length of everything before its output', async () => {
    const db = openDatabase(join(dir, 'data'));
    const service = new DatasetService(db, join(dir, 'data'));
    const records = [
      { instruction: 'Name a colour.', input: '', output: 'Blue.' },
      { instruction: 'Add the numbers.', input: '2 and 3', output: 'Five.' },
      { instruction: 'Say hello.', input: '', output: 'Hello!' },
    ];
    const file = join(dir, 'tasks.json');
    fs.writeFileSync(file, JSON.stringify(records));
    const ds = await service.importFile(file, { split: { train: 1, validation: 0, test: 0 } });
    const data = service.loadTrainData(ds.id);
    db.close();
    expect(data.task).toBe('generate');
    if (data.task !== 'generate') return;
    const outputs = data.train.map((text, i) => text.slice(data.promptChars!.train[i]));
    expect(outputs.sort()).toEqual(['Blue.', 'Five.', 'Hello!']);
    data.train.forEach((text, i) => expect(text.slice(0, data.promptChars!.train[i])).toMatch(/^Instruction: .+\n(Input: .+\n)?Response: $/));
  });
});

describe('loss on completions only, char GPT from scratch (cpu)', () => {
  beforeAll(() => selectBackend('cpu'));

  it('masks exactly the prompt characters of each target window, and the end-of-text newline counts', () => {
    const [a, b] = [pair('What day?', 'The owl eats fish.'), pair('What?', 'The cat is happy.')];
    const joined = `${a.text}\n${b.text}`;
    // one validation window over both texts: target t is character t + 1 of the joined text
    const config = resolveTrainConfig('quick', { contextLength: joined.length - 1, batchSize: 1, evalBatches: 1 });
    const logs: string[] = [];
    const prepared = prepareData(pairsData(PAIRS, [a, b]), config, (_, m) => logs.push(m));
    const batch = prepared.validation[0] as LmBatch;
    const secondStart = a.text.length + 1;
    const expected = Array.from(joined.slice(1), (_, t) => {
      const at = t + 1;
      return at < a.promptChars || (at >= secondStart && at < secondStart + b.promptChars) ? 0 : 1;
    });
    expect(Array.from(batch.lossMask!)).toEqual(expected);
    expect(prepared.tokenizer.decode(batch.targets.filter((_, t) => expected[t] === 1))).toBe(`The owl eats fish.\nThe cat is happy.`);
    const promptChars = PAIRS.reduce((n, p) => n + p.promptChars, 0);
    const total = PAIRS.reduce((n, p) => n + p.text.length, 0) + PAIRS.length - 1;
    expect(logs).toContain(`Loss on completions only: ${promptChars.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} tokens are prompt and not trained.`);
  });

  it('reports a first-step loss equal to the mean over the completion tokens of its batch', async () => {
    const config = resolveTrainConfig('quick', { nLayer: 1, nHead: 2, dModel: 32, contextLength: 48, batchSize: 4, steps: 1, logEvery: 1, evalEvery: 1, evalBatches: 1, backend: 'cpu' });
    const data = pairsData(PAIRS.slice(0, 12), PAIRS.slice(12));
    const shape = (vocabSize: number) => ({ task: 'generate' as const, vocabSize, numLabels: 0, nLayer: 1, nHead: 2, dModel: 32, contextLength: 48, dropout: 0 });
    // independently: the same first batch and the same initial weights, the loss in plain JS
    const again = prepareData(data, config, () => {});
    const batch = again.nextTrainBatch() as LmBatch;
    const reference = new GptModel(shape(again.tokenizer.size), config.seed);
    const logits = tf.tidy(() => reference.lmLogits(reference.hidden(tf.tensor2d(batch.inputs, [batch.B, batch.T], 'int32'), null)).arraySync() as number[][]);
    reference.dispose();
    const want = maskedMeanNll(logits, batch.targets, batch.lossMask!);
    expect(want.count).toBeLessThan(batch.B * batch.T); // the batch holds prompt tokens

    const prepared = prepareData(data, config, () => {});
    const model = new GptModel(shape(prepared.tokenizer.size), config.seed);
    const metrics = new Map<number, Record<string, number>>();
    await train({ model, data: prepared, config, onMetrics: (s, v) => metrics.set(s, v) });
    // val_loss, measured after the step: over the validation window's completion tokens
    const validation = prepared.validation[0] as LmBatch;
    const valLogits = tf.tidy(() => model.lmLogits(model.hidden(tf.tensor2d(validation.inputs, [validation.B, validation.T], 'int32'), null)).arraySync() as number[][]);
    model.dispose();
    expect(metrics.get(1)!.loss).toBeCloseTo(want.loss, 5);
    expect(metrics.get(1)!.val_loss).toBeCloseTo(maskedMeanNll(valLogits, validation.targets, validation.lossMask!).loss, 5);
  });
});

describe.skipIf(!hasBase)('loss on completions only, stories260K fine-tune (wasm)', () => {
  let tokenizer: SentencePieceTokenizer;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunebench-prompt-llama-'));
  beforeAll(async () => {
    await selectBackend('wasm');
    tokenizer = SentencePieceTokenizer.load(join(BASE, 'tok512.bin'), 512);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('marks 0 exactly on the prompt tokens of a tokenized pair', () => {
    const p = pair('What do goats eat?', 'Grass and hay, mostly.');
    const [doc] = tokenizeDocuments(tokenizer, [p.text], [p.promptChars]);
    expect(doc.ids).toEqual(tokenizer.encode(p.text, { bos: true })); // masking does not change the tokens
    const firstCompletion = doc.trained!.indexOf(1, 1);
    expect(Array.from(doc.trained!.subarray(1, firstCompletion)).every((t) => t === 0)).toBe(true);
    expect(Array.from(doc.trained!.subarray(firstCompletion)).every((t) => t === 1)).toBe(true);
    // the prompt's tokens spell the prompt (a space before the completion goes with whichever token holds it)
    const promptText = tokenizer.decode(doc.ids.slice(0, firstCompletion));
    const completionText = tokenizer.decode(doc.ids.slice(firstCompletion), doc.ids[firstCompletion - 1]);
    expect(promptText + completionText).toBe(p.text);
    expect(promptText.trimEnd()).toBe('Prompt: What do goats eat?\nResponse:');
    expect(completionText.trimStart()).toBe('Grass and hay, mostly.');
  });

  it('reports val_loss over the validation completions and a first-step loss over the batch completions', async () => {
    const SMALL: Overrides = { base: 'stories260k', batchSize: 2, contextLength: 32, steps: 1, logEvery: 1, evalEvery: 1, evalBatches: 2, backend: 'wasm' };
    const config = resolveTrainConfig('quick', SMALL);
    const [trainPairs, validationPairs] = [PAIRS.slice(0, 12), PAIRS.slice(12)];
    const data = pairsData(trainPairs, validationPairs) as Extract<TrainData, { task: 'generate' }>;
    const metrics = new Map<number, Record<string, number>>();
    const logs: string[] = [];
    const result = await fineTuneLlama({
      basePath: BASE,
      texts: data.train,
      validation: data.validation,
      promptChars: data.promptChars,
      config,
      checkpointDir: dir,
      onMetrics: (s, v) => metrics.set(s, v),
      onLog: (_, m) => logs.push(m),
    });
    expect(result.status).toBe('completed');

    // independently, with the base's weights: the first window batch, and each validation text on its own
    const base = LlamaTrainable.fromCheckpoint(join(BASE, 'stories260K.bin'));
    const docs = tokenizeDocuments(tokenizer, data.train, data.promptChars!.train);
    const stream = trainingStream(docs);
    const batch = windowSampler(stream, config.batchSize, config.contextLength, config.seed)();
    const logits = tf.tidy(() => tf.reshape(base.logits(tf.tensor2d(batch.inputs, [batch.B, batch.T], 'int32')), [batch.B * batch.T, -1]).arraySync() as number[][]);
    const first = maskedMeanNll(logits, batch.targets, batch.mask);
    expect(first.count).toBeLessThan(batch.B * batch.T);
    expect(metrics.get(1)!.loss).toBeCloseTo(first.loss, 4);

    let sum = 0;
    let count = 0;
    for (const doc of tokenizeDocuments(tokenizer, data.validation, data.promptChars!.validation)) {
      const rows = tf.tidy(() => tf.squeeze(base.logits(tf.tensor2d([doc.ids.slice(0, -1)], [1, doc.ids.length - 1], 'int32')), [0]).arraySync() as number[][]);
      const one = maskedMeanNll(rows, doc.ids.slice(1), doc.trained!.subarray(1));
      sum += one.loss * one.count;
      count += one.count;
    }
    base.dispose();
    expect(metrics.get(0)!.val_loss).toBeCloseTo(sum / count, 4);

    const promptTokens = docs.reduce((n, d) => n + d.trained!.reduce((z, t) => z + (1 - t), 0), 0);
    expect(logs).toContain(`Loss on completions only: ${promptTokens} of ${stream.tokens.length} tokens are prompt and not trained.`);
  });
});
