// Fine-tuning a pretrained llama2.c model (stories260K in resources/models/stories260k) on a user's texts, by one of
// three methods: full (every weight), freeze (only the top trainLayers blocks and the final norm; the tied embedding
// stays frozen, since it is also the input of the frozen lower blocks) or lora (low-rank adapters, lora.ts; the base
// frozen). Training runs through the one loop (trainLoop.ts): AdamW (decay on matrices, not norms or the embedding),
// the warmup + cosine / linear / constant schedule, gradAccumulation micro-batches per step, global-norm clipping,
// early stopping on val_loss; label smoothing in the training loss here. Metrics: loss, lr, grad_norm,
// tokens_per_s every logEvery steps; val_loss (plain cross-entropy) at step 0 (the base model), every evalEvery steps
// and at the end, on at most evalBatches × batchSize validation rows (whole documents, so it equals scoreLlama on
// those texts). Prompt → completion texts (promptChars) are trained and validated on their completions only (see
// llamaData.ts). Checkpoints hold the merged weights in HF layout, with Adam's moments beside each
// (step-N.optimizer.safetensors); a lora run also writes its adapters beside each. A run resumes from a checkpoint:
// the weights (for lora the base, plus the saved adapters), the moments and the sampler's position come back, so the
// curve goes on as if it had never stopped (early stopping counts evaluations afresh, as loop.ts does). Seeded: the
// same seed and backend give the same losses. config.dropout is not used (the base was trained with it, but few steps
// on few texts do not need it). Imported Hugging Face folders of every family train in decoder/fineTune.ts.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TrainConfig } from '../../../common/config';
import { badInput } from '../../../common/result';
import { completionsOnlyNote } from '../data';
import { checkpointFileName, optimizerFileFor } from '../checkpointFiles';
import { countParameters } from '../optimizer';
import { rngFor, shuffle } from '../rng';
import { readSafetensors, writeSafetensors } from '../safetensors';
import type { StepControl } from '../stepClock';
import * as tf from '../tfjs';
import { runTrainLoop, type LoopResult, type SavedCheckpoint, type Trainable } from '../trainLoop';
import { LLAMA_CHECKPOINT_FORMAT, readLlamaCheckpoint, writeLlamaCheckpoint } from './llamaCheckpoint';
import { scoringBatches, tokenizeDocuments, trainingStream, windowSampler, type LlamaBatch } from './llamaData';
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
  /** Prompt → completion texts: characters of each text (of texts, of validation) that are prompt, not trained. */
  promptChars?: { train: readonly number[]; validation: readonly number[] };
  /** Continue after this checkpoint's step (written by an earlier run of the same config, with its optimizer file). */
  resume?: { checkpoint: string; step: number };
  config: TrainConfig; // steps, batchSize, contextLength (capped at the base's 512), learningRate, warmupSteps, …
  checkpointDir: string;
  onMetrics?(step: number, values: Record<string, number>): void;
  onLog?(level: 'info' | 'warn', message: string): void;
  /** Checkpoints written every checkpointEvery steps before the last; the final one is in the result. */
  onCheckpoint?(checkpoint: SavedCheckpoint): void;
  now?: () => number; // milliseconds, for tokens_per_s
}

/** 'completed' also when early stopping ended the run before config.steps (stoppedEarly says where the best was). */
export type FineTuneLlamaResult = LoopResult;

