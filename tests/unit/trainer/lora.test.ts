// LoRA and freeze fine-tuning of stories260K: adapters start as the identity, train without touching the base, merge
// into an ordinary checkpoint and save in PEFT's layout; freeze trains only the top blocks.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveTrainConfig, type Overrides } from '../../../common/config';
import { selectBackend } from '../../../main/trainer/backend';
import { decaysLlamaWeight, fineTuneLlama, weightsToTrain } from '../../../main/trainer/llama/fineTune';
import { loadLlama2cCheckpoint } from '../../../main/trainer/llama/llama2cCheckpoint';
import { readLlamaCheckpoint, weightsToHf, writeLlamaCheckpoint } from '../../../main/trainer/llama/llamaCheckpoint';
import { LlamaTrainable } from '../../../main/trainer/llama/llamaTrainable';
import { LORA_FORMAT, loraFileFor } from '../../../main/trainer/llama/lora';
import { AdamW } from '../../../main/trainer/optimizer';
import { readSafetensors, type NamedArray } from '../../../main/trainer/safetensors';
import * as tf from '../../../main/trainer/tfjs';

const BASE = resolve(__dirname, '../../../resources/models/stories260k');
const present = existsSync(join(BASE, 'stories260K.bin')) && existsSync(join(BASE, 'tok512.bin'));
if (!present) console.warn(`lora.test: ${BASE} lacks stories260K.bin or tok512.bin; skipping.`);

const story = (i: number) => `Zorbo the goat went to ${['the purple hill', 'the windy cave', 'the silver lake'][i % 3]} with Quilla. "Look, Quilla!" said Zorbo. They played all day and were happy.`;
const TRAIN = Array.from({ length: 18 }, (_, i) => story(i));
const VALIDATION = [story(100), story(101)];
const SMALL: Overrides = { base: 'stories260k', batchSize: 4, contextLength: 32, learningRate: 3e-3, warmupSteps: 1, logEvery: 1, evalEvery: 100, evalBatches: 1, loraRank: 4, loraAlpha: 8 };

