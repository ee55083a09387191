// Fine-tuning a pretrained llama2.c model (stories260K in resources/models/stories260k) on a user's texts, by one of
// three methods: full (every weight), freeze (only the top trainLayers blocks and the final norm; the tied embedding
// stays frozen, since it is also the input of the frozen lower blocks) or lora (low-rank adapters, lora.ts; the base
// frozen). Optimisation is optimizer.ts's, shared with the char model's loop: AdamW (decay on matrices, not norms or
// the embedding), the warmup + cosine / linear / constant schedule, gradAccumulation micro-batches per step, global-
// norm clipping, label smoothing in the training loss, early stopping on val_loss. Metrics: loss, lr, grad_norm,
// tokens_per_s every logEvery steps; val_loss (plain cross-entropy) at step 0 (the base model), every evalEvery steps
// and at the end, on at most evalBatches × batchSize validation rows (whole documents, so it equals scoreLlama on
// those texts). Checkpoints hold the merged weights in HF layout; a lora run also writes its adapters beside each.
// Seeded: the same seed and backend give the same losses. config.dropout is not used (the base was trained with it,
// but few steps on few texts do not need it). The loop yields between steps for pause / resume / cancel.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TrainConfig } from '../../../common/config';
import { badInput } from '../../../common/result';
import { checkpointFileName, type CheckpointInfo } from '../checkpoint';
import { AdamW, countParameters, EarlyStopping, learningRateAt } from '../optimizer';
import { rngFor, shuffle } from '../rng';
import { StepClock, type StepControl } from '../stepClock';
import * as tf from '../tfjs';
import { writeLlamaCheckpoint } from './llamaCheckpoint';
import { scoringBatches, tokenizeDocuments, trainingStream, windowSampler, type LlamaBatch } from './llamaData';
import { readHfLlama } from '../hfModel';
import { EMBED, LlamaTrainable } from './llamaTrainable';
import { LoraAdapters, loraFileFor, writeLoraAdapters } from './lora';
import { meanLoss } from './score';
import { SentencePieceTokenizer } from './sentencePieceTokenizer';

/** The files of a llama2.c base folder (resources/models/stories260k). */
export const LLAMA_BASE_FILES = { weights: 'stories260K.bin', tokenizer: 'tok512.bin' };

export interface FineTuneLlamaOptions extends StepControl {
  basePath: string; // folder holding LLAMA_BASE_FILES
  texts: string[]; // training documents
  validation: string[]; // held-out documents; when empty, validationFraction of `texts` (at least 1) is held out
  config: TrainConfig; // steps, batchSize, contextLength (capped at the base's 512), learningRate, warmupSteps, …
  checkpointDir: string;
  onMetrics?(step: number, values: Record<string, number>): void;
  onLog?(level: 'info' | 'warn', message: string): void;
  /** Checkpoints written every checkpointEvery steps before the last; the final one is in the result. */
  onCheckpoint?(checkpoint: CheckpointInfo): void;
  now?: () => number; // milliseconds, for tokens_per_s
}

/** 'completed' also when early stopping ended the run before config.steps (stoppedEarly says where the best was). */
export type FineTuneLlamaResult =
  | { status: 'completed'; step: number; checkpoint: CheckpointInfo; stoppedEarly?: { bestStep: number; bestValLoss: number } }
  | { status: 'cancelled'; step: number; checkpoint: null };

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

/** Decay on the projections (and LoRA's A, B, an untied lm_head), not on norms or the embedding table. */
export const decaysLlamaWeight = (name: string, variable: tf.Variable): boolean => variable.rank === 2 && name !== EMBED;

/** What a method trains: weights by name (adapters for lora, attached to the model) and a line saying so. */
export interface TrainedWeights {
  params: Map<string, tf.Variable>;
  adapters: LoraAdapters | null;
  description: string;
}

/** Chooses the weights config.method trains; for lora, makes the adapters and attaches them (the caller disposes them). */
export function weightsToTrain(model: LlamaTrainable, config: TrainConfig): TrainedWeights {
  const total = model.parameterCount;
  const share = (n: number) => `${n.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} parameters (${((100 * n) / total).toFixed(1)}%)`;
  if (config.method === 'lora') {
    const adapters = new LoraAdapters(model, config);
    model.setAdapter(adapters);
    const where = config.loraTargets === 'attention' ? 'q, k, v, o' : 'q, k, v, o, gate, up, down';
    const description = `Method lora (rank ${config.loraRank}, alpha ${config.loraAlpha}, on ${where} of every block): training ${adapters.parameterCount.toLocaleString('en-US')} adapter parameters, ${((100 * adapters.parameterCount) / total).toFixed(1)}% of the base's ${total.toLocaleString('en-US')}, which stay frozen.`;
    return { params: adapters.params, adapters, description };
  }
  if (config.method === 'freeze') {
    const layers = Math.min(config.trainLayers, model.config.nLayers);
    const params = model.topLayerParams(layers);
    const capped = config.trainLayers > layers ? ` (trainLayers ${config.trainLayers} is more than the base's ${layers} blocks)` : '';
    return { params, adapters: null, description: `Method freeze: training the top ${layers} of ${model.config.nLayers} blocks and the final norm${capped}, ${share(countParameters(params))}; the embedding and lower blocks stay frozen.` };
  }
  if (config.method !== 'full') throw badInput(`Training method '${config.method}' does not apply to the stories260k base; choose full, freeze or lora.`);
  return { params: new Map(model.params), adapters: null, description: `Method full: training all ${total.toLocaleString('en-US')} parameters.` };
}

