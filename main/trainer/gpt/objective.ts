// What the model is trained and evaluated on: mean softmax cross-entropy of next-token logits (generation) or class
// logits (classification), with optional label smoothing in training, and the validation metrics computed from the
// fixed validation batches (always plain cross-entropy, so val_loss is comparable across runs and settings). A
// generation batch with a loss mask (prompt → completion data) averages the per-token loss over the targets it marks,
// in training and validation alike, so prompt tokens get no gradient and val_loss is over completions.
import * as tf from '../tfjs';
import type { Batch } from '../data';
import { oneHotFloat } from '../layers';
import type { GptModel } from './model';
import type { Rng } from '../rng';

/**
 * Logits and one-hot targets for a batch: (B·T, V) for generation, (B, L) for classification; `weights` (B·T) when a
 * generation batch has a loss mask.
 */
function logitsAndTargets(model: GptModel, batch: Batch, rng: Rng | null): { logits: tf.Tensor2D; targets: tf.Tensor2D; weights?: tf.Tensor1D } {
  const tokens = tf.tensor2d(batch.inputs, [batch.B, batch.T], 'int32');
  const hidden = model.hidden(tokens, rng); // (B, T, C)
  if (batch.kind === 'lm') {
    const targets = oneHotFloat(tf.tensor1d(batch.targets, 'int32'), model.shape.vocabSize);
    const weights = batch.lossMask ? tf.tensor1d(batch.lossMask, 'float32') : undefined;
    return { logits: model.lmLogits(hidden), targets, ...(weights ? { weights } : {}) };
  }
  const mask = tf.tensor2d(batch.mask, [batch.B, batch.T], 'float32');
  const targets = oneHotFloat(tf.tensor1d(batch.labels, 'int32'), model.shape.numLabels);
  return { logits: model.classLogits(hidden, mask), targets };
}

/**
 * Mean cross-entropy over the batch's predictions (nats). `rng` enables dropout; null for evaluation. With
 * labelSmoothing ε the target is (1 − ε)·one-hot + ε/K over the K classes or tokens (PyTorch's label_smoothing).
 */
export function batchLoss(model: GptModel, batch: Batch, rng: Rng | null, labelSmoothing = 0): tf.Scalar {
  return tf.tidy(() => {
    const { logits, targets, weights } = logitsAndTargets(model, batch, rng);
    return meanCrossEntropy(targets, logits, weights, labelSmoothing);
  });
}

/** Mean cross-entropy over the rows, or over the rows weighted 1 (0 when none is); not tidied (callers are). */
function meanCrossEntropy(targets: tf.Tensor2D, logits: tf.Tensor2D, weights: tf.Tensor1D | undefined, labelSmoothing: number): tf.Scalar {
  if (!weights) return tf.losses.softmaxCrossEntropy(targets, logits, undefined, labelSmoothing, tf.Reduction.MEAN) as tf.Scalar;
  const perToken = tf.losses.softmaxCrossEntropy(targets, logits, undefined, labelSmoothing, tf.Reduction.NONE);
  return tf.div(tf.sum(tf.mul(perToken, weights)), tf.maximum(tf.sum(weights), 1)) as tf.Scalar;
}

/** val_loss (mean over all validation predictions) and, for classification, val_accuracy. One GPU sync per batch. */
export async function evaluate(model: GptModel, batches: readonly Batch[]): Promise<Record<string, number>> {
  let lossSum = 0;
  let predictions = 0;
  let correct = 0;
  for (const batch of batches) {
    const [loss, hits] = tf.tidy(() => {
      const { logits, targets, weights } = logitsAndTargets(model, batch, null);
      const mean = meanCrossEntropy(targets, logits, weights, 0);
      const matches = tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), tf.argMax(targets, 1)), 'float32'));
      return [mean, matches];
    });
    const [l, h] = await Promise.all([loss.data(), hits.data()]);
    tf.dispose([loss, hits]);
    const n = batch.kind === 'class' ? batch.B : batch.lossMask ? batch.lossMask.reduce((sum, m) => sum + m, 0) : batch.B * batch.T;
    lossSum += l[0] * n;
    correct += h[0];
    predictions += n;
  }
  const values: Record<string, number> = { val_loss: lossSum / predictions };
  if (batches[0]?.kind === 'class') values.val_accuracy = correct / predictions;
  return values;
}
