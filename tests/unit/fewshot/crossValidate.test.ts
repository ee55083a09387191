// Cross-validation for tiny datasets: which runs use it, how rows are folded, and out-of-fold predictions that are
// real predictions of held-out rows.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveTrainConfig } from '../../../common/config';
import { selectBackend } from '../../../main/trainer/backend';
import { trainFewShot } from '../../../main/trainer/fewshot';
import { crossValidateFewShot, foldCount, shouldCrossValidate } from '../../../main/trainer/fewshot/crossValidate';
import { loadGlove } from '../../../main/trainer/fewshot/glove';
import * as tf from '../../../main/trainer/tfjs';

const SMS = join(__dirname, '../../../../shared/data/classify/sms-spam/SMSSpamCollection');
const BASE = join(__dirname, '../../../resources/models/glove-6b-100d');
const hasData = existsSync(SMS);
if (!hasData) console.warn(`Skipping the cross-validation training test: ${SMS} is absent.`);

const rows = (...perLabel: number[]) => perLabel.flatMap((n, label) => Array.from({ length: n }, (_, i) => ({ text: `row ${i}`, label })));

describe('when to cross-validate', () => {
  it('uses up to 5 folds, no more than the smallest label has rows, and none when a label has one row', () => {
    expect(foldCount(rows(8, 8, 8, 8), 4)).toBe(5);
    expect(foldCount(rows(8, 3), 2)).toBe(3);
    expect(foldCount(rows(8, 1), 2)).toBe(0);
  });

  it('replaces a validation split with fewer than 5 rows per label, unless a label is too small to fold', () => {
    expect(shouldCrossValidate(rows(7, 7, 7, 7), rows(1, 1, 1, 0), 4)).toBe(true); // 8 per class, a 10% split
    expect(shouldCrossValidate(rows(58, 58), rows(6, 6), 2)).toBe(false); // 12 validation rows for 2 labels
    expect(shouldCrossValidate(rows(6, 0), rows(0, 1), 2)).toBe(false);
  });
});

describe.skipIf(!hasData)('crossValidateFewShot on SMS spam (12 per class)', () => {
  const lines = hasData ? readFileSync(SMS, 'utf8').split('\n').slice(1).filter(Boolean) : [];
  const of = (label: string) => lines.filter((l) => l.startsWith(`${label}\t`)).slice(0, 12).map((l) => l.slice(l.indexOf('\t') + 1));
  const train = [...of('ham').map((text) => ({ text, label: 0 })), ...of('spam').map((text) => ({ text, label: 1 }))];
  const config = resolveTrainConfig('few-shot', { base: 'glove-6b-100d', method: 'setfit', steps: 40, batchSize: 16, pairsPerExample: 10, learningRate: 3e-3 });
  const options = { basePath: BASE, labels: ['ham', 'spam'], train, validation: [], config };

  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it('predicts every row once, from a model that did not see it, the same way each time', async () => {
    const tensors = tf.memory().numTensors;
    const cv = (await crossValidateFewShot(options))!;
    expect(cv.folds).toBe(5);
    expect(cv.probs).toHaveLength(24);
    for (const p of cv.probs) expect(p[0] + p[1]).toBeCloseTo(1, 5);
    expect(cv.texts).toEqual(train.map((e) => e.text));
    const right = cv.probs.filter((p, i) => (p[1] > p[0] ? 1 : 0) === cv.labels[i]).length;
    expect(right).toBeGreaterThanOrEqual(16); // well above chance (12 of 24)
    expect(tf.memory().numTensors).toBe(tensors);
    const again = (await crossValidateFewShot(options))!;
    expect(again.probs).toEqual(cv.probs);
  });

  it('holds each fold out: labels that only memorising could fit are learnt in sample, not out of fold', async () => {
    const glove = loadGlove(BASE);
    const noise = Array.from({ length: 20 }, (_, i) => ({ text: glove.words[6000 + 37 * i], label: i % 2 }));
    const fit = await trainFewShot({ ...options, train: noise });
    const inSample = fit.model.predictProba(noise.map((e) => e.text)).filter((p, i) => (p[1] > p[0] ? 1 : 0) === noise[i].label).length;
    fit.model.dispose();
    const cv = (await crossValidateFewShot({ ...options, train: noise }))!;
    const outOfFold = cv.probs.filter((p, i) => (p[1] > p[0] ? 1 : 0) === noise[i].label).length;
    expect(inSample).toBeGreaterThanOrEqual(18);
    expect(outOfFold).toBeLessThanOrEqual(14);
  });

  it('stops when asked', async () => {
    expect(await crossValidateFewShot({ ...options, shouldStop: () => true })).toBeNull();
  });
});
