// The memory and time estimate (common/estimate.ts): parameter counts equal the weights a spec has, each term grows
// as its shapes say, the backends' ceilings refuse what would not fit, and on a real tfjs step the estimate's tensor
// bytes are within 25% of tf.profile's peak (the resident-set check through the CLI is tests/integration/estimate).
import { describe, expect, it } from 'vitest';
import { resolveTrainConfig } from '../../common/config';
import { estimateTraining, shapeParameters, stepFlops, tensorLedger, trainedParameters, type EstimateInput, type RunShape } from '../../common/estimate';
import { contextForLengths } from '../../common/fewShotPreset';
import { kernelsOn } from '../../main/services/trainingEstimate';
import { selectBackend } from '../../main/trainer/backend';
import { decaysDecoderWeight, weightsToTrain } from '../../main/trainer/decoder/methods';
import { DecoderModel } from '../../main/trainer/decoder/model';
import { canonicalShapes } from '../../main/trainer/decoder/names';
import { AdamW, countParameters } from '../../main/trainer/optimizer';
import * as tf from '../../main/trainer/tfjs';
import { familyOfConfig } from '../../main/trainer/families';

const FILE = '/m/config.json';
const spec = (c: Record<string, unknown>) => familyOfConfig(c, FILE).toSpec(c, FILE);
const llama = spec({ model_type: 'llama', hidden_size: 64, intermediate_size: 160, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, vocab_size: 300, max_position_embeddings: 256 });
const gpt2 = spec({ model_type: 'gpt2', n_embd: 64, n_layer: 2, n_head: 4, vocab_size: 300, n_positions: 128 });
const gemma = spec({ model_type: 'gemma3_text', hidden_size: 64, intermediate_size: 128, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 1, head_dim: 32, vocab_size: 300, sliding_window: 16 });
const qwen3 = spec({ model_type: 'qwen3', hidden_size: 64, intermediate_size: 128, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, head_dim: 16, vocab_size: 300 });

const run = (over: Partial<RunShape> = {}): RunShape => ({ method: 'full', batchSize: 4, contextLength: 32, gradAccumulation: 1, gradClip: 1, trainLayers: 1, loraRank: 8, loraTargets: 'attention', ...over });
const GiB = 2 ** 30;
const input = (over: Partial<EstimateInput> = {}): EstimateInput => ({
  shape: llama,
  run: run(),
  backend: 'wasm',
  machine: { totalBytes: 64 * GiB, freeBytes: 32 * GiB },
  baselineBytes: 150 * 2 ** 20,
  kernels: { fused: true, flashAttention: false },
  throughput: { flopsPerSecond: 1e10, basis: 'test' },
  ...over,
});

