// Turning TrainData into batches. Generation: the training rows joined with '\n' form one token stream, sampled as
// random windows of contextLength + 1 (inputs = window[0..T), targets = window[1..T]). For prompt → completion texts
// (data.promptChars) a parallel stream marks the tokens the loss counts: each text's completion and the '\n' that
// ends it, not its prompt; every window carries that mask over its targets, validation windows too. Classification:
// each text cut or padded to contextLength with a mask, rows drawn in shuffled epochs. Validation batches are fixed
// once, so val_loss is comparable across evaluations. All sampling is seeded.
import type { TrainConfig } from '../../common/config';
import type { TrainData } from '../../common/protocol';
import { badInput } from '../../common/result';
import { rngFor, shuffle, type Rng } from './rng';
import { fitTokenizer, type ModelTokenizer } from './modelTokenizer';

/** Next-token prediction: inputs and targets are (B, T) row-major. */
export interface LmBatch {
  kind: 'lm';
  B: number;
  T: number;
  inputs: Int32Array;
  targets: Int32Array;
  /** (B, T): 1 where the target counts in the loss (a completion token), 0 on prompt tokens; absent: every target. */
  lossMask?: Float32Array;
}

/** Classification: inputs (B, T) padded with <pad>, mask (B, T) 1 on real tokens, labels (B). */
export interface ClassBatch {
  kind: 'class';
  B: number;
  T: number;
  inputs: Int32Array;
  mask: Float32Array;
  labels: Int32Array;
}

export type Batch = LmBatch | ClassBatch;

export interface PreparedData {
  tokenizer: ModelTokenizer;
  labels: string[]; // [] for generation
  nextTrainBatch(): Batch;
  validation: Batch[];
  /** Tokens a training batch feeds the model (B·T), for tokens_per_s. */
  tokensPerBatch: number;
}

export type LogFn = (level: 'info' | 'warn', message: string) => void;

export function prepareData(data: TrainData, config: TrainConfig, log: LogFn): PreparedData {
  return data.task === 'generate' ? prepareGeneration(data, config, log) : prepareClassification(data, config, log);
}

/** A split's texts as one token stream, and for prompt → completion texts 1 on each token the loss counts. */
export interface TokenStream {
  tokens: Int32Array;
  trained: Uint8Array | null;
}

/**
 * The texts joined with '\n' and encoded. With `promptChars`, each text's prompt and completion are encoded apart (the
 * same tokens for characters; a BPE word never spans the two), the completion and the following '\n' marked trained.
 */
function encodeStream(tokenizer: ModelTokenizer, texts: readonly string[], promptChars?: readonly number[]): TokenStream {
  if (!promptChars) return { tokens: tokenizer.encode(texts.join('\n')), trained: null };
  const pieces: { ids: Int32Array; trained: boolean }[] = [];
  texts.forEach((text, i) => {
    if (i > 0) pieces.push({ ids: tokenizer.encode('\n'), trained: true });
    pieces.push({ ids: tokenizer.encode(text.slice(0, promptChars[i])), trained: false });
    pieces.push({ ids: tokenizer.encode(text.slice(promptChars[i])), trained: true });
  });
  const tokens = new Int32Array(pieces.reduce((n, p) => n + p.ids.length, 0));
  const trained = new Uint8Array(tokens.length);
  let at = 0;
  for (const piece of pieces) {
    tokens.set(piece.ids, at);
    if (piece.trained) trained.fill(1, at, at + piece.ids.length);
    at += piece.ids.length;
  }
  return { tokens, trained };
}

const sliceStream = (s: TokenStream, from: number, to?: number): TokenStream => ({ tokens: s.tokens.slice(from, to), trained: s.trained?.slice(from, to) ?? null });

/** The log line for a stream with prompt tokens, from its marks (one per token); both training loops write it. */
export function completionsOnlyNote(trained: Uint8Array): string {
  const prompt = trained.reduce((n, t) => n + (1 - t), 0);
  return `Loss on completions only: ${prompt.toLocaleString('en-US')} of ${trained.length.toLocaleString('en-US')} tokens are prompt and not trained.`;
}

