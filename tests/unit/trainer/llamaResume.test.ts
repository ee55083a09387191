// Resuming a stories260K fine-tune from a checkpoint: the weights (for lora the adapters, not the merged weights),
// Adam's moments and the sampler's position come back, so the losses after the checkpoint are the uninterrupted
// run's. Driven through fineTuneLlama as the trainer process drives it, on the cpu backend.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveTrainConfig, type Overrides } from '../../../common/config';
import { selectBackend } from '../../../main/trainer/backend';
import { checkpointFileName, loraFileFor, optimizerFileFor } from '../../../main/trainer/checkpointFiles';
import { fineTuneLlama } from '../../../main/trainer/llama/fineTune';

const BASE = resolve(__dirname, '../../../resources/models/stories260k');
const present = existsSync(join(BASE, 'stories260K.bin')) && existsSync(join(BASE, 'tok512.bin'));
if (!present) console.warn(`llamaResume.test: ${BASE} lacks stories260K.bin or tok512.bin; skipping.`);

const names = ['Zorbo', 'Quilla', 'Mirtle', 'Fenwick'];
const story = (i: number) => `${names[i % 4]} the goat went up the hill with ${names[(i + 1) % 4]}. They found a drum and played all day.`;
const TRAIN = Array.from({ length: 12 }, (_, i) => story(i));
const VALIDATION = [story(101), story(102)];

// gradient accumulation 2, so the sampler replays two batches a step
const SMALL: Overrides = { base: 'stories260k', steps: 6, checkpointEvery: 3, batchSize: 2, gradAccumulation: 2, contextLength: 16, learningRate: 3e-3, warmupSteps: 2, logEvery: 1, evalEvery: 3, evalBatches: 1, backend: 'cpu' };

async function fineTune(overrides: Overrides, dir: string, resume?: { checkpoint: string; step: number }) {
  const series = new Map<string, Map<number, number>>();
  const logs: string[] = [];
  const result = await fineTuneLlama({
    basePath: BASE,
    texts: TRAIN,
    validation: VALIDATION,
    config: resolveTrainConfig('quick', { ...SMALL, ...overrides }),
    checkpointDir: dir,
    ...(resume ? { resume } : {}),
    onMetrics: (step, values) => {
      for (const [name, value] of Object.entries(values)) {
        if (!series.has(name)) series.set(name, new Map());
        series.get(name)!.set(step, value);
      }
    },
    onLog: (_, m) => logs.push(m),
  });
  return { result, series, logs };
}

describe.skipIf(!present)('resuming a stories260K fine-tune (cpu)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tunebench-llama-resume-'));
  beforeAll(() => selectBackend('cpu'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const method of ['full', 'lora'] as const) {
    it(`continues a ${method} fine-tune from step 3 on the uninterrupted run's curve`, async () => {
      const whole = await fineTune({ method }, join(dir, method, 'whole'));
      expect(whole.result.status).toBe('completed');
      const checkpoint = join(dir, method, 'whole', checkpointFileName(3));
      expect(existsSync(optimizerFileFor(checkpoint))).toBe(true);
      expect(existsSync(loraFileFor(checkpoint))).toBe(method === 'lora');

      const resumed = await fineTune({ method }, join(dir, method, 'resumed'), { checkpoint, step: 3 });
      expect(resumed.result).toMatchObject({ status: 'completed', step: 6 });
      expect(resumed.logs).toContain(`Resuming after step 3 from ${checkpoint}.`);
      for (const name of ['loss', 'grad_norm', 'val_loss']) {
        const want = [...whole.series.get(name)!].filter(([step]) => step > 3);
        const got = [...resumed.series.get(name)!];
        expect(got.map(([step]) => step)).toEqual(want.map(([step]) => step)); // nothing at or before step 3 again
        // to float32 rounding (tfjs rebuilds Adam's bias correction as a power, not the running product): 5 digits
        got.forEach(([, value], i) => expect(Math.abs(value - want[i][1])).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(want[i][1]))));
      }
      const loss = whole.series.get('loss')!;
      expect(Math.abs(loss.get(6)! - loss.get(4)!)).toBeGreaterThan(1e-3); // the curve moves, so matching it means something
    });
  }

  it('says in one sentence when a checkpoint has no optimizer state beside it', async () => {
    const checkpoint = join(dir, 'full', 'whole', checkpointFileName(3));
    rmSync(optimizerFileFor(checkpoint));
    await expect(fineTune({ method: 'full' }, join(dir, 'full', 'again'), { checkpoint, step: 3 })).rejects.toThrow(/saved without its optimizer state .* it cannot be resumed\./);
  });
});