describe('the training estimate', () => {
  it('counts the parameters every family spec has, tensor by tensor', () => {
    for (const s of [llama, gpt2, gemma, qwen3]) {
      const weights = [...canonicalShapes(s).values()].reduce((n, shape) => n + shape.reduce((a, b) => a * b, 1), 0);
      expect(shapeParameters(s)).toBe(weights);
    }
  });

  it('trains every weight with full, the top blocks and final norm with freeze, r·(in + out) per projection with lora', () => {
    expect(trainedParameters(llama, run())).toBe(shapeParameters(llama));
    expect(trainedParameters(llama, run({ method: 'freeze', trainLayers: 1 }))).toBe((shapeParameters(llama) - 300 * 64 * 2 - 64) / 2 + 64 + 300 * 64);
    // q (64→64), k and v (64→32), o (64→64): 8·(128 + 96 + 96 + 128) per block
    expect(trainedParameters(llama, run({ method: 'lora' }))).toBe(2 * 8 * (128 + 96 + 96 + 128));
  });

  it('grows activations linearly in the batch and attention quadratically in the context', () => {
    const a = (r: RunShape) => tensorLedger(llama, r);
    expect(a(run({ batchSize: 8 })).forward).toBe(2 * a(run({ batchSize: 4 })).forward);
    const attentionOnly = (T: number) => a(run({ contextLength: T })).saved - 2 * a(run({ contextLength: T / 2 })).saved;
    expect(attentionOnly(64)).toBeCloseTo(2 * 2 * attentionOnly(32), -1); // the T² part quadruples as T doubles
    // the backward frees each gradient once used (backwardMemory.ts): at most a block's are alive, so a frozen lower
    // block lowers the saved tensors, not the live gradients
    expect(a(run({ method: 'freeze', trainLayers: 1 })).gradients).toBeLessThanOrEqual(a(run()).gradients);
  });

  it("orders the methods by memory, full above freeze above lora; Adam's moments leave the backend on wasm and cpu", () => {
    const big = { ...llama, hidden: 2048, intermediate: 8192, layers: 16, heads: 32, kvHeads: 8, headDim: 64, vocabSize: 128_256 };
    const total = (method: RunShape['method']) => estimateTraining(input({ shape: big, run: run({ method }) })).memory.total;
    expect(total('full')).toBeGreaterThan(total('freeze'));
    expect(total('freeze')).toBeGreaterThan(total('lora'));
    const full = estimateTraining(input({ shape: big, kernels: { fused: false, flashAttention: false } })).memory;
    expect(full.optimizer).toBe(2 * full.gradients);
    expect(full.adamScratch).toBeGreaterThan(full.weights); // 15 intermediates of the largest weight (the embedding)
    const hosted = estimateTraining(input({ shape: big })).memory; // wasm, cpu: the moments in JavaScript memory
    expect(hosted.inBackend).toBeLessThan(full.inBackend - full.optimizer);
    expect(hosted.total).toBeLessThan(full.total);
  });

  it("refuses on wasm what passes its 4 GiB heap, and on cpu what passes the machine's free memory", () => {
    const billion = { ...llama, hidden: 2048, intermediate: 8192, layers: 16, heads: 32, kvHeads: 8, headDim: 64, vocabSize: 128_256 };
    const onWasm = estimateTraining(input({ shape: billion }));
    expect(onWasm.fits).toBe(false);
    expect(onWasm.ceiling.what).toContain('4 GiB');
    expect(estimateTraining(input({ shape: { ...billion, layers: 4 }, run: run({ method: 'lora', batchSize: 1 }) })).fits).toBe(true);
    const cpu = (freeBytes: number) => estimateTraining(input({ shape: billion, backend: 'cpu', machine: { totalBytes: 64 * GiB, freeBytes } }));
    expect(cpu(256 * GiB).fits).toBe(true);
    expect(cpu(8 * GiB).fits).toBe(false);
  });

  it('takes about 6·P·tokens FLOPs for full and about 4·P·tokens for lora when attention is small', () => {
    const wide = { ...llama, hidden: 1024, intermediate: 4096, heads: 16, kvHeads: 16, headDim: 64 };
    const tokens = 4 * 32;
    const P = shapeParameters(wide) - wide.vocabSize * wide.hidden; // the embedding lookup is no product
    expect(stepFlops(wide, run(), 32) / (6 * P * tokens)).toBeCloseTo(1, 1);
    expect(stepFlops(wide, run({ method: 'lora' }), 32) / (4 * P * tokens)).toBeCloseTo(1, 1);
    const e = estimateTraining(input({ shape: wide }));
    expect(e.secondsPerStep).toBeCloseTo(e.flopsPerStep / 1e10, 6);
  });

  it("chooses the few-shot context as the smallest power of two covering 95% of the lengths, within the model's", () => {
    const lengths = [...Array(95).fill(90), ...Array(5).fill(900)];
    expect(contextForLengths(lengths, 2048)).toBe(128);
    expect(contextForLengths(lengths, 100)).toBe(100);
    expect(contextForLengths([10, 12], 2048)).toBe(32);
    expect(contextForLengths([], 2048)).toBe(64);
  });

  it("is within 25% of tfjs's tensor peak over a real AdamW step of each method (cpu backend)", async () => {
    await selectBackend('cpu');
    for (const method of ['full', 'freeze', 'lora'] as const) {
      for (const s of [llama, gpt2]) {
        const weights = new Map([...canonicalShapes(s)].map(([name, shape]) => [name, tf.randomNormal(shape, 0, 0.02)]));
        const model = new DecoderModel(s, weights);
        const config = resolveTrainConfig('quick', { base: 'im-00000000', method, batchSize: 8, contextLength: 64, trainLayers: 1 });
        const trained = weightsToTrain(model, config, 'test');
        const adam = new AdamW(trained.params, config, decaysDecoderWeight);
        const ids = () => tf.tensor2d(Int32Array.from({ length: 512 }, (_, i) => (i * 7) % 300), [8, 64], 'int32');
        const step = () => tf.dispose(Object.values(adam.step(() => model.lossOn(ids(), ids()), 1e-3)));
        step(); // the first step makes Adam's moments
        const { peakBytes } = await tf.profile(step);
        const e = estimateTraining(input({ shape: s, run: run({ method, batchSize: 8, contextLength: 64 }), kernels: kernelsOn('cpu') })).memory;
        const tensors = e.inBackend;
        console.info(`${s.family} ${method}: estimated tensors ${(tensors / 2 ** 20).toFixed(2)} MiB, tfjs's peak ${(peakBytes / 2 ** 20).toFixed(2)} MiB`);
        expect(countParameters(trained.params)).toBe(trainedParameters(s, run({ method })));
        expect(Math.abs(tensors - peakBytes) / peakBytes, `${s.family} ${method}: estimated ${tensors}, tfjs's peak ${peakBytes}`).toBeLessThanOrEqual(0.25);
        adam.dispose();
        trained.lora?.dispose();
        model.dispose();
      }
    }
  }, 120_000);
});
