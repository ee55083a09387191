// Every family against an independent PyTorch forward written to transformers' conventions (tests/python): random
// weights of the real widths (fewer layers, a 512-token vocabulary), logits to 1e-4 at every position, and the
// KV-cached greedy continuation equal to the reference's full-recompute greedy tokens.
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../main/trainer/backend';
import { loadDecoderFolder } from '../../../main/trainer/decoder/checkpoint';
import type { DecoderModel } from '../../../main/trainer/decoder/model';
import * as tf from '../../../main/trainer/tfjs';
import { makeHfModel, maxAbsDiff, NO_TORCH, referenceForward, torchAvailable } from '../../helpers/hfReference';

if (!torchAvailable) console.warn(NO_TORCH);

const IDS = [1, 17, 300, 42, 7, 511, 256, 3, 99, 128, 64, 5];

function logitsOf(model: DecoderModel, ids: number[]): number[][] {
  const out = model.forward(ids);
  const rows = out.arraySync() as number[][];
  out.dispose();
  return rows;
}

function greedyCached(model: DecoderModel, ids: number[], n: number): number[] {
  const cache = model.newCache();
  const out: number[] = [];
  let pending = ids;
  try {
    for (let i = 0; i < n; i++) {
      const logits = model.forward(pending, cache);
      const last = tf.tidy(() => tf.argMax(tf.slice(logits, [pending.length - 1, 0], [1, -1]), 1).dataSync()[0]);
      logits.dispose();
      out.push(last);
      pending = [last];
    }
  } finally {
    cache.dispose();
  }
  return out;
}

const CASES: { name: string; shape: string; dtype?: 'f32' | 'bf16' | 'f16'; shards?: number; layers?: number; set?: Record<string, unknown>; extra?: string[] }[] = [
  { name: 'SmolLM2-135M (Llama, tied, rope_theta 100000)', shape: 'smollm2-135m' },
  { name: 'Llama-3.2-1B (llama3 rope scaling, head_dim, GQA), sharded', shape: 'llama-3.2-1b', shards: 3, layers: 1 },
  { name: 'TinyLlama (Llama 2, untied), BF16', shape: 'tinyllama-1.1b', dtype: 'bf16', layers: 1 },
  { name: 'Llama with attention_bias and linear rope scaling', shape: 'smollm2-135m', set: { attention_bias: true, rope_scaling: { rope_type: 'linear', factor: 2 } } },
  { name: 'Qwen2.5-0.5B (q/k/v biases)', shape: 'qwen2.5-0.5b' },
  { name: 'Qwen3-0.6B (q/k norms, head_dim 128), F16', shape: 'qwen3-0.6b', dtype: 'f16' },
  { name: 'Gemma-3-270M (sliding and global layers, 1+w norms)', shape: 'gemma-3-270m', layers: 6, set: { sliding_window: 4 } },
  { name: 'Gemma-3-270M, rope_parameters per layer type', shape: 'gemma-3-270m-new', layers: 6, set: { sliding_window: 4 } },
  { name: 'GPT-2 124M', shape: 'gpt2-124m' },
];

describe.skipIf(!torchAvailable)('decoder families against the PyTorch reference', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  for (const c of CASES) {
    it(`${c.name}: logits to 1e-4, cached greedy tokens equal`, () => {
      const folder = makeHfModel({ shape: c.shape, layers: c.layers ?? 2, dtype: c.dtype ?? 'f32', shards: c.shards, set: c.set, extra: c.extra });
      const ref = referenceForward(folder, IDS, 8);
      const { model } = loadDecoderFolder(folder);
      try {
        const before = tf.memory().numTensors;
        expect(maxAbsDiff(logitsOf(model, IDS), ref.logits)).toBeLessThan(1e-4);
        expect(greedyCached(model, IDS, 8)).toEqual(ref.greedy);
        expect(tf.memory().numTensors).toBe(before);
      } finally {
        model.dispose();
      }
    });
  }
});
