import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../../main/trainer/backend';
import {
  bagSum,
  bagSumFromOps,
  dense,
  embedding,
  gelu,
  geluFromOps,
  layerNorm,
  layerNormFromOps,
  oneHotFloat,
  splitHeads,
  splitHeadsFromOps,
} from '../../../main/trainer/layers';
import { mulberry32 } from '../../../main/trainer/rng';
import * as tf from '../../../main/trainer/tfjs';

// The fused kernels (main/trainer/kernels/) behind layers.ts must give the values and gradients of the tfjs ops they
// replace, on both backends they are registered for: each case is checked against its unfused form on the cpu backend.
interface Case {
  name: string;
  /** Float inputs (differentiated) by shape, then the op under test and its reference from tfjs ops. */
  shapes: number[][];
  fused(xs: tf.Tensor[]): tf.Tensor;
  reference(xs: tf.Tensor[]): tf.Tensor;
}

const IDS = [3, 0, 6, 3, 3, 1, 6, 2, 0]; // repeats: the embedding gradient must add them up
const BAG_IDS = [3, 3, 0, 6, 1, 3, 2, 0, 0]; // three bags of three; the last entry of the first and third is padding
const BAG_MASK = [1, 1, 0, 1, 1, 1, 1, 1, 0];

const CASES: Case[] = [
  {
    name: 'layerNorm',
    shapes: [[2, 3, 8], [8], [8]],
    fused: ([x, g, b]) => layerNorm(x, g as tf.Tensor1D, b as tf.Tensor1D),
    reference: ([x, g, b]) => layerNormFromOps(x, g as tf.Tensor1D, b as tf.Tensor1D),
  },
  {
    name: 'layerNorm, 256 rows of 128 (the SIMD loops on wasm, sums of many rows in float32)',
    shapes: [[256, 128], [128], [128]],
    fused: ([x, g, b]) => layerNorm(x, g as tf.Tensor1D, b as tf.Tensor1D),
    reference: ([x, g, b]) => layerNormFromOps(x, g as tf.Tensor1D, b as tf.Tensor1D),
  },
  {
    name: 'layerNorm, width not a multiple of 4 (loops in JS on wasm too)',
    shapes: [[4, 6], [6], [6]],
    fused: ([x, g, b]) => layerNorm(x, g as tf.Tensor1D, b as tf.Tensor1D),
    reference: ([x, g, b]) => layerNormFromOps(x, g as tf.Tensor1D, b as tf.Tensor1D),
  },
  { name: 'gelu', shapes: [[6, 8]], fused: ([x]) => gelu(tf.mul(x, 4)), reference: ([x]) => geluFromOps(tf.mul(x, 4)) },
  { name: 'gelu, size not a multiple of 4', shapes: [[6, 7]], fused: ([x]) => gelu(tf.mul(x, 4)), reference: ([x]) => geluFromOps(tf.mul(x, 4)) },
  {
    name: 'dense (bias add)',
    shapes: [[5, 3], [3, 4], [4]],
    fused: ([x, w, b]) => dense(x as tf.Tensor2D, w as tf.Tensor2D, b as tf.Tensor1D),
    reference: ([x, w, b]) => tf.add(tf.matMul(x, w), b),
  },
  {
    name: 'dense (bias add), width not a multiple of 4',
    shapes: [[5, 3], [3, 5], [5]],
    fused: ([x, w, b]) => dense(x as tf.Tensor2D, w as tf.Tensor2D, b as tf.Tensor1D),
    reference: ([x, w, b]) => tf.add(tf.matMul(x, w), b),
  },
  {
    name: 'embedding',
    shapes: [[7, 4]],
    fused: ([table]) => embedding(table as tf.Tensor2D, tf.tensor1d(IDS, 'int32')),
    reference: ([table]) => tf.matMul(oneHotFloat(tf.tensor1d(IDS, 'int32'), 7), table),
  },
  {
    name: 'bagSum (padding of weight 0, repeated rows within and across bags)',
    shapes: [[7, 4], [3, 3]],
    fused: ([table, w]) => bagSum(table as tf.Tensor2D, tf.tensor2d(BAG_IDS, [3, 3], 'int32'), tf.mul(w, tf.tensor2d(BAG_MASK, [3, 3])) as tf.Tensor2D),
    reference: ([table, w]) => {
      // bag n's weights over the vocabulary (one-hot rows weighted, summed), then that times the table
      const weights = tf.reshape(tf.mul(w, tf.tensor2d(BAG_MASK, [3, 3])), [3, 1, 3]);
      const oneHots = tf.reshape(oneHotFloat(tf.tensor1d(BAG_IDS, 'int32'), 7), [3, 3, 7]);
      return tf.matMul(tf.reshape(tf.matMul(weights, oneHots), [3, 7]), table);
    },
  },
  {
    name: 'splitHeads, hd a multiple of 4 (copies in WebAssembly on wasm)', // B 2, T 3, H 2, hd 4
    shapes: [[2 * 3, 3 * 8]],
    fused: ([qkv]) => tf.concat(splitHeads(qkv as tf.Tensor2D, 2, 2).map((t) => tf.reshape(t, [-1]))),
    reference: ([qkv]) => tf.concat(splitHeadsFromOps(qkv as tf.Tensor2D, 2, 2).map((t) => tf.reshape(t, [-1]))),
  },
  {
    name: 'splitHeads', // B 2, T 3, H 2, hd 2: the three outputs flattened side by side
    shapes: [[2 * 3, 3 * 4]],
    fused: ([qkv]) => tf.concat(splitHeads(qkv as tf.Tensor2D, 2, 2).map((t) => tf.reshape(t, [-1]))),
    reference: ([qkv]) => tf.concat(splitHeadsFromOps(qkv as tf.Tensor2D, 2, 2).map((t) => tf.reshape(t, [-1]))),
  },
];

