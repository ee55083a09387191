// Fine-tuning a pretrained llama2.c model (stories260K in resources/models/stories260k) on a user's texts: every
// weight trained, Adam (β2 0.99) with linear warmup then cosine decay (learningRateAt, shared with the char model's
// loop), global-norm gradient clipping, optional decoupled weight decay on the matrices. Metrics: loss, lr, grad_norm,
// tokens_per_s every logEvery steps; val_loss at step 0 (the base model), every evalEvery steps and at the end, on at
// most evalBatches × batchSize validation rows (whole documents, so it equals scoreLlama on those texts).
// Seeded: the same seed and backend give the same losses. config.dropout is not used (the base was trained with it,
// but few steps on few texts do not need it). The loop yields between steps for pause / resume / cancel.
import { join } from 'node:path';
import type { TrainConfig } from '../../../common/config';
import { badInput } from '../../../common/result';
import { checkpointFileName, type CheckpointInfo } from '../checkpoint';
import { learningRateAt } from '../loop';
import { rngFor, shuffle } from '../rng';
import * as tf from '../tfjs';
import { writeLlamaCheckpoint } from './llamaCheckpoint';
import { scoringBatches, tokenizeDocuments, trainingStream, windowSampler, type LlamaBatch } from './llamaData';
import { LlamaTrainable } from './llamaTrainable';
import { meanLoss } from './score';
import { SentencePieceTokenizer } from './sentencePieceTokenizer';

/** The files of a llama2.c base folder (resources/models/stories260k). */
export const LLAMA_BASE_FILES = { weights: 'stories260K.bin', tokenizer: 'tok512.bin' };

const ADAM_BETA1 = 0.9;
const ADAM_BETA2 = 0.99;
const ADAM_EPSILON = 1e-8;

export interface FineTuneLlamaOptions {
  basePath: string; // folder holding LLAMA_BASE_FILES
  texts: string[]; // training documents
  validation: string[]; // held-out documents; when empty, validationFraction of `texts` (at least 1) is held out
  config: TrainConfig; // steps, batchSize, contextLength (capped at the base's 512), learningRate, warmupSteps, …
  checkpointDir: string;
  onMetrics?(step: number, values: Record<string, number>): void;
  onLog?(level: 'info' | 'warn', message: string): void;
  /** Checkpoints written every checkpointEvery steps before the last; the final one is in the result. */
  onCheckpoint?(checkpoint: CheckpointInfo): void;
  shouldStop?(): boolean;
  waitWhilePaused?(): Promise<void>;
  now?: () => number; // milliseconds, for tokens_per_s
}

export type FineTuneLlamaResult = { status: 'completed'; step: number; checkpoint: CheckpointInfo } | { status: 'cancelled'; step: number; checkpoint: null };

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Training and validation documents as token ids; holds out part of the training texts when needed. */
function splitDocuments(o: FineTuneLlamaOptions, tokenizer: SentencePieceTokenizer, log: FineTuneLlamaOptions['onLog']) {
  let train = tokenizeDocuments(tokenizer, o.texts);
  let validation = tokenizeDocuments(tokenizer, o.validation);
  if (train.length === 0) throw badInput('The dataset has no non-empty training texts to fine-tune on.');
  if (validation.length === 0) {
    if (train.length < 2) throw badInput('The dataset has one training text and no validation texts; add texts so some can be held out for validation.');
    const held = Math.min(train.length - 1, Math.max(1, Math.round(train.length * o.config.validationFraction)));
    train = shuffle([...train], rngFor(o.config.seed, 'split'));
    validation = train.slice(train.length - held);
    train = train.slice(0, train.length - held);
    log?.('info', `Validation uses ${held} of the ${train.length + held} training texts, chosen at random, because the dataset has no validation split.`);
  }
  return { train, validation };
}

/** One Adam step; returns the loss and the gradient norm before clipping (the caller disposes them). */
function trainStep(model: LlamaTrainable, optimizer: tf.Optimizer, batch: LlamaBatch, config: TrainConfig, lr: number): { loss: tf.Scalar; gradNorm: tf.Scalar } {
  const vars = [...model.params.values()];
  const shape: [number, number] = [batch.B, batch.T];
  const { value: loss, grads } = tf.variableGrads(
    () => tf.tidy(() => model.lossOn(tf.tensor2d(batch.inputs, shape, 'int32'), tf.tensor2d(batch.targets, shape, 'int32'))),
    vars,
  );
  const gradNorm = tf.tidy(() => tf.sqrt(tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g))))) as tf.Scalar);
  const scaled = tf.tidy(() => {
    if (config.gradClip <= 0) return { ...grads };
    const scale = tf.minimum(1, tf.div(config.gradClip, tf.add(gradNorm, 1e-6)));
    const out: tf.NamedTensorMap = {};
    for (const [name, g] of Object.entries(grads)) out[name] = tf.mul(g, scale);
    return out;
  });
  optimizer.applyGradients(scaled);
  if (config.weightDecay > 0) {
    const keep = 1 - lr * config.weightDecay;
    for (const v of vars) if (v.rank === 2) tf.tidy(() => v.assign(tf.mul(v, keep)));
  }
  tf.dispose([grads, scaled].flatMap((m) => Object.values(m)));
  return { loss: loss as tf.Scalar, gradNorm };
}

