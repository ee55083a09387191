import { describe, expect, it } from 'vitest';
import { resolveTrainConfig } from '../../../common/config';
import { prepareData, type ClassBatch, type LmBatch } from '../../../main/trainer/data';

const config = (overrides: Record<string, number> = {}) =>
  resolveTrainConfig('quick', { contextLength: 8, batchSize: 4, evalBatches: 2, seed: 7, ...overrides });
const noLog = () => {};

describe('prepareData for generation', () => {
  const train = Array.from({ length: 40 }, (_, i) => `line ${i} of the training text`);
  const validation = Array.from({ length: 10 }, (_, i) => `the text of line ${i + 100}`);

  it('samples windows whose targets are the inputs shifted by one token', () => {
    const prepared = prepareData({ task: 'generate', train, validation }, config(), noLog);
    const batch = prepared.nextTrainBatch() as LmBatch;
    expect(batch.kind).toBe('lm');
    expect(batch.inputs.length).toBe(4 * 8);
    for (let b = 0; b < 4; b++) {
      for (let t = 0; t < 7; t++) expect(batch.targets[b * 8 + t]).toBe(batch.inputs[b * 8 + t + 1]);
    }
    const text = prepared.tokenizer.decode(batch.inputs.subarray(0, 8));
    expect(train.join('\n')).toContain(text);
    expect(prepared.tokenizer.decode(prepared.tokenizer.encode('\n'))).toBe('\n'); // the line break is in the vocabulary
  });

  it('uses the validation rows and keeps the same fixed validation batches', () => {
    const prepared = prepareData({ task: 'generate', train, validation }, config(), noLog);
    expect(prepared.validation).toHaveLength(2);
    const first = prepared.tokenizer.decode((prepared.validation[0] as LmBatch).inputs.subarray(0, 8));
    expect(validation.join('\n')).toContain(first);
  });

  it('is seeded: the same seed gives the same batches, another seed different ones', () => {
    const a = prepareData({ task: 'generate', train, validation }, config(), noLog).nextTrainBatch() as LmBatch;
    const b = prepareData({ task: 'generate', train, validation }, config(), noLog).nextTrainBatch() as LmBatch;
    const c = prepareData({ task: 'generate', train, validation }, config({ seed: 8 }), noLog).nextTrainBatch() as LmBatch;
    expect(Array.from(a.inputs)).toEqual(Array.from(b.inputs));
    expect(Array.from(a.inputs)).not.toEqual(Array.from(c.inputs));
  });

  it('holds out the end of the training text when there is no usable validation split, and says so', () => {
    const logs: string[] = [];
    const prepared = prepareData({ task: 'generate', train, validation: ['tiny'] }, config(), (_, m) => logs.push(m));
    expect(logs.join(' ')).toMatch(/Validation uses the last \d+ of \d+ training characters/);
    const held = prepared.tokenizer.decode((prepared.validation[1] as LmBatch).targets);
    expect(train.join('\n').slice(-400)).toContain(held.slice(-8));
  });

  it('refuses a text too short for the context length, naming the setting', () => {
    expect(() => prepareData({ task: 'generate', train: ['short'], validation: [] }, config(), noLog)).toThrow(/contextLength 8/);
  });
});

describe('prepareData for classification', () => {
  const labels = ['neg', 'pos'];
  const train = Array.from({ length: 20 }, (_, i) => ({ text: i % 2 ? 'good film' : 'a very bad long film indeed', label: i % 2 }));

  it('pads and truncates to contextLength with a mask, and draws every row once per epoch', () => {
    const logs: string[] = [];
    const prepared = prepareData({ task: 'classify', labels, train, validation: train.slice(0, 5) }, config({ batchSize: 5, contextLength: 10 }), (_, m) => logs.push(m));
    expect(logs.join(' ')).toMatch(/10 of 20 training texts are longer than contextLength 10/);
    const seen: number[] = [];
    for (let i = 0; i < 4; i++) {
      const batch = prepared.nextTrainBatch() as ClassBatch;
      for (let b = 0; b < batch.B; b++) {
        const mask = Array.from(batch.mask.subarray(b * 10, b * 10 + 10));
        const text = prepared.tokenizer.decode(batch.inputs.subarray(b * 10, b * 10 + 10));
        if (batch.labels[b] === 1) {
          expect(text).toBe('good film');
          expect(mask).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 0]);
        } else {
          expect(text).toBe('a very bad'); // cut to 10 characters
        }
        seen.push(batch.labels[b]);
      }
    }
    expect(seen.filter((l) => l === 1)).toHaveLength(10);
    expect(prepared.validation.map((b) => b.B)).toEqual([5]);
  });

  it('marks padding with mask 0 and the pad id', () => {
    const prepared = prepareData({ task: 'classify', labels, train: [{ text: 'ab', label: 0 }, { text: 'abc', label: 1 }], validation: [{ text: 'a', label: 0 }] }, config({ batchSize: 1 }), noLog);
    const batch = prepared.validation[0] as ClassBatch;
    expect(Array.from(batch.mask)).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(batch.inputs.subarray(1))).toEqual(new Array(7).fill(prepared.tokenizer.padId));
  });

  it('holds out random training rows when there is no validation split', () => {
    const logs: string[] = [];
    const prepared = prepareData({ task: 'classify', labels, train, validation: [] }, config({ validationFraction: 0.25 }), (_, m) => logs.push(m));
    expect(logs.join(' ')).toMatch(/Validation uses 5 of the training rows/);
    expect(prepared.validation.reduce((n, b) => n + b.B, 0)).toBe(5);
  });

  it('refuses a label index outside the label list, naming the row', () => {
    const bad = [...train.slice(0, 3), { text: 'x', label: 2 }];
    expect(() => prepareData({ task: 'classify', labels, train: bad, validation: [] }, config(), noLog)).toThrow(/Training row 4 has label index 2/);
  });
});