function prepareGeneration(data: Extract<TrainData, { task: 'generate' }>, config: TrainConfig, log: LogFn): PreparedData {
  const { contextLength: T, batchSize: B, validationFraction } = config;
  const tokenizer = fitTokenizer([...data.train, '\n'], config);
  let train = encodeStream(tokenizer, data.train, data.promptChars?.train);
  let validation = encodeStream(tokenizer, data.validation, data.promptChars?.validation);
  if (validation.tokens.length < T + 1) {
    const n = train.tokens.length;
    const held = Math.max(T + 1, Math.ceil(n * validationFraction));
    if (n - held < T + 1) {
      throw badInput(`The training text has ${n} characters, too few for contextLength ${T}: it needs at least ${2 * (T + 1)} (training plus held-out validation); lower contextLength or add text.`);
    }
    const reason = data.validation.length ? `the validation split has fewer than ${T + 1} characters` : 'the dataset has no validation split';
    log('info', `Validation uses the last ${held} of ${n} training characters (${Math.round((held / n) * 100)}%), because ${reason}.`);
    validation = sliceStream(train, n - held);
    train = sliceStream(train, 0, n - held);
  } else if (train.tokens.length < T + 1) {
    throw badInput(`The training text has ${train.tokens.length} characters, fewer than contextLength + 1 = ${T + 1}; lower contextLength or add text.`);
  }
  if (train.trained) log('info', completionsOnlyNote(train.trained));

  const rng = rngFor(config.seed, 'batches');
  const windowBatch = (stream: TokenStream, starts: number[]): LmBatch => {
    const inputs = new Int32Array(starts.length * T);
    const targets = new Int32Array(starts.length * T);
    const lossMask = stream.trained ? new Float32Array(starts.length * T) : undefined;
    starts.forEach((s, b) => {
      inputs.set(stream.tokens.subarray(s, s + T), b * T);
      targets.set(stream.tokens.subarray(s + 1, s + T + 1), b * T);
      lossMask?.set(stream.trained!.subarray(s + 1, s + T + 1), b * T);
    });
    return { kind: 'lm', B: starts.length, T, inputs, targets, ...(lossMask ? { lossMask } : {}) };
  };
  // Evenly spaced windows over the validation stream: evalBatches × B of them.
  const count = config.evalBatches * B;
  const last = validation.tokens.length - (T + 1);
  const starts = Array.from({ length: count }, (_, i) => Math.floor((i * last) / Math.max(1, count - 1)));
  const validationBatches = Array.from({ length: config.evalBatches }, (_, i) => windowBatch(validation, starts.slice(i * B, (i + 1) * B)));
  if (validation.trained && validationBatches.every((b) => !b.lossMask!.some((m) => m > 0))) {
    throw badInput(`The validation windows of contextLength ${T} hold no completion tokens, only prompt; raise contextLength or evalBatches.`);
  }

  return {
    tokenizer,
    labels: [],
    nextTrainBatch: () => windowBatch(train, Array.from({ length: B }, () => rng.int(train.tokens.length - T))),
    validation: validationBatches,
    tokensPerBatch: B * T,
  };
}

interface EncodedRow {
  ids: Int32Array; // at most T tokens, unpadded
  label: number;
}

function prepareClassification(data: Extract<TrainData, { task: 'classify' }>, config: TrainConfig, log: LogFn): PreparedData {
  const { contextLength: T, batchSize: B } = config;
  const L = data.labels.length;
  const check = (rows: { label: number }[], split: string) =>
    rows.forEach((row, i) => {
      if (row.label >= L) throw badInput(`${split} row ${i + 1} has label index ${row.label}, but the dataset has only ${L} labels.`);
    });
  check(data.train, 'Training');
  check(data.validation, 'Validation');
  if (data.train.length === 0) throw badInput('The dataset has no training rows to classify.');

  const tokenizer = fitTokenizer(data.train.map((r) => r.text), config);
  let cut = 0;
  const encode = (row: { text: string; label: number }): EncodedRow => {
    const ids = tokenizer.encode(row.text);
    if (ids.length > T) cut++;
    return { ids: ids.length > T ? ids.slice(0, T) : ids, label: row.label };
  };

  let train = data.train.map(encode);
  if (cut > 0) log('info', `${cut} of ${train.length} training texts are longer than contextLength ${T} characters; the model sees their first ${T}.`);
  let validation = data.validation.map(encode);
  if (validation.length === 0) {
    if (train.length < 2) throw badInput('The dataset has one training row and no validation rows; add rows to hold some out for validation.');
    const held = Math.min(train.length - 1, Math.max(1, Math.ceil(train.length * config.validationFraction)));
    shuffle(train, rngFor(config.seed, 'split'));
    validation = train.slice(train.length - held);
    train = train.slice(0, train.length - held);
    log('info', `Validation uses ${held} of the training rows, chosen at random, because the dataset has no validation split.`);
  }

  const rowsBatch = (rows: EncodedRow[]): ClassBatch => {
    const inputs = new Int32Array(rows.length * T).fill(tokenizer.padId);
    const mask = new Float32Array(rows.length * T);
    const labels = new Int32Array(rows.length);
    rows.forEach((row, b) => {
      inputs.set(row.ids, b * T);
      mask.fill(1, b * T, b * T + row.ids.length);
      labels[b] = row.label;
    });
    return { kind: 'class', B: rows.length, T, inputs, mask, labels };
  };

  const evalRows = validation.slice(0, config.evalBatches * B);
  const validationBatches: ClassBatch[] = [];
  for (let i = 0; i < evalRows.length; i += B) validationBatches.push(rowsBatch(evalRows.slice(i, i + B)));

  return {
    tokenizer,
    labels: [...data.labels],
    nextTrainBatch: epochSampler(train, B, rngFor(config.seed, 'batches'), rowsBatch),
    validation: validationBatches,
    tokensPerBatch: B * T,
  };
}

/** Draws B rows at a time from a reshuffled copy of `rows`, a fresh shuffle each epoch. */
function epochSampler<R, Out>(rows: R[], B: number, rng: Rng, toBatch: (rows: R[]) => Out): () => Out {
  let order: R[] = [];
  return () => {
    const picked: R[] = [];
    while (picked.length < B) {
      if (order.length === 0) order = shuffle([...rows], rng);
      picked.push(order.pop()!);
    }
    return toBatch(picked);
  };
}