const randomArray = (n: number, seed: number) => {
  const rng = mulberry32(seed);
  return Float32Array.from({ length: n }, () => rng.next() * 2 - 1);
};
const size = (s: number[]) => s.reduce((x, y) => x * y, 1);

/** The op's output and the gradients of sum(output · w) for a fixed weighting w, as arrays. */
function valuesAndGrads(c: Case, op: (xs: tf.Tensor[]) => tf.Tensor): Float32Array[] {
  return tf.tidy(() => {
    const xs = c.shapes.map((s, i) => tf.tensor(randomArray(size(s), 10 + i), s));
    const y = op(xs);
    const w = tf.tensor(randomArray(y.size, 99), y.shape);
    const grads = tf.grads((...args: tf.Tensor[]) => tf.sum(tf.mul(op(args), w)))(xs);
    return [y, ...grads].map((t) => t.dataSync() as Float32Array);
  });
}

function expectClose(got: Float32Array[], want: Float32Array[], label: string): void {
  expect(got.length).toBe(want.length);
  got.forEach((values, j) => {
    const what = j === 0 ? 'value' : `gradient ${j}`;
    expect(values.length, `${label} ${what}`).toBe(want[j].length);
    values.forEach((v, k) => expect(Math.abs(v - want[j][k]), `${label} ${what}[${k}]: ${v} vs ${want[j][k]}`).toBeLessThan(1e-4));
  });
}

describe('fused training kernels', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    it(`match the unfused tfjs ops in value and gradient on ${backend}, leaving no tensors behind`, async () => {
      await selectBackend('cpu');
      const expected = CASES.map((c) => valuesAndGrads(c, c.reference));
      await selectBackend(backend);
      const before = tf.memory().numTensors;
      CASES.forEach((c, i) => expectClose(valuesAndGrads(c, c.fused), expected[i], `${c.name} on ${backend}`));
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('bagSumFromOps, the path of backends without the fused kernel, gives the same values and gradients (cpu)', async () => {
    await selectBackend('cpu');
    const bagCase = CASES.find((c) => c.name.startsWith('bagSum'))!;
    const viaOps: Case = { ...bagCase, fused: ([table, w]) => bagSumFromOps(table as tf.Tensor2D, tf.tensor2d(BAG_IDS, [3, 3], 'int32'), tf.mul(w, tf.tensor2d(BAG_MASK, [3, 3])) as tf.Tensor2D) };
    expectClose(valuesAndGrads(viaOps, viaOps.fused), valuesAndGrads(bagCase, bagCase.reference), 'bagSumFromOps on cpu');
  });

  it('reject a token id outside the vocabulary', async () => {
    await selectBackend('wasm');
    const table = tf.zeros([3, 2]) as tf.Tensor2D;
    const ids = tf.tensor1d([0, 3], 'int32');
    expect(() => embedding(table, ids)).toThrow(/Token id 3 is outside the vocabulary of 3/);
    tf.dispose([table, ids]);
  });
});
