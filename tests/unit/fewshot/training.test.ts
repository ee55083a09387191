// A tiny SetFit run on real SMS spam rows: learns, is deterministic, keeps tensors flat, saves and loads, cancels.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveTrainConfig, type Overrides } from '../../../common/config';
import { selectBackend } from '../../../main/trainer/backend';
import { DEFAULT_RECIPE, FEWSHOT_FORMAT, loadFewShot, saveFewShot, trainFewShot, type FewShotClassifier } from '../../../main/trainer/fewshot';
import { readSafetensors, writeSafetensors } from '../../../main/trainer/safetensors';
import * as tf from '../../../main/trainer/tfjs';

const SMS = join(__dirname, '../../../../shared/data/classify/sms-spam/SMSSpamCollection');
const BASE = join(__dirname, '../../../resources/models/glove-6b-100d');
const hasData = existsSync(SMS) && existsSync(BASE);
if (!hasData) console.warn(`Skipping the few-shot training tests: ${SMS} or ${BASE} is absent.`);

const LABELS = ['ham', 'spam'];
type Example = { text: string; label: number };

/** The first `perClass` rows of each label for training, the next 100 of each for testing (file order). */
function split(perClass: number): { train: Example[]; test: Example[] } {
  const rows = readFileSync(SMS, 'utf8').split('\n').slice(1).filter(Boolean).map((l) => {
    const tab = l.indexOf('\t');
    return { text: l.slice(tab + 1), label: LABELS.indexOf(l.slice(0, tab)) };
  });
  const of = (label: number) => rows.filter((r) => r.label === label);
  return {
    train: [...of(0).slice(0, perClass), ...of(1).slice(0, perClass)],
    test: [...of(0).slice(perClass, perClass + 100), ...of(1).slice(perClass, perClass + 100)],
  };
}

const SMALL: Overrides = { base: 'glove-6b-100d', method: 'setfit', steps: 60, batchSize: 16, learningRate: 3e-3, pairsPerExample: 10, weightDecay: 1e-3, logEvery: 1, evalEvery: 20 };
const accuracy = (probs: number[][], rows: Example[]) => rows.filter((r, i) => probs[i].indexOf(Math.max(...probs[i])) === r.label).length / rows.length;