export async function fineTuneLlama(o: FineTuneLlamaOptions): Promise<FineTuneLlamaResult> {
  const { config } = o;
  const now = o.now ?? (() => performance.now());
  const model = LlamaTrainable.fromCheckpoint(join(o.basePath, LLAMA_BASE_FILES.weights));
  const optimizer = tf.train.adam(learningRateAt(1, config), ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON);
  try {
    const tokenizer = SentencePieceTokenizer.load(join(o.basePath, LLAMA_BASE_FILES.tokenizer), model.config.vocabSize);
    const { train, validation } = splitDocuments(o, tokenizer, o.onLog);
    const stream = trainingStream(train);
    let T = Math.min(config.contextLength, model.config.seqLen);
    if (config.contextLength > model.config.seqLen) o.onLog?.('info', `contextLength ${config.contextLength} is more than the base model's context; using ${model.config.seqLen}.`);
    if (stream.length < T + 1) {
      T = stream.length - 1;
      o.onLog?.('info', `The training texts are ${stream.length} tokens in all, fewer than contextLength + 1; training windows are ${T} tokens.`);
    }
    if (T < 1) throw badInput('The training texts are too short to fine-tune on: they need at least one token.');
    const nextBatch = windowSampler(stream, config.batchSize, T, config.seed);
    // Whole documents (up to the base's context), as scoreLlama scores them: val_loss = scoreLlama(validation texts).
    const validationBatches = scoringBatches(validation, model.config.seqLen, config.batchSize, config.evalBatches * config.batchSize);
    o.onLog?.('info', `Fine-tuning ${model.parameterCount.toLocaleString('en-US')} parameters on ${stream.length.toLocaleString('en-US')} tokens from ${train.length} texts (windows of ${T}); validation: ${validation.length} texts.`);
    o.onMetrics?.(0, { val_loss: meanLoss(model, validationBatches).loss });

    const setLearningRate = (lr: number) => {
      (optimizer as unknown as { learningRate: number }).learningRate = lr; // read by every applyGradients
    };
    const saveAt = (step: number): CheckpointInfo => {
      const path = join(o.checkpointDir, checkpointFileName(step));
      const metadata = { step: String(step), base: 'stories260k', config: JSON.stringify(config) };
      return { step, path, bytes: writeLlamaCheckpoint(model, path, metadata).bytes };
    };
    let step = 0;
    let windowStart = now();
    let windowTokens = 0;
    while (step < config.steps) {
      await yieldToEventLoop();
      if (o.shouldStop?.()) return { status: 'cancelled', step, checkpoint: null };
      if (o.waitWhilePaused) {
        const pausedAt = now();
        await o.waitWhilePaused();
        windowStart += now() - pausedAt;
        if (o.shouldStop?.()) return { status: 'cancelled', step, checkpoint: null };
      }
      const s = step + 1;
      const lr = learningRateAt(s, config);
      setLearningRate(lr);
      const { loss, gradNorm } = trainStep(model, optimizer, nextBatch(), config, lr);
      step = s;
      windowTokens += config.batchSize * T;
      const isLast = s === config.steps;
      const values: Record<string, number> = {};
      try {
        if (s === 1 || s % config.logEvery === 0 || isLast) {
          const l = loss.dataSync()[0];
          if (!Number.isFinite(l)) throw new Error(`Training diverged: the loss is ${l} at step ${s}; lower learningRate (now ${config.learningRate}).`);
          const seconds = Math.max(1e-6, (now() - windowStart) / 1000);
          Object.assign(values, { loss: l, lr, grad_norm: gradNorm.dataSync()[0], tokens_per_s: windowTokens / seconds });
          windowTokens = 0;
          windowStart = now();
        }
      } finally {
        tf.dispose([loss, gradNorm]);
      }
      const busyFrom = now();
      if (s % config.evalEvery === 0 || isLast) values.val_loss = meanLoss(model, validationBatches).loss;
      if (Object.keys(values).length > 0) o.onMetrics?.(s, values);
      if (isLast) return { status: 'completed', step, checkpoint: saveAt(s) };
      if (config.checkpointEvery > 0 && s % config.checkpointEvery === 0) o.onCheckpoint?.(saveAt(s));
      windowStart += now() - busyFrom;
    }
    return { status: 'completed', step, checkpoint: saveAt(step) }; // steps ≥ 1, so the loop returned already
  } finally {
    optimizer.dispose();
    model.dispose();
  }
}
