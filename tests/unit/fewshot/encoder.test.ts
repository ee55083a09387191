import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { channelBags, channelScales, poolBags, poolChannels, wordBag } from '../../../main/trainer/fewshot/encoder';
import { loadGlove } from '../../../main/trainer/fewshot/glove';
import { tokenize } from '../../../main/trainer/fewshot/tokenize';

const BASE = join(__dirname, '../../../resources/models/glove-6b-100d');

describe('tokenize', () => {
  it('lower-cases and splits punctuation into separate tokens', () => {
    expect(tokenize('Hello, World! (Really?)')).toEqual(['hello', ',', 'world', '!', '(', 'really', '?', ')']);
  });

  it("maps clitics to words the vocabulary has: n't → not, 're → are; drops 's", () => {
    expect(tokenize("Don't panic, it's fine; they're here")).toEqual(['do', 'not', 'panic', ',', 'it', 'fine', ';', 'they', 'are', 'here']);
    expect(tokenize("I can't and I won't")).toEqual(['i', 'can', 'not', 'and', 'i', 'will', 'not']);
    expect(tokenize("it 's a film that ca n't decide")).toEqual(['it', 'a', 'film', 'that', 'can', 'not', 'decide']); // SST-2's PTB form
  });

  it('undoes AG News entity artefacts and keeps hyphenated words whole', () => {
    expect(tokenize('Intel #39;s so-called chip &amp; more')).toEqual(['intel', 'so-called', 'chip', '&', 'more']);
  });
});

describe.skipIf(!existsSync(BASE))('GloVe pooling', () => {
  const glove = existsSync(BASE) ? loadGlove(BASE) : null!;

  it('gives a zero vector, not NaN, for text with no known word', () => {
    for (const pooling of ['mean', 'sif'] as const) {
      const bags = ['', 'qzxv wqpt 12345', 'The movie was great'].map((t) => wordBag(t, glove, pooling));
      const pooled = poolBags(bags, glove);
      expect(pooled.every(Number.isFinite)).toBe(true);
      expect(pooled.slice(0, 200).every((v) => v === 0)).toBe(true);
      expect(pooled.slice(200).some((v) => v !== 0)).toBe(true);
    }
  });

  it('looks up unknown hyphenated words part by part and weights frequent words less with sif', () => {
    const bag = wordBag('tiger-of-the-state tiger', glove, 'sif');
    expect(bag.rows).toContain(glove.index.get('tiger'));
    expect(bag.rows).toContain(glove.index.get('state'));
    const weight = (w: string) => bag.weights[bag.rows.indexOf(glove.index.get(w)!)];
    expect(weight('the')).toBeLessThan(weight('tiger') / 10);
    expect(bag.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1);
  });

  it('pools the most frequent words apart from the rest, each channel a mean of its own words', () => {
    const recipe = { pooling: 'mean' as const, functionWords: 30, leadWords: 0 };
    const [fn, content] = channelBags('It is the tiger, he said.', glove, recipe);
    expect(fn.rows.map((r) => glove.words[r]).sort()).toEqual([',', '.', 'he', 'is', 'it', 'said', 'the']);
    expect(content.rows.map((r) => glove.words[r])).toEqual(['tiger']);
    const pooled = poolChannels([[fn, content]], glove);
    expect(pooled.length).toBe(200);
    expect(Array.from(pooled.slice(100))).toEqual(Array.from(glove.vectors.slice(content.rows[0] * 100, content.rows[0] * 100 + 100)));
    expect(channelBags('It is the tiger, he said.', glove, { pooling: 'mean', functionWords: 0, leadWords: 0 })).toHaveLength(1);
  });

  it("pools a text's first known words in a channel of their own after the others", () => {
    const words = (bag: { rows: number[] }) => bag.rows.map((r) => glove.words[r]).sort();
    const bags = channelBags('Qwzxv how many tigers live here?', glove, { pooling: 'mean', functionWords: 30, leadWords: 2 });
    expect(bags).toHaveLength(3);
    expect(words(bags[2])).toEqual(['how', 'many']);
    expect(bags[2].weights).toEqual([0.5, 0.5]);
    expect(words(bags[1])).toContain('tigers');
    const alone = channelBags('Who?', glove, { pooling: 'mean', functionWords: 0, leadWords: 1 });
    expect(alone.map(words)).toEqual([['?', 'who'], ['who']]);
    expect(channelScales({ functionWords: 30, functionScale: 0.3, leadWords: 1, leadScale: 0.2 })).toEqual([0.3, 1, 0.2]);
    expect(channelScales({ functionWords: 0, functionScale: 1, leadWords: 0, leadScale: 1 })).toEqual([1]);
  });
});
