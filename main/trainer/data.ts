// Turning TrainData into batches. Generation: the training rows joined with '\n' form one token stream, sampled as
// random windows of contextLength + 1 (inputs = window[0..T), targets = window[1..T]). Classification: each text cut
// or padded to contextLength with a mask, rows drawn in shuffled epochs. Validation batches are fixed once, so
// val_loss is comparable across evaluations. All sampling is seeded.
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

function prepareGeneration(data: Extract<TrainData, { task: 'generate' }>, config: TrainConfig, log: LogFn): PreparedData {
  const { contextLength: T, batchSize: B, validationFraction } = config;
  const tokenizer = fitTokenizer([...data.train, '\n'], config);
  let train = tokenizer.encode(data.train.join('\n'));
  let validation = tokenizer.encode(data.validation.join('\n'));
  if (validation.length < T + 1) {
    const n = train.length;
    const held = Math.max(T + 1, Math.ceil(n * validationFraction));
    if (n - held < T + 1) {
      throw badInput(`The training text has ${n} characters, too few for contextLength ${T}: it needs at least ${2 * (T + 1)} (training plus held-out validation); lower contextLength or add text.`);
    }
    const reason = data.validation.length ? `the validation split has fewer than ${T + 1} characters` : 'the dataset has no validation split';
    log('info', `Validation uses the last ${held} of ${n} training characters (${Math.round((held / n) * 100)}%), because ${reason}.`);
    validation = train.slice(n - held);
    train = train.slice(0, n - held);
  } else if (train.length < T + 1) {
    throw badInput(`The training text has ${train.length} characters, fewer than contextLength + 1 = ${T + 1}; lower contextLength or add text.`);
  }

  const rng = rngFor(config.seed, 'batches');
  const windowBatch = (tokens: Int32Array, starts: number[]): LmBatch => {
    const inputs = new Int32Array(starts.length * T);
    const targets = new Int32Array(starts.length * T);
    starts.forEach((s, b) => {
      inputs.set(tokens.subarray(s, s + T), b * T);
      targets.set(tokens.subarray(s + 1, s + T + 1), b * T);
    });
    return { kind: 'lm', B: starts.length, T, inputs, targets };
  };
  // Evenly spaced windows over the validation stream: evalBatches × B of them.
  const count = config.evalBatches * B;
  const last = validation.length - (T + 1);
  const starts = Array.from({ length: count }, (_, i) => Math.floor((i * last) / Math.max(1, count - 1)));
  const validationBatches = Array.from({ length: config.evalBatches }, (_, i) => windowBatch(validation, starts.slice(i * B, (i + 1) * B)));

  return {
    tokenizer,
    labels: [],
    nextTrainBatch: () => windowBatch(train, Array.from({ length: B }, () => rng.int(train.length - T))),
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
