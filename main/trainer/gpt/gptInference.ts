// Using a trained GPT-2-layout char model again: load it from its checkpoint, continue text, classify texts, and
// score held-out text (mean next-token loss). Everything runs without dropout, one text at a time or in small batches.
import * as tf from '../tfjs';
import type { Task } from '../../../common/protocol';
import { badInput } from '../../../common/result';
import { CHECKPOINT_FORMAT } from './checkpoint';
import { oneHotFloat } from '../layers';
import { GptModel, type ModelShape } from './model';
import { readSafetensors } from '../safetensors';
import { modelTokenizerFromJson, type ModelTokenizer } from '../modelTokenizer';

export interface LoadedGpt {
  model: GptModel;
  tokenizer: ModelTokenizer;
  task: Task;
  labels: string[];
}

export function loadGptCheckpoint(path: string): LoadedGpt {
  const { tensors, metadata } = readSafetensors(path);
  if (metadata.format !== CHECKPOINT_FORMAT) throw badInput(`${path} is not a Tunebench GPT checkpoint (format '${metadata.format ?? 'none'}').`);
  const shape = JSON.parse(metadata.model) as ModelShape;
  const model = new GptModel({ ...shape, dropout: 0 }, 0);
  const byName = new Map(tensors.map((t) => [t.name, t]));
  for (const [name, variable] of model.params) {
    const stored = byName.get(name);
    if (!stored) throw badInput(`${path} has no tensor '${name}'.`);
    tf.tidy(() => variable.assign(tf.tensor(stored.data, stored.shape, 'float32')));
  }
  return { model, tokenizer: modelTokenizerFromJson(JSON.parse(metadata.tokenizer)), task: shape.task, labels: JSON.parse(metadata.labels ?? '[]') };
}

/** Next-token logits after `ids` (the last contextLength of them): (V). */
export function gptNextLogits(loaded: LoadedGpt, ids: readonly number[]): Float32Array {
  const T = loaded.model.shape.contextLength;
  const window = ids.slice(-T);
  return tf.tidy(() => {
    const hidden = loaded.model.hidden(tf.tensor2d([window], [1, window.length], 'int32'), null);
    const logits = loaded.model.lmLogits(hidden); // (T, V)
    return tf.slice(logits, [window.length - 1, 0], [1, -1]).dataSync() as Float32Array;
  });
}

/** Class probabilities, one row per text; texts are cut to the context length as in training. */
export function gptClassify(loaded: LoadedGpt, texts: readonly string[], batchSize = 16): number[][] {
  const T = loaded.model.shape.contextLength;
  const rows: number[][] = [];
  for (let start = 0; start < texts.length; start += batchSize) {
    const chunk = texts.slice(start, start + batchSize);
    const inputs = new Int32Array(chunk.length * T);
    const mask = new Float32Array(chunk.length * T);
    chunk.forEach((text, b) => {
      const ids = loaded.tokenizer.encode(text).slice(0, T);
      inputs.set(ids, b * T);
      mask.fill(1, b * T, b * T + ids.length);
    });
    const probs = tf.tidy(() => {
      const hidden = loaded.model.hidden(tf.tensor2d(inputs, [chunk.length, T], 'int32'), null);
      return tf.softmax(loaded.model.classLogits(hidden, tf.tensor2d(mask, [chunk.length, T]))).arraySync() as number[][];
    });
    rows.push(...probs);
  }
  return rows;
}

/** Mean next-token cross-entropy (nats) over every text joined by '\n' as in training, in windows of the context. */
export function gptScore(loaded: LoadedGpt, texts: readonly string[]): { loss: number; tokens: number } {
  const T = loaded.model.shape.contextLength;
  const ids = loaded.tokenizer.encode(texts.join('\n'));
  let sum = 0;
  let count = 0;
  for (let start = 0; start + 1 < ids.length; start += T) {
    const input = ids.slice(start, Math.min(start + T, ids.length - 1));
    const target = ids.slice(start + 1, start + 1 + input.length);
    const loss = tf.tidy(() => {
      const hidden = loaded.model.hidden(tf.tensor2d(input, [1, input.length], 'int32'), null);
      const logits = loaded.model.lmLogits(hidden);
      const targets = oneHotFloat(tf.tensor1d(target, 'int32'), loaded.model.shape.vocabSize);
      return tf.losses.softmaxCrossEntropy(targets, logits, undefined, 0, tf.Reduction.SUM).dataSync()[0];
    });
    sum += loss;
    count += input.length;
  }
  if (count === 0) throw badInput('The text to score is too short: it needs at least two characters.');
  return { loss: sum / count, tokens: count };
}