describe.skipIf(!hasData)('few-shot SetFit training on SMS spam (12 examples per class)', () => {
  const data = hasData ? split(12) : { train: [], test: [] };
  const dir = mkdtempSync(join(tmpdir(), 'fewshot-'));
  const counts: number[] = [];
  const metrics = new Map<number, Record<string, number>>();
  const logs: string[] = [];
  let model: FewShotClassifier;
  let twin: FewShotClassifier;
  let tensorsBefore = 0;

  const train = (extra: Overrides = {}, hooks: { onMetrics?: (s: number, v: Record<string, number>) => void; shouldStop?: () => boolean } = {}) =>
    trainFewShot({
      basePath: BASE,
      labels: LABELS,
      train: data.train,
      validation: data.test.slice(0, 40),
      config: resolveTrainConfig('few-shot', { ...SMALL, ...extra }),
      onLog: (_, message) => logs.push(message),
      ...hooks,
    });

  beforeAll(async () => {
    await selectBackend('wasm');
    tensorsBefore = tf.memory().numTensors;
    const result = await train({}, {
      onMetrics: (step, values) => {
        metrics.set(step, values);
        counts.push(tf.memory().numTensors);
      },
    });
    expect(result).toMatchObject({ status: 'completed', step: 60 });
    model = result.model;
    twin = (await train()).model;
  });

  afterAll(() => {
    model?.dispose();
    twin?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('classifies held-out messages well above chance', () => {
    expect(accuracy(model.predictProba(data.test.map((r) => r.text)), data.test)).toBeGreaterThan(0.75);
  });

  it('reports loss and lr for steps 1..60, validation metrics, and both stages in the log', () => {
    expect([...metrics.keys()]).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect(metrics.get(60)).toMatchObject({ val_accuracy: expect.any(Number), val_loss: expect.any(Number) });
    expect(logs.some((l) => l.startsWith('Stage 1 of 2'))).toBe(true);
    expect(logs.some((l) => l.startsWith('Stage 2 of 2'))).toBe(true);
  });

  it('keeps the tensor count flat within each stage and frees everything but the model', () => {
    const stage1 = counts.slice(2, 40);
    const stage2 = counts.slice(-15);
    expect(new Set(stage1).size).toBe(1);
    expect(new Set(stage2).size).toBe(1);
    model.dispose();
    twin.dispose();
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it('gives the same probabilities for the same seed', async () => {
    const a = await train();
    const b = await train();
    const texts = data.test.slice(0, 20).map((r) => r.text);
    expect(a.model.predictProba(texts)).toEqual(b.model.predictProba(texts));
    a.model.dispose();
    b.model.dispose();
  });

  it('saves only the trained weights and loads to identical probabilities', async () => {
    const { model: trained } = await train();
    const saved = saveFewShot(trained, dir, 60);
    expect(saved.path).toBe(join(dir, 'step-000060.safetensors'));
    const file = readSafetensors(saved.path);
    expect(file.metadata).toMatchObject({ format: FEWSHOT_FORMAT, labels: JSON.stringify(LABELS), step: '60' });
    expect(saved.bytes).toBeLessThan(2_000_000); // no 20,000 × 100 GloVe table inside
    const loaded = loadFewShot(saved.path, BASE);
    const texts = ['WINNER!! Claim your free prize now, call 0800', 'ok see you at home later', 'qzxv'];
    expect(loaded.predictProba(texts)).toEqual(trained.predictProba(texts));
    expect(loaded.labels).toEqual(LABELS);
    expect(loaded.parameterCount).toBe(trained.parameterCount);
    trained.dispose();
    loaded.dispose();
  });

  it('loads a checkpoint written before the recipe had function-word and leading-word channels and a head L2 as it was trained', async () => {
    const recipe = { ...DEFAULT_RECIPE, adapter: 'linear' as const, functionWords: 0, functionScale: 1, headL2: null, leadWords: 0, leadScale: 1 };
    const { model: trained } = await trainFewShot({ basePath: BASE, labels: LABELS, train: data.train, validation: [], config: resolveTrainConfig('few-shot', SMALL), recipe });
    const saved = saveFewShot(trained, dir, 1);
    const file = readSafetensors(saved.path);
    const { functionWords, functionScale, headL2, leadWords, leadScale, ...older } = JSON.parse(file.metadata.recipe!) as typeof recipe;
    expect([functionWords, functionScale, headL2, leadWords, leadScale]).toEqual([0, 1, null, 0, 1]);
    writeSafetensors(saved.path, file.tensors, { ...file.metadata, recipe: JSON.stringify(older) });
    const loaded = loadFewShot(saved.path, BASE);
    const texts = ['WINNER!! Claim your free prize now, call 0800', 'ok see you at home later'];
    expect(loaded.predictProba(texts)).toEqual(trained.predictProba(texts));
    trained.dispose();
    loaded.dispose();
  });

  it('trains the head alone, with a warning, when the recipe leaves nothing to train contrastively', async () => {
    const warnings: string[] = [];
    const result = await trainFewShot({
      basePath: BASE,
      labels: LABELS,
      train: data.train,
      validation: [],
      config: resolveTrainConfig('few-shot', SMALL),
      recipe: { ...DEFAULT_RECIPE, adapter: 'none', wordDeltas: false },
      onLog: (level, message) => level === 'warn' && warnings.push(message),
    });
    expect(result).toMatchObject({ status: 'completed', step: 60 });
    expect(warnings.some((w) => w.includes('skipping the contrastive stage'))).toBe(true);
    expect(accuracy(result.model.predictProba(data.test.map((r) => r.text)), data.test)).toBeGreaterThan(0.6);
    result.model.dispose();
  });

  it('stops when shouldStop turns true', async () => {
    let steps = 0;
    const result = await train({}, { onMetrics: () => steps++, shouldStop: () => steps >= 5 });
    expect(result.status).toBe('cancelled');
    expect(result.step).toBe(5);
    result.model.dispose();
  });
});
