// One optimiser step of each stage, and the head's validation metrics. Every function disposes what it makes except
// the loss scalar it returns.
import * as tf from '../tfjs';
import { unit, type DeltaBags, type FewShotModel } from './model';
import type { Pair } from './pairs';

export interface HeadData {
  inputs: tf.Tensor2D; // N × d, the head's inputs
  labels: tf.Tensor2D; // N × C, one-hot
}

export function oneHot(labels: readonly number[], classes: number): tf.Tensor2D {
  const m = new Float32Array(labels.length * classes);
  labels.forEach((label, i) => (m[i * classes + label] = 1));
  return tf.tensor2d(m, [labels.length, classes]);
}

function cosine(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor1D {
  return tf.sum(tf.mul(unit(a), unit(b)), 1);
}

/** Decoupled weight decay: w ← w · (1 − lr · decay). */
function decay(vars: readonly tf.Variable[], lr: number, weightDecay: number): void {
  if (weightDecay <= 0) return;
  tf.tidy(() => {
    for (const v of vars) v.assign(tf.mul(v, 1 - lr * weightDecay));
  });
}

function apply(optimizer: tf.Optimizer, lr: number, f: () => tf.Scalar, vars: tf.Variable[]): tf.Scalar {
  (optimizer as unknown as { learningRate: number }).learningRate = lr; // read by every applyGradients
  const { value, grads } = tf.variableGrads(f, vars);
  optimizer.applyGradients(grads);
  tf.dispose(grads);
  return value as tf.Scalar;
}

/** SetFit's CosineSimilarityLoss on one batch of pairs: mean((cos(u_a, u_b) − target)²). */
export function contrastiveStep(
  model: FewShotModel,
  optimizer: tf.Optimizer,
  pooled: tf.Tensor2D,
  bags: DeltaBags[] | null,
  pairs: readonly Pair[],
  lr: number,
  weightDecay: number,
): tf.Scalar {
  const a = tf.tensor1d(pairs.map((p) => p.a), 'int32');
  const b = tf.tensor1d(pairs.map((p) => p.b), 'int32');
  const target = tf.tensor1d(pairs.map((p) => p.target));
  const vars = model.encoderVariables();
  const encode = (idx: tf.Tensor1D) => model.adapt(model.features(tf.gather(pooled, idx), bags ? bags.map((m) => ({ columns: tf.gather(m.columns, idx), weights: tf.gather(m.weights, idx) })) : null));
  const loss = apply(optimizer, lr, () => tf.mean(tf.square(tf.sub(cosine(encode(a), encode(b)), target))) as tf.Scalar, vars);
  decay(vars, lr, weightDecay);
  tf.dispose([a, b, target]);
  return loss;
}

function crossEntropy(logits: tf.Tensor2D, labels: tf.Tensor2D): tf.Scalar {
  return tf.neg(tf.mean(tf.sum(tf.mul(labels, tf.logSoftmax(logits)), 1))) as tf.Scalar;
}

/** Softmax regression, full batch: cross-entropy + weightDecay · |W|² (the head's L2). */
export function headStep(model: FewShotModel, optimizer: tf.Optimizer, data: HeadData, lr: number, weightDecay: number): tf.Scalar {
  const [w, b] = model.headVariables();
  return apply(
    optimizer,
    lr,
    () => {
      const ce = crossEntropy(model.logits(data.inputs), data.labels);
      return (weightDecay > 0 ? tf.add(ce, tf.mul(weightDecay, tf.sum(tf.square(w)))) : ce) as tf.Scalar;
    },
    [w, b],
  );
}

/** val_loss (cross-entropy) and val_accuracy of the head on fixed inputs. */
export function evaluateHead(model: FewShotModel, data: HeadData): { val_loss: number; val_accuracy: number } {
  const [loss, correct] = tf.tidy(() => {
    const logits = model.logits(data.inputs);
    const hits = tf.equal(tf.argMax(logits, 1), tf.argMax(data.labels, 1));
    return [crossEntropy(logits, data.labels), tf.mean(tf.cast(hits, 'float32'))];
  });
  const out = { val_loss: loss.dataSync()[0], val_accuracy: correct.dataSync()[0] };
  tf.dispose([loss, correct]);
  return out;
}
