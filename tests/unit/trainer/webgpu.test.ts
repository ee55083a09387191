// The webgpu backend trains the same model as the CPU backends: here on SwiftShader (Chromium's Vulkan software
// driver, through Dawn from the npm `webgpu` package), so the path is ready for real GPUs. Skipped, with the reason,
// where the Vulkan loader or SwiftShader is missing.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveTrainConfig, type BackendName } from '../../../common/config';
import type { TrainData } from '../../../common/protocol';
import { selectBackend } from '../../../main/trainer/backend';
import { prepareData } from '../../../main/trainer/data';
import { train } from '../../../main/trainer/gpt/loop';
import { GptModel } from '../../../main/trainer/gpt/model';
import * as tf from '../../../main/trainer/tfjs';
import { corpusLines } from '../../helpers/fixtures';

const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json';
const LOADERS = ['/usr/lib/x86_64-linux-gnu/libvulkan.so.1', '/usr/lib/aarch64-linux-gnu/libvulkan.so.1'];
const ready = existsSync(SWIFTSHADER) && LOADERS.some((p) => existsSync(p));
if (!ready) console.warn(`Skipping the webgpu training test: it needs ${SWIFTSHADER} (Debian chromium) and the Vulkan loader (Debian libvulkan1).`);

const data: TrainData = { task: 'generate', train: corpusLines(150), validation: [] };

async function losses(backend: BackendName): Promise<{ device: string; losses: number[]; gradNorms: number[]; tensorsPerStep: number[] }> {
  const chosen = await selectBackend(backend);
  const config = resolveTrainConfig('quick', { backend, steps: 8, nLayer: 1, nHead: 2, dModel: 32, contextLength: 16, batchSize: 8, learningRate: 1e-2, warmupSteps: 2, logEvery: 1, evalEvery: 8, evalBatches: 1 });
  const prepared = prepareData(data, config, () => {});
  const model = new GptModel({ task: 'generate', vocabSize: prepared.tokenizer.size, numLabels: 0, nLayer: 1, nHead: 2, dModel: 32, contextLength: 16, dropout: 0 }, config.seed);
  const out = { device: chosen.device, losses: [] as number[], gradNorms: [] as number[], tensorsPerStep: [] as number[] };
  await train({
    model,
    data: prepared,
    config,
    onMetrics: (_step, values) => {
      if (values.loss !== undefined) out.losses.push(values.loss);
      if (values.grad_norm !== undefined) out.gradNorms.push(values.grad_norm);
      out.tensorsPerStep.push(tf.memory().numTensors);
    },
  });
  model.dispose();
  return out;
}

describe.skipIf(!ready)('webgpu backend on SwiftShader', () => {
  it('trains the same model as the cpu backend, loss for loss', async () => {
    process.env.VK_ICD_FILENAMES ??= SWIFTSHADER; // read when Dawn creates its instance, on first use
    const gpu = await losses('webgpu');
    expect(gpu.device).toMatch(/SwiftShader/);
    const cpu = await losses('cpu');
    expect(gpu.losses).toHaveLength(8);
    // the same forward and first update (steps 1-2); after that float32 rounding on another device drifts slowly as
    // Adam compounds it (measured: 1.5e-3 at step 3, 0.6% by step 8)
    gpu.losses.slice(0, 2).forEach((loss, i) => expect(Math.abs(loss - cpu.losses[i])).toBeLessThan(1e-4));
    gpu.gradNorms.slice(0, 2).forEach((norm, i) => expect(Math.abs(norm - cpu.gradNorms[i]) / cpu.gradNorms[i]).toBeLessThan(1e-3));
    gpu.losses.forEach((loss, i) => expect(Math.abs(loss - cpu.losses[i]) / cpu.losses[i]).toBeLessThan(0.01));
    expect(gpu.losses.at(-1)!).toBeLessThan(gpu.losses[0] - 0.3);
    expect(new Set(gpu.tensorsPerStep.slice(2, -1)).size).toBe(1); // flat tensor count across steps
  }, 180_000);
});
