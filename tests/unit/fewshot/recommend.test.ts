import { describe, expect, it } from 'vitest';
import { resolveTrainConfig } from '../../../common/config';
import { recommendFewShotConfig } from '../../../main/trainer/fewshot';

describe('recommendFewShotConfig', () => {
  it('chooses a valid setfit config on the GloVe base that grows with the data', () => {
    const small = recommendFewShotConfig({ classes: 2, minPerClass: 8, medianPerClass: 8, rows: 16, meanWords: 12 });
    const large = recommendFewShotConfig({ classes: 4, minPerClass: 64, medianPerClass: 64, rows: 256, meanWords: 40 });
    expect(small).toMatchObject({ base: 'glove-6b-100d', method: 'setfit', steps: 120, pairsPerExample: 20 });
    expect(large.steps).toBe(260);
    const config = resolveTrainConfig('few-shot', {}, large);
    expect(config).toMatchObject({ method: 'setfit', batchSize: 32, learningRate: 3e-3, weightDecay: 1e-3 });
  });
});
