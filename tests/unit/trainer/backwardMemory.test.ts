import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../../main/trainer/backend';
import * as tf from '../../../main/trainer/tfjs';

// The backward pass frees each intermediate gradient and each saved tensor as soon as nothing needs it
// (backwardMemory.ts), as PyTorch does; tfjs's own walk kept all of them to the end, doubling a step's peak.
describe('the backward pass', () => {
  it('gives the same gradients, and holds few tensors by the time it reaches the first op', async () => {
    await selectBackend('wasm');
    const x = tf.variable(tf.randomNormal([64, 64], 0, 1, 'float32', 1));
    const w = tf.variable(tf.randomNormal([64, 64], 0, 0.1, 'float32', 2));
    let aliveAtFirstOp = -1;
    // identity forward; its gradient runs last in the backward pass and counts what is still alive then
    const probe = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const a = args[0] as tf.Tensor;
      return {
        value: tf.reshape(a, a.shape),
        gradFunc: (dy: tf.Tensor) => {
          aliveAtFirstOp = tf.memory().numTensors;
          return tf.reshape(dy, dy.shape);
        },
      };
    }) as (a: tf.Tensor) => tf.Tensor;
    const depth = 30;
    const loss = () =>
      tf.tidy(() => {
        let h = probe(tf.matMul(x, w));
        for (let i = 0; i < depth; i++) h = tf.tanh(tf.mul(h, 1.01));
        return tf.mean(tf.square(h)) as tf.Scalar;
      });
    const before = tf.memory().numTensors;
    const { value, grads } = tf.variableGrads(loss, [x, w]);
    // analytic check on one element of dW through the same chain, by a finite difference
    const eps = 1e-2;
    const at = (dw: number) => tf.tidy(() => {
      const bumped = tf.add(w, tf.pad(tf.tensor2d([dw], [1, 1]), [[0, 63], [0, 63]]));
      let h = tf.matMul(x, bumped);
      for (let i = 0; i < depth; i++) h = tf.tanh(tf.mul(h, 1.01));
      return tf.mean(tf.square(h)).dataSync()[0];
    });
    const numeric = (at(eps) - at(-eps)) / (2 * eps);
    expect(grads[w.name].dataSync()[0]).toBeCloseTo(numeric, 3);
    // by the first op, the 30 layers' saved tensors and gradients are gone: the variables, the loss, the two
    // gradients being built and a few in flight remain (tfjs's own walk kept over 3 × 30 here)
    expect(aliveAtFirstOp - before).toBeLessThan(20);
    tf.dispose([value, ...Object.values(grads), x, w]);
    expect(tf.memory().numTensors).toBe(before - 2);
  });
});
