// A checkpoint: every model weight as float32 in one safetensors file, with what is needed to use it again (config,
// tokenizer, task, labels, step) as JSON strings in __metadata__.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TrainConfig } from '../../common/config';
import type { Task } from '../../common/protocol';
import type { GptModel } from './model';
import { writeSafetensors, type NamedArray } from './safetensors';
import type { CharTokenizer } from './tokenizer';

export const CHECKPOINT_FORMAT = 'tunebench-gpt2-char-v1';

export interface CheckpointInfo {
  step: number;
  path: string;
  bytes: number;
}

export interface CheckpointContext {
  dir: string;
  config: TrainConfig;
  task: Task;
  labels: readonly string[];
  tokenizer: CharTokenizer;
}

/** e.g. step-000150.safetensors */
export const checkpointFileName = (step: number): string => `step-${String(step).padStart(6, '0')}.safetensors`;

/** Reads every weight back from the backend (a GPU→CPU copy) and writes `${dir}/step-NNNNNN.safetensors`. */
export async function writeCheckpoint(model: GptModel, step: number, ctx: CheckpointContext): Promise<CheckpointInfo> {
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
  return { step, path, bytes };
}
