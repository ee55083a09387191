import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../main/trainer/rng';
import { argmax, sampleFrom, sampleToken, softmaxWithTemperature, StopMatcher, truncateDistribution } from '../../../main/trainer/sampling';

const logits = Float32Array.from([1, 3, 3, 0.5, 2.9]);

/** How often each id is drawn in n samples. */
function histogram(n: number, draw: () => number, V: number): number[] {
  const counts = new Array(V).fill(0);
  for (let i = 0; i < n; i++) counts[draw()]++;
  return counts;
}

describe('sampling', () => {
  it('is greedy at temperature 0, taking the first of equal maxima like run.c', () => {
    expect(argmax(logits)).toBe(1);
    const rng = mulberry32(1);
    expect(sampleToken(logits, { temperature: 0, topK: 0, topP: 1 }, rng)).toBe(1);
  });

  it('softmax sharpens at low temperature and flattens at high', () => {
    const cold = softmaxWithTemperature(logits, 0.1);
    const hot = softmaxWithTemperature(logits, 10);
    expect(cold.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(cold[0] + cold[3]).toBeLessThan(1e-8); // 2 logits behind the best: e^-20
    expect(cold[1]).toBeGreaterThan(softmaxWithTemperature(logits, 1)[1]);
    expect(Math.max(...hot) - Math.min(...hot)).toBeLessThan(0.1);
  });

  it('top-k keeps the k most likely tokens', () => {
    const probs = truncateDistribution(softmaxWithTemperature(logits, 1), 2, 1);
    expect(Array.from(probs).map((p) => p > 0)).toEqual([false, true, true, false, false]);
    expect(probs[1] + probs[2]).toBeCloseTo(1, 12);
  });

  it('top-p keeps the smallest nucleus reaching p, and always the most likely token', () => {
    const probs = Float64Array.from([0.05, 0.5, 0.3, 0.15]);
    expect(Array.from(truncateDistribution(probs, 0, 0.7)).map((p) => p > 0)).toEqual([false, true, true, false]);
    expect(Array.from(truncateDistribution(probs, 0, 0.01)).map((p) => p > 0)).toEqual([false, true, false, false]);
    expect(truncateDistribution(probs, 0, 0.7)[1]).toBeCloseTo(0.5 / 0.8, 12);
  });

  it('draws with the given probabilities, reproducibly for a seed', () => {
    const opts = { temperature: 1, topK: 0, topP: 1 };
    const V = logits.length;
    const a = histogram(4000, (() => { const r = mulberry32(7); return () => sampleToken(logits, opts, r); })(), V);
    const b = histogram(4000, (() => { const r = mulberry32(7); return () => sampleToken(logits, opts, r); })(), V);
    expect(a).toEqual(b);
    const expected = softmaxWithTemperature(logits, 1);
    a.forEach((count, i) => expect(Math.abs(count / 4000 - expected[i])).toBeLessThan(0.03));
    expect(sampleFrom([0, 0.5, 0.5], 0.9999999)).toBe(2);
    expect(sampleFrom([0.2, 0.8, 0], 0.99999999999)).toBe(1); // never a zero-probability token
  });
});

/** Feeds pieces through a matcher; returns what was shown after each piece, and the final text. */
function stream(stops: string[], pieces: string[]): { shown: string[]; text: string; stopped: boolean } {
  const matcher = new StopMatcher(stops);
  const shown: string[] = [];
  let stopped = false;
  for (const piece of pieces) {
    const step = matcher.push(piece);
    shown.push(step.emit);
    if (step.stopped) {
      stopped = true;
      break;
    }
  }
  if (!stopped) shown.push(matcher.flush());
  return { shown, text: shown.join(''), stopped };
}

describe('stop strings on streamed text', () => {
  it('ends the text before a stop string that spans tokens, never showing its start', () => {
    const r = stream(['The end'], ['Once', ' upon', ' a time. The', ' e', 'nd', ' more']);
    expect(r.stopped).toBe(true);
    expect(r.text).toBe('Once upon a time. ');
    expect(r.shown).toEqual(['Once', ' upon', ' a time. ', '', '']); // ' more' is never read
  });

  it('releases held text once it can no longer start a stop string', () => {
    const r = stream(['\n\n'], ['Hi.', '\n', 'Bye', '.']);
    expect(r.stopped).toBe(false);
    expect(r.shown).toEqual(['Hi.', '', '\nBye', '.', '']);
    expect(r.text).toBe('Hi.\nBye.');
  });

  it('stops at the earliest of several stop strings, even inside one token', () => {
    expect(stream(['cat', 'at home'], ['She was at home with a cat'])).toMatchObject({ text: 'She was ', stopped: true });
    expect(stream(['x'], ['abc'])).toMatchObject({ text: 'abc', stopped: false });
    expect(stream([], ['a', 'b'])).toMatchObject({ text: 'ab', stopped: false });
  });

  it('flushes a held tail that never became a stop string', () => {
    const r = stream(['END'], ['the E', 'N']);
    expect(r.shown).toEqual(['the ', '', 'EN']);
  });
});
