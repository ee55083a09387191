// Fine-tuning any decoder family on a user's texts by full, freeze or lora (methods.ts), through the one training
// loop (trainLoop.ts: AdamW, schedule, gradAccumulation, clipping, early stopping); label smoothing in the loss here.
// Metrics: loss, lr, grad_norm, tokens_per_s every logEvery steps; val_loss at step 0 (the base), every evalEvery
// steps and at the end, on at most evalBatches × batchSize validation rows (whole documents, so it equals
// scoreDecoder on them). Prompt → completion texts train on their completions only. Checkpoints are the family's own
// layout with LoRA merged (checkpoint.ts), Adam's moments beside each, and a lora run's adapters beside those; a run
// resumes from one on the same curve (weights or adapters, moments and the sampler's position come back). Seeded.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TrainConfig } from '../../../common/config';
import { badInput } from '../../../common/result';
import { checkpointFileName, loraFileFor, optimizerFileFor } from '../checkpointFiles';
import { completionsOnlyNote } from '../data';
import { scoringBatches, windowSampler, type LlamaBatch, type LlamaDocument } from '../llama/llamaData';
import { rngFor, shuffle } from '../rng';
import { readSafetensors, writeSafetensors } from '../safetensors';
import type { StepControl } from '../stepClock';
import * as tf from '../tfjs';
import { runTrainLoop, type LoopResult, type SavedCheckpoint, type Trainable } from '../trainLoop';
import { DECODER_CHECKPOINT_FORMAT, loadDecoderCheckpoint, writeDecoderCheckpoint, type DecoderSource } from './checkpoint';
import { decoderDocuments, decoderStream } from './data';
import { DECODER_LORA_FORMAT } from './lora';
import { decaysDecoderWeight, weightsToTrain, type TrainedWeights } from './methods';
import type { DecoderModel } from './model';
import { meanMaskedLoss, scoringContext } from './score';
import type { DecoderTokenizer } from './tokenizer';

/** A base to fine-tune: its model (taken over: disposed at the end), where it came from, its tokenizer and name. */
export interface DecoderBase extends DecoderSource {
  model: DecoderModel;
  tokenizer: DecoderTokenizer;
  name: string; // for logs: 'the imported SmolLM2 in …'
  id: string; // stored in checkpoint metadata (the run's base setting)
}

export interface FineTuneDecoderOptions extends StepControl {
  base: DecoderBase;
  texts: string[];
  validation: string[]; // when empty, validationFraction of `texts` (at least 1) is held out
  promptChars?: { train: readonly number[]; validation: readonly number[] };
  resume?: { checkpoint: string; step: number };
  config: TrainConfig;
  checkpointDir: string;
  onMetrics?(step: number, values: Record<string, number>): void;
  onLog?(level: 'info' | 'warn', message: string): void;
  onCheckpoint?(checkpoint: SavedCheckpoint): void;
  now?: () => number;
}

export type FineTuneDecoderResult = LoopResult;

const OPTIMIZER_FORMAT = `${DECODER_CHECKPOINT_FORMAT}-adam`;

function splitDocuments(o: FineTuneDecoderOptions): { train: LlamaDocument[]; validation: LlamaDocument[] } {
  const tokenizer = o.base.tokenizer;
  let train = decoderDocuments(tokenizer, o.texts, o.promptChars?.train);
  let validation = decoderDocuments(tokenizer, o.validation, o.promptChars?.validation);
  if (train.length === 0) throw badInput('The dataset has no non-empty training texts to fine-tune on.');
  if (validation.length === 0) {
    if (train.length < 2) throw badInput('The dataset has one training text and no validation texts; add texts so some can be held out for validation.');
    const held = Math.min(train.length - 1, Math.max(1, Math.round(train.length * o.config.validationFraction)));
    train = shuffle([...train], rngFor(o.config.seed, 'split'));
    validation = train.slice(train.length - held);
    train = train.slice(0, train.length - held);
    o.onLog?.('info', `Validation uses ${held} of the ${train.length + held} training texts, chosen at random, because the dataset has no validation split.`);
  }
  return { train, validation };
}

function windowLoss(model: DecoderModel, batch: LlamaBatch, labelSmoothing: number, masked: boolean): tf.Scalar {
  return tf.tidy(() => {
    const shape: [number, number] = [batch.B, batch.T];
    const mask = masked ? tf.tensor2d(batch.mask, shape) : undefined;
    return model.lossOn(tf.tensor2d(batch.inputs, shape, 'int32'), tf.tensor2d(batch.targets, shape, 'int32'), mask, labelSmoothing);
  });
}