/** Training and validation documents as token ids; holds out part of the training texts when needed. */
function splitDocuments(o: FineTuneLlamaOptions, tokenizer: SentencePieceTokenizer, log: FineTuneLlamaOptions['onLog']) {
  let train = tokenizeDocuments(tokenizer, o.texts, o.promptChars?.train);
  let validation = tokenizeDocuments(tokenizer, o.validation, o.promptChars?.validation);
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

/**
 * A micro-batch's mean next-token loss, label-smoothed as configured: over every target of the (full) windows, or with
 * `masked` over the completion targets the batch's mask marks.
 */
function windowLoss(model: LlamaTrainable, batch: LlamaBatch, labelSmoothing: number, masked: boolean): tf.Scalar {
  return tf.tidy(() => {
    const shape: [number, number] = [batch.B, batch.T];
    const mask = masked ? tf.tensor2d(batch.mask, shape) : undefined;
    return model.lossOn(tf.tensor2d(batch.inputs, shape, 'int32'), tf.tensor2d(batch.targets, shape, 'int32'), mask, labelSmoothing);
  });
}

const OPTIMIZER_FORMAT = `${LLAMA_CHECKPOINT_FORMAT}-adam`;

/** The weights a resumed full / freeze run starts from: the checkpoint's, checked to be a Llama checkpoint of this shape. */
function checkpointModel(path: string, base: LlamaTrainable): LlamaTrainable {
  const model = readLlamaCheckpoint(path);
  if (JSON.stringify(model.config) !== JSON.stringify(base.config)) {
    model.dispose();
    throw badInput(`${path} does not match this run's base model; it cannot be resumed.`);
  }
  return model;
}

/** The Adam moments saved beside a checkpoint. */
function readOptimizerState(checkpoint: string) {
  const path = optimizerFileFor(checkpoint);
  if (!existsSync(path)) throw badInput(`${checkpoint} was saved without its optimizer state (${path}); it cannot be resumed.`);
  const { tensors, metadata } = readSafetensors(path);
  if (metadata.format !== OPTIMIZER_FORMAT) throw badInput(`${path} is not a Llama fine-tune's optimizer state (format '${metadata.format ?? 'none'}'); it cannot be resumed.`);
  return tensors;
}

/** The base to fine-tune: stories260K's llama2.c files (LLAMA_BASE_FILES); imported folders train in decoder/. */
function loadBase(folder: string): { model: LlamaTrainable; tokenizer: () => SentencePieceTokenizer; name: string } {
  const model = LlamaTrainable.fromCheckpoint(join(folder, LLAMA_BASE_FILES.weights));
  return { model, tokenizer: () => SentencePieceTokenizer.load(join(folder, LLAMA_BASE_FILES.tokenizer), model.config.vocabSize), name: 'stories260K' };
}

export async function fineTuneLlama(o: FineTuneLlamaOptions): Promise<FineTuneLlamaResult> {
  const { config } = o;
  const now = o.now ?? (() => performance.now());
  const base = loadBase(o.basePath);
  const { resume } = o;
  // a resumed full / freeze run starts from the checkpoint's weights; lora from the base, its adapters restored below
  let model = base.model;
  let trained: TrainedWeights | null = null;
  try {
    if (resume && config.method !== 'lora') {
      model = checkpointModel(resume.checkpoint, base.model);
      base.model.dispose();
    }
    trained = weightsToTrain(model, config);
    const tokenizer = base.tokenizer();
    const { train, validation } = splitDocuments(o, tokenizer, o.onLog);
    const stream = trainingStream(train);
    const n = stream.tokens.length;
    let T = Math.min(config.contextLength, model.config.seqLen);
    if (config.contextLength > model.config.seqLen) o.onLog?.('info', `contextLength ${config.contextLength} is more than the base model's context; using ${model.config.seqLen}.`);
    if (n < T + 1) {
      T = n - 1;
      o.onLog?.('info', `The training texts are ${n} tokens in all, fewer than contextLength + 1; training windows are ${T} tokens.`);
    }
    if (T < 1) throw badInput('The training texts are too short to fine-tune on: they need at least one token.');
    const nextBatch = windowSampler(stream, config.batchSize, T, config.seed);
    const masked = stream.trained !== null;
    // Whole documents (up to the base's context), as scoreLlama scores them: val_loss = scoreLlama(validation texts)
    // (over the completions only, for prompt → completion texts).
    const validationBatches = scoringBatches(validation, model.config.seqLen, config.batchSize, config.evalBatches * config.batchSize);
    o.onLog?.('info', `Fine-tuning ${base.name} on ${n.toLocaleString('en-US')} tokens from ${train.length} texts (windows of ${T}); validation: ${validation.length} texts.`);
    if (stream.trained) o.onLog?.('info', completionsOnlyNote(stream.trained));
    o.onLog?.('info', trained.description);

    const adapters = trained.adapters;
    if (resume) {
      adapters?.restorePeft(model, loraFileFor(resume.checkpoint));
      o.onLog?.('info', `Resuming after step ${resume.step} from ${resume.checkpoint}.`);
    }
    const tuned = model;
    const trainable: Trainable<LlamaBatch> = {
      params: trained.params,
      decays: decaysLlamaWeight,
      nextBatch,
      tokensPerBatch: config.batchSize * T,
      loss: (batch) => windowLoss(tuned, batch, config.labelSmoothing, masked),
      validate: () => ({ val_loss: meanLoss(tuned, validationBatches).loss }),
      save(s, optimizerState) {
        const path = join(o.checkpointDir, checkpointFileName(s));
        const metadata = { step: String(s), base: 'stories260k', config: JSON.stringify(config) };
        const { bytes } = writeLlamaCheckpoint(tuned, path, metadata);
        if (adapters) writeLoraAdapters(adapters, tuned, loraFileFor(path), { step: String(s), base: 'stories260k' });
        writeSafetensors(optimizerFileFor(path), optimizerState, { format: OPTIMIZER_FORMAT, step: String(s) });
        return { step: s, path, bytes };
      },
    };
    return await runTrainLoop(trainable, {
      config,
      validateAtStart: true,
      ...(resume ? { resume: { step: resume.step, optimizerState: readOptimizerState(resume.checkpoint) } } : {}),
      onMetrics: o.onMetrics,
      onLog: o.onLog,
      onCheckpoint: o.onCheckpoint,
      shouldStop: o.shouldStop,
      waitWhilePaused: o.waitWhilePaused,
      now: o.now,
    });
  } finally {
    model.setAdapter(null);
    trained?.adapters?.dispose();
    model.dispose();
  }
}
