// A checkpoint: every model weight as float32 in one safetensors file, with what is needed to use it again (config,
// tokenizer, task, labels, step) as JSON strings in __metadata__.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TrainConfig } from '../../../common/config';
import type { Task } from '../../../common/protocol';
import type { GptModel } from './model';
import { badInput } from '../../../common/result';
import { CHECKPOINT_FORMAT, checkpointFileName, optimizerFileFor } from '../checkpointFiles';
import { readSafetensors, writeSafetensors, type NamedArray } from '../safetensors';
import * as tf from '../tfjs';
import type { ModelTokenizer } from '../modelTokenizer';

import type { SavedCheckpoint } from '../trainLoop';

export type CheckpointInfo = SavedCheckpoint;

export interface CheckpointContext {
  dir: string;
  config: TrainConfig;
  task: Task;
  labels: readonly string[];
  tokenizer: ModelTokenizer;
}



/**
 * Reads every weight back from the backend (a GPU→CPU copy) and writes `${dir}/step-NNNNNN.safetensors`, plus the
 * optimizer's state beside it when given (the model file stays a plain export of the weights).
 */
export async function writeCheckpoint(model: GptModel, step: number, ctx: CheckpointContext, optimizerState: NamedArray[] = []): Promise<CheckpointInfo> {
  const tensors: NamedArray[] = [];
  for (const [name, variable] of model.params) {
    tensors.push({ name, shape: variable.shape, data: (await variable.data()) as Float32Array });
  }
  const metadata = {
    format: CHECKPOINT_FORMAT,
    task: ctx.task,
    step: String(step),
    config: JSON.stringify(ctx.config),
    model: JSON.stringify(model.shape),
    tokenizer: JSON.stringify(ctx.tokenizer.toJson()),
    labels: JSON.stringify(ctx.labels),
  };
  mkdirSync(ctx.dir, { recursive: true });
  const path = join(ctx.dir, checkpointFileName(step));
  const bytes = writeSafetensors(path, tensors, metadata);
  if (optimizerState.length) writeSafetensors(optimizerFileFor(path), optimizerState, { format: `${CHECKPOINT_FORMAT}-adam`, step: String(step) });
  return { step, path, bytes };
}

/** Puts a checkpoint's weights into a model of the same shape and returns the optimizer state saved with it. */
export function restoreCheckpoint(model: GptModel, path: string): { step: number; optimizerState: NamedArray[] } {
  const { tensors, metadata } = readSafetensors(path);
  if (metadata.format !== CHECKPOINT_FORMAT) throw badInput(`${path} is not a Tunebench GPT checkpoint; it cannot be resumed.`);
  const byName = new Map(tensors.map((t) => [t.name, t]));
  for (const [name, variable] of model.params) {
    const saved = byName.get(name);
    if (!saved || saved.shape.join() !== variable.shape.join()) throw badInput(`${path} does not match this run's model (tensor '${name}'); it cannot be resumed.`);
    tf.tidy(() => variable.assign(tf.tensor(saved.data, saved.shape, 'float32')));
  }
  const optimizerPath = optimizerFileFor(path);
  if (!existsSync(optimizerPath)) throw badInput(`${path} was saved without its optimizer state (${optimizerPath}); it cannot be resumed.`);
  return { step: Number(metadata.step), optimizerState: readSafetensors(optimizerPath).tensors };
}

export { CHECKPOINT_FORMAT, checkpointFileName };