/** The micro-batches' mean next-token loss, label-smoothed as configured (no mask: training windows are full). */
function windowLoss(model: LlamaTrainable, batch: LlamaBatch, labelSmoothing: number): tf.Scalar {
  return tf.tidy(() => {
    const shape: [number, number] = [batch.B, batch.T];
    return model.lossOn(tf.tensor2d(batch.inputs, shape, 'int32'), tf.tensor2d(batch.targets, shape, 'int32'), undefined, labelSmoothing);
  });
}

/**
 * The base to fine-tune: stories260K's llama2.c files (LLAMA_BASE_FILES), or an imported Hugging Face Llama folder
 * (config.json, model.safetensors, tokenizer.model).
 */
function loadBase(folder: string): { model: LlamaTrainable; tokenizer: () => SentencePieceTokenizer; name: string } {
  if (existsSync(join(folder, 'config.json'))) {
    const { config, weights, tokenizer } = readHfLlama(folder);
    return { model: new LlamaTrainable(config, weights), tokenizer: () => tokenizer, name: `the imported model in ${folder}` };
  }
  const model = LlamaTrainable.fromCheckpoint(join(folder, LLAMA_BASE_FILES.weights));
  return { model, tokenizer: () => SentencePieceTokenizer.load(join(folder, LLAMA_BASE_FILES.tokenizer), model.config.vocabSize), name: 'stories260K' };
}

export async function fineTuneLlama(o: FineTuneLlamaOptions): Promise<FineTuneLlamaResult> {
  const { config } = o;
  const now = o.now ?? (() => performance.now());
  const base = loadBase(o.basePath);
  const model = base.model;
  let trained: TrainedWeights | null = null;
  let optimizer: AdamW | null = null;
  try {
    trained = weightsToTrain(model, config);
    optimizer = new AdamW(trained.params, config, decaysLlamaWeight);
    const tokenizer = base.tokenizer();
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
    o.onLog?.('info', `Fine-tuning ${base.name} on ${stream.length.toLocaleString('en-US')} tokens from ${train.length} texts (windows of ${T}); validation: ${validation.length} texts.`);
    o.onLog?.('info', trained.description);
    o.onMetrics?.(0, { val_loss: meanLoss(model, validationBatches).loss });

    const adapters = trained.adapters;
    const saveAt = (step: number): CheckpointInfo => {
      const path = join(o.checkpointDir, checkpointFileName(step));
      const metadata = { step: String(step), base: 'stories260k', config: JSON.stringify(config) };
      const { bytes } = writeLlamaCheckpoint(model, path, metadata);
      if (adapters) writeLoraAdapters(adapters, model, loraFileFor(path), { step: String(step), base: 'stories260k' });
      return { step, path, bytes };
    };
    const micro = config.gradAccumulation;
    const stopping = new EarlyStopping(config.earlyStoppingPatience);
    let step = 0;
    const clock = new StepClock(now);
    while (step < config.steps) {
      if (!(await clock.readyForStep(o))) return { status: 'cancelled', step, checkpoint: null };
      const s = step + 1;
      const lr = learningRateAt(s, config);
      const batches = Array.from({ length: micro }, () => nextBatch());
      const result = optimizer.step((i) => windowLoss(model, batches[i], config.labelSmoothing), lr);
      step = s;
      const values = await clock.afterStep(result, s, lr, micro * config.batchSize * T, config);
      // evaluation and checkpoints do not count against throughput
      const finished = await clock.outside((): FineTuneLlamaResult | null => {
        const isLast = s === config.steps;
        let stopsEarly = false;
        if (s % config.evalEvery === 0 || isLast) {
          values.val_loss = meanLoss(model, validationBatches).loss;
          stopsEarly = stopping.observe(s, values.val_loss);
        }
        if (Object.keys(values).length > 0) o.onMetrics?.(s, values);
        if (isLast) return { status: 'completed', step, checkpoint: saveAt(s) };
        if (stopsEarly) {
          o.onLog?.('info', stopping.message(s));
          return { status: 'completed', step, checkpoint: saveAt(s), stoppedEarly: { bestStep: stopping.bestStep, bestValLoss: stopping.bestLoss } };
        }
        if (config.checkpointEvery > 0 && s % config.checkpointEvery === 0) o.onCheckpoint?.(saveAt(s));
        return null;
      });
      if (finished) return finished;
    }
    return { status: 'completed', step, checkpoint: saveAt(step) }; // steps ≥ 1, so the loop returned already
  } finally {
    optimizer?.dispose();
    model.setAdapter(null);
    trained?.adapters?.dispose();
    model.dispose();
  }
}