const bits = (t: tf.Tensor) => Array.from(new Uint32Array((t.dataSync() as Float32Array).slice().buffer));
const maxAbsDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe.skipIf(!present)('LoRA and freeze on stories260K (wasm)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tunebench-lora-'));
  let ids: tf.Tensor2D;
  let baseHf: Map<string, NamedArray>;

  beforeAll(async () => {
    await selectBackend('wasm');
    ids = tf.tensor2d([[1, 403, 261, 288, 399, 66, 320, 264, 394, 4, 266, 302]], [1, 12], 'int32');
    const { config, weights } = loadLlama2cCheckpoint(join(BASE, 'stories260K.bin'));
    baseHf = new Map(weightsToHf(config, weights).map((t) => [t.name, t]));
  });
  afterAll(() => {
    ids.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts as exactly the base model, trains only the adapters, and merges into a checkpoint with the same logits', () => {
    const model = LlamaTrainable.fromCheckpoint(join(BASE, 'stories260K.bin'));
    const config = resolveTrainConfig('quick', { ...SMALL, method: 'lora' });
    const before = model.logits(ids);
    const baseBits = new Map([...model.params].map(([name, v]) => [name, bits(v)]));
    const { params, adapters } = weightsToTrain(model, config);
    const atInit = model.logits(ids);
    expect(bits(atInit)).toEqual(bits(before)); // B = 0: W + (α/r)·A·0 = W exactly
    expect([...params.keys()].every((n) => /\.lora_[AB]$/.test(n))).toBe(true);
    expect(params.size).toBe(2 * 4 * 5); // A and B on q, k, v, o of 5 blocks

    const optimizer = new AdamW(params, config, decaysLlamaWeight);
    const batch = tf.tensor2d([[1, 403, 261, 288, 399, 66, 320, 264, 394, 4, 266]], [1, 11], 'int32');
    const targets = tf.tensor2d([[403, 261, 288, 399, 66, 320, 264, 394, 4, 266, 302]], [1, 11], 'int32');
    const losses: number[] = [];
    for (let s = 0; s < 6; s++) {
      const { loss, gradNorm } = optimizer.step(() => model.lossOn(batch, targets), 3e-3);
      losses.push(loss.dataSync()[0]);
      tf.dispose([loss, gradNorm]);
    }
    expect(losses[5]).toBeLessThan(losses[0] - 0.05);
    for (const [name, v] of model.params) expect(bits(v), name).toEqual(baseBits.get(name)); // the base is untouched
    expect(Math.max(...params.get('model.layers.0.self_attn.q_proj.weight.lora_B')!.dataSync())).toBeGreaterThan(0);

    const path = join(dir, 'merged.safetensors');
    writeLlamaCheckpoint(model, path, { step: '6' });
    const merged = readLlamaCheckpoint(path);
    const [tuned, fromFile] = [model.logits(ids), merged.logits(ids)];
    expect(maxAbsDiff(fromFile.dataSync() as Float32Array, tuned.dataSync() as Float32Array)).toBeLessThan(1e-5);
    expect(maxAbsDiff(tuned.dataSync() as Float32Array, before.dataSync() as Float32Array)).toBeGreaterThan(1e-3);
    tf.dispose([before, atInit, tuned, fromFile, batch, targets]);
    optimizer.dispose();
    merged.dispose();
    model.setAdapter(null);
    adapters!.dispose();
    model.dispose();
  });

  it('fine-tunes with lora: val_loss falls, memory stays flat, and the adapters are saved in PEFT layout beside the merged weights', async () => {
    const config = resolveTrainConfig('quick', { ...SMALL, method: 'lora', loraTargets: 'attention+mlp', steps: 8, gradAccumulation: 2, weightDecay: 0.01, labelSmoothing: 0.1, learningRate: 1e-2 });
    const valLoss = new Map<number, number>();
    const logs: string[] = [];
    const counts: number[] = [];
    const tensorsBefore = tf.memory().numTensors;
    const result = await fineTuneLlama({
      basePath: BASE,
      texts: TRAIN,
      validation: VALIDATION,
      config,
      checkpointDir: join(dir, 'lora'),
      onLog: (_, m) => logs.push(m),
      onMetrics: (s, v) => {
        if (v.val_loss !== undefined) valLoss.set(s, v.val_loss);
        counts.push(tf.memory().numTensors);
      },
    });
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(new Set(counts.slice(1)).size).toBe(1);
    expect(valLoss.get(8)!).toBeLessThan(valLoss.get(0)! - 0.1);
    // per block, r = 4: q, o (64·4 + 4·64) + k, v (64·4 + 4·32, 4 KV heads of 8) + gate, up, down (64·4 + 4·172); × 5 blocks
    expect(logs).toContainEqual(expect.stringMatching(/Method lora \(rank 4, alpha 8, on q, k, v, o, gate, up, down of every block\): training 23,120 adapter parameters, 8\.9% of the base's 260,032/));
    if (result.status !== 'completed') throw new Error('the lora run did not complete');

    const adapterFile = readSafetensors(loraFileFor(result.checkpoint.path));
    expect(adapterFile.metadata).toMatchObject({ format: LORA_FORMAT, rank: '4', alpha: '8', targets: 'attention+mlp', step: '8' });
    expect(JSON.parse(adapterFile.metadata.adapter_config)).toMatchObject({ peft_type: 'LORA', r: 4, lora_alpha: 8, target_modules: ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'] });
    const peft = new Map(adapterFile.tensors.map((t) => [t.name, t]));
    expect(peft.size).toBe(5 * 7 * 2);
    expect(peft.get('base_model.model.model.layers.0.mlp.down_proj.lora_A.weight')!.shape).toEqual([4, 172]); // (r, in)
    expect(peft.get('base_model.model.model.layers.0.mlp.down_proj.lora_B.weight')!.shape).toEqual([64, 4]); // (out, r)

    // base + (α/r)·B·A, PEFT's rule, gives the checkpoint's merged weights (q_proj checks the rotate-half rows)
    const checkpoint = new Map(readSafetensors(result.checkpoint.path).tensors.map((t) => [t.name, t]));
    for (const module of ['model.layers.2.self_attn.q_proj', 'model.layers.4.self_attn.k_proj', 'model.layers.1.mlp.up_proj']) {
      const a = peft.get(`base_model.model.${module}.lora_A.weight`)!;
      const b = peft.get(`base_model.model.${module}.lora_B.weight`)!;
      const base = baseHf.get(`${module}.weight`)!;
      const rebuilt = tf.tidy(() => tf.add(tf.tensor(base.data, base.shape), tf.mul(tf.matMul(tf.tensor(b.data, b.shape), tf.tensor(a.data, a.shape)), 2)).dataSync() as Float32Array);
      const saved = checkpoint.get(`${module}.weight`)!.data;
      expect(maxAbsDiff(rebuilt, saved), module).toBeLessThan(1e-5);
      expect(maxAbsDiff(saved, base.data), module).toBeGreaterThan(1e-4);
    }
    const norm = checkpoint.get('model.norm.weight')!.data;
    expect(norm.every((v, i) => Object.is(v, baseHf.get('model.norm.weight')!.data[i]))).toBe(true); // not trained
  });

  it('fine-tunes with freeze: the embedding and lower blocks stay bit-identical to the base', async () => {
    const config = resolveTrainConfig('quick', { ...SMALL, method: 'freeze', trainLayers: 1, steps: 4, weightDecay: 0.1 });
    const logs: string[] = [];
    const result = await fineTuneLlama({ basePath: BASE, texts: TRAIN, validation: VALIDATION, config, checkpointDir: join(dir, 'freeze'), onLog: (_, m) => logs.push(m) });
    if (result.status !== 'completed') throw new Error('the freeze run did not complete');
    expect(logs).toContainEqual(expect.stringMatching(/Method freeze: training the top 1 of 5 blocks and the final norm, [\d,]+ of 260,032 parameters/));
    const saved = readSafetensors(result.checkpoint.path).tensors;
    const same = (t: NamedArray) => t.data.every((v, i) => Object.is(v, baseHf.get(t.name)!.data[i]));
    const changed = saved.filter((t) => !same(t)).map((t) => t.name);
    expect(changed.length).toBeGreaterThan(5);
    expect(changed.every((n) => n.startsWith('model.layers.4.') || n === 'model.norm.weight')).toBe(true);
    expect(existsSync(loraFileFor(result.checkpoint.path))).toBe(false);
  });
});
