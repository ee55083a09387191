import { describe, expect, it } from 'vitest';
import { classificationMetrics } from '../../../common/classificationMetrics';

describe('classificationMetrics', () => {
  // truth:      a a a b b c
  // predicted:  a a b b a a   (argmax of the rows below)
  const labels = ['a', 'b', 'c'];
  const truth = [0, 0, 0, 1, 1, 2];
  const probs = [
    [0.9, 0.05, 0.05],
    [0.6, 0.3, 0.1],
    [0.3, 0.6, 0.1],
    [0.2, 0.7, 0.1],
    [0.8, 0.1, 0.1],
    [0.5, 0.2, 0.3],
  ];
  const texts = ['t1', 't2', 't3', 't4', 't5', 't6'];
  const m = classificationMetrics(labels, truth, probs, texts);

  it('counts accuracy and the confusion matrix with rows = true label', () => {
    expect(m.examples).toBe(6);
    expect(m.accuracy).toBeCloseTo(3 / 6);
    expect(m.confusion).toEqual([
      [2, 1, 0],
      [1, 1, 0],
      [1, 0, 0],
    ]);
  });

  it('computes per-class precision, recall, F1 and support, with 0/0 = 0 for a never-predicted label', () => {
    // a: P = 2/4, R = 2/3, F1 = 4/7; b: P = 1/2, R = 1/2, F1 = 1/2; c: P = 0/0 → 0, R = 0, F1 = 0
    expect(m.perClass.map((c) => c.support)).toEqual([3, 2, 1]);
    expect(m.perClass[0].precision).toBeCloseTo(0.5);
    expect(m.perClass[0].recall).toBeCloseTo(2 / 3);
    expect(m.perClass[0].f1).toBeCloseTo(4 / 7);
    expect(m.perClass[1].f1).toBeCloseTo(0.5);
    expect(m.perClass[2]).toMatchObject({ precision: 0, recall: 0, f1: 0 });
    expect(m.macroF1).toBeCloseTo((4 / 7 + 0.5 + 0) / 3);
  });

  it('lists the mistakes most confident first', () => {
    expect(m.mistakes.map((x) => x.text)).toEqual(['t5', 't3', 't6']);
    expect(m.mistakes[0]).toEqual({ text: 't5', label: 'b', predicted: 'a', confidence: 0.8 });
  });

  it('gives zeros, not NaN, for an empty set', () => {
    const empty = classificationMetrics(['x', 'y'], [], [], []);
    expect(empty.accuracy).toBe(0);
    expect(empty.macroF1).toBe(0);
  });
});
