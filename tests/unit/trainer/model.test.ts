import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../main/trainer/backend';
import { gelu, layerNorm } from '../../../main/trainer/layers';
import { GptModel, type ModelShape } from '../../../main/trainer/gpt/model';
import * as tf from '../../../main/trainer/tfjs';

const shape: ModelShape = { task: 'generate', vocabSize: 11, numLabels: 0, nLayer: 2, nHead: 2, dModel: 16, contextLength: 8, dropout: 0 };

beforeAll(async () => {
  await selectBackend('cpu');
});

describe('GptModel', () => {
  it('gives next-token logits (B·T, V) and class logits (B, L)', () => {
    const lm = new GptModel(shape, 1);
    const cls = new GptModel({ ...shape, task: 'classify', numLabels: 3 }, 1);
    const tokens = tf.tensor2d(Int32Array.from({ length: 3 * 8 }, (_, i) => i % 11), [3, 8], 'int32');
    const mask = tf.tensor2d(Float32Array.from({ length: 3 * 8 }, (_, i) => (i % 8 < 5 ? 1 : 0)), [3, 8]);
    const [hidden, logits, classes] = tf.tidy(() => {
      const h = lm.hidden(tokens, null);
      return [h, lm.lmLogits(h), cls.classLogits(cls.hidden(tokens, null), mask)];
    });
    expect(hidden.shape).toEqual([3, 8, 16]);
    expect(logits.shape).toEqual([3 * 8, 11]);
    expect(classes.shape).toEqual([3, 3]);
    expect(lm.params.has('classifier.weight')).toBe(false);
    expect(cls.params.get('classifier.weight')?.shape).toEqual([16, 3]);
    tf.dispose([tokens, mask, hidden, logits, classes]);
    lm.dispose();
    cls.dispose();
  });

  it('counts GPT-2 parameters: tied head, 12·C² + 13·C per block', () => {
    const model = new GptModel(shape, 1);
    const C = 16;
    const perBlock = 12 * C * C + 13 * C;
    expect(model.parameterCount).toBe(11 * C + 8 * C + 2 * perBlock + 2 * C);
    model.dispose();
  });

  it('is causal: changing a later token leaves earlier positions unchanged', async () => {
    const model = new GptModel(shape, 3);
    const a = tf.tensor2d([[1, 2, 3, 4, 5, 6, 7, 8]], [1, 8], 'int32');
    const b = tf.tensor2d([[1, 2, 3, 4, 9, 9, 9, 9]], [1, 8], 'int32');
    const [ha, hb] = tf.tidy(() => [model.hidden(a, null), model.hidden(b, null)]);
    const [da, db] = [await ha.data(), await hb.data()];
    for (let i = 0; i < 4 * 16; i++) expect(da[i]).toBeCloseTo(db[i], 5);
    expect(Math.abs(da[5 * 16] - db[5 * 16])).toBeGreaterThan(1e-6);
    tf.dispose([a, b, ha, hb]);
    model.dispose();
  });

  it('initialises like GPT-2: N(0, 0.02), residual projections scaled by 1/√(2·nLayer)', async () => {
    const model = new GptModel({ ...shape, dModel: 64, nHead: 4 }, 5);
    const std = async (name: string) => {
      const values = Array.from(await model.params.get(name)!.data());
      return Math.sqrt(values.reduce((s, v) => s + v * v, 0) / values.length);
    };
    expect(await std('h.0.mlp.c_fc.weight')).toBeCloseTo(0.02, 2);
    expect(await std('h.1.attn.c_proj.weight')).toBeCloseTo(0.01, 2);
    expect(Array.from(await model.params.get('h.0.ln_1.weight')!.data()).every((v) => v === 1)).toBe(true);
    model.dispose();
  });
});

describe('layers', () => {
  it('layerNorm gives zero mean and unit variance before the affine part', async () => {
    const x = tf.tensor2d([[1, 2, 3, 4], [10, 10, 10, 14]]);
    const y = tf.tidy(() => layerNorm(x, tf.ones([4]) as tf.Tensor1D, tf.zeros([4]) as tf.Tensor1D));
    const v = await y.data();
    expect(v[0] + v[1] + v[2] + v[3]).toBeCloseTo(0, 5);
    expect((v[0] ** 2 + v[1] ** 2 + v[2] ** 2 + v[3] ** 2) / 4).toBeCloseTo(1, 3);
    tf.dispose([x, y]);
  });

  it('gelu matches the tanh approximation', async () => {
    const xs = [-3, -1, -0.5, 0, 0.5, 1, 3];
    const y = tf.tidy(() => gelu(tf.tensor1d(xs)));
    const expected = xs.map((x) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3))));
    Array.from(await y.data()).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
    y.dispose();
  });
});