function readOptimizerState(checkpoint: string) {
  const path = optimizerFileFor(checkpoint);
  if (!existsSync(path)) throw badInput(`${checkpoint} was saved without its optimizer state (${path}); it cannot be resumed.`);
  const { tensors, metadata } = readSafetensors(path);
  if (metadata.format !== OPTIMIZER_FORMAT) throw badInput(`${path} is not a decoder fine-tune's optimizer state (format '${metadata.format ?? 'none'}'); it cannot be resumed.`);
  return tensors;
}

/** The weights a resumed full / freeze run starts from: the checkpoint's, checked to be of the base's shape. */
function resumedModel(path: string, base: DecoderBase): DecoderModel {
  const loaded = loadDecoderCheckpoint(path);
  if (JSON.stringify(loaded.spec) !== JSON.stringify(base.spec)) {
    loaded.model.dispose();
    throw badInput(`${path} does not match this run's base model; it cannot be resumed.`);
  }
  return loaded.model;
}

export async function fineTuneDecoder(o: FineTuneDecoderOptions): Promise<FineTuneDecoderResult> {
  const { config, base, resume } = o;
  let model = base.model;
  let trained: TrainedWeights | null = null;
  try {
    if (resume && config.method !== 'lora') {
      model = resumedModel(resume.checkpoint, base);
      base.model.dispose();
    }
    trained = weightsToTrain(model, config, base.name);
    const { train, validation } = splitDocuments(o);
    const stream = decoderStream(train);
    const n = stream.tokens.length;
    const context = model.spec.maxPositions;
    let T = Math.min(config.contextLength, context);
    if (config.contextLength > context) o.onLog?.('info', `contextLength ${config.contextLength} is more than the base model's context; using ${context}.`);
    if (n < T + 1) {
      T = n - 1;
      o.onLog?.('info', `The training texts are ${n} tokens in all, fewer than contextLength + 1; training windows are ${T} tokens.`);
    }
    if (T < 1) throw badInput('The training texts are too short to fine-tune on: they need at least two tokens.');
    const masked = stream.trained !== null;
    // whole documents, as scoreDecoder scores them: val_loss = scoreDecoder(validation texts)
    const validationBatches = scoringBatches(validation, Math.min(scoringContext(model), Math.max(T, config.contextLength)), config.batchSize, config.evalBatches * config.batchSize);
    o.onLog?.('info', `Fine-tuning ${base.name} on ${n.toLocaleString('en-US')} tokens from ${train.length} texts (windows of ${T}); validation: ${validation.length} texts.`);
    if (stream.trained) o.onLog?.('info', completionsOnlyNote(stream.trained));
    o.onLog?.('info', trained.description);

    const lora = trained.lora;
    if (resume && lora) {
      const path = loraFileFor(resume.checkpoint);
      if (!existsSync(path)) throw badInput(`${resume.checkpoint} was saved without its LoRA adapters (${path}); it cannot be resumed.`);
      const { tensors, metadata } = readSafetensors(path);
      if (metadata.format !== DECODER_LORA_FORMAT) throw badInput(`${path} is not a Tunebench decoder LoRA file; the run cannot be resumed.`);
      lora.restore(tensors, path);
    }
    const tuned = model;
    const trainable: Trainable<LlamaBatch> = {
      params: trained.params,
      decays: decaysDecoderWeight,
      nextBatch: windowSampler(stream, config.batchSize, T, config.seed),
      tokensPerBatch: config.batchSize * T,
      loss: (batch) => windowLoss(tuned, batch, config.labelSmoothing, masked),
      validate: () => ({ val_loss: meanMaskedLoss(tuned, validationBatches).loss }),
      save(s, optimizerState) {
        const path = join(o.checkpointDir, checkpointFileName(s));
        const { bytes } = writeDecoderCheckpoint(tuned, base, lora, path, { step: String(s), base: base.id, config: JSON.stringify(config) });
        if (lora) {
          const meta = { format: DECODER_LORA_FORMAT, step: String(s), rank: String(config.loraRank), alpha: String(config.loraAlpha), targets: config.loraTargets, family: base.family.id };
          writeSafetensors(loraFileFor(path), lora.read(), meta);
        }
        writeSafetensors(optimizerFileFor(path), optimizerState, { format: OPTIMIZER_FORMAT, step: String(s) });
        return { step: s, path, bytes };
      },
    };
    if (resume) o.onLog?.('info', `Resuming after step ${resume.step} from ${resume.checkpoint}.`);
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
    trained?.lora?.dispose();
    model.dispose();
  }
}
