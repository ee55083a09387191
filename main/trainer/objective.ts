// What the model is trained and evaluated on: mean softmax cross-entropy of next-token logits (generation) or class
// logits (classification), with optional label smoothing in training, and the validation metrics computed from the
// fixed validation batches (always plain cross-entropy, so val_loss is comparable across runs and settings).
import * as tf from './tfjs';
import type { Batch } from './data';
import { oneHotFloat } from './layers';
import type { GptModel } from './model';
import type { Rng } from './rng';

/** Logits and one-hot targets for a batch: (B·T, V) for generation, (B, L) for classification. */
function logitsAndTargets(model: GptModel, batch: Batch, rng: Rng | null): { logits: tf.Tensor2D; targets: tf.Tensor2D } {
  const tokens = tf.tensor2d(batch.inputs, [batch.B, batch.T], 'int32');
  const hidden = model.hidden(tokens, rng); // (B, T, C)
  if (batch.kind === 'lm') {
    const targets = oneHotFloat(tf.tensor1d(batch.targets, 'int32'), model.shape.vocabSize);
    return { logits: model.lmLogits(hidden), targets };
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
    const { logits, targets } = logitsAndTargets(model, batch, rng);
    return tf.losses.softmaxCrossEntropy(targets, logits, undefined, labelSmoothing, tf.Reduction.MEAN) as tf.Scalar;
  });
}

/** val_loss (mean over all validation predictions) and, for classification, val_accuracy. One GPU sync per batch. */
export async function evaluate(model: GptModel, batches: readonly Batch[]): Promise<Record<string, number>> {
  let lossSum = 0;
  let predictions = 0;
  let correct = 0;
  for (const batch of batches) {
    const [loss, hits] = tf.tidy(() => {
      const { logits, targets } = logitsAndTargets(model, batch, null);
      const mean = tf.losses.softmaxCrossEntropy(targets, logits, undefined, 0, tf.Reduction.MEAN);
      const matches = tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), tf.argMax(targets, 1)), 'float32'));
      return [mean, matches];
    });
    const [l, h] = await Promise.all([loss.data(), hits.data()]);
    tf.dispose([loss, hits]);
    const n = batch.kind === 'lm' ? batch.B * batch.T : batch.B;
    lossSum += l[0] * n;
    correct += h[0];
    predictions += n;
  }
  const values: Record<string, number> = { val_loss: lossSum / predictions };
  if (batches[0]?.kind === 'class') values.val_accuracy = correct / predictions;
  return values;
}
