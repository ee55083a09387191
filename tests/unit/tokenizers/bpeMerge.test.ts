import { describe, expect, it } from 'vitest';
import { heapMerge, scanMerge, type RankOf } from '../../../main/trainer/tokenizers/bpeMerge';

// Symbols 0..3 are a, b, c, d; rules in rank order build ab, abab, cd, bc, aa, and abcd.
const RULES: [number, number, number][] = [
  [0, 1, 4], // a b → ab
  [4, 4, 5], // ab ab → abab
  [2, 3, 6], // c d → cd
  [1, 2, 7], // b c → bc
  [0, 0, 8], // a a → aa
  [4, 6, 9], // ab cd → abcd
];
const rankOf: RankOf = (a, b) => {
  const rank = RULES.findIndex(([x, y]) => x === a && y === b);
  return rank < 0 ? undefined : rank;
};
const mergedId = Int32Array.from(RULES.map(([, , id]) => id));

/** Deterministic pseudo-random symbols 0..3 (a 32-bit LCG). */
function randomWord(length: number, seed: number): number[] {
  let s = seed;
  return Array.from({ length }, () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) >>> 16) % 4);
}

describe('BPE merge application', () => {
  it('merges lowest rank first, leftmost first', () => {
    expect(scanMerge([0, 0, 0], rankOf, mergedId)).toEqual([8, 0]); // a a a → aa a
    expect(scanMerge([0, 1, 2, 3], rankOf, mergedId)).toEqual([9]); // ab, then cd, then abcd (not a bc d)
    expect(scanMerge([0, 1, 0, 1, 0, 1], rankOf, mergedId)).toEqual([5, 4]);
  });

  it('gives the same ids with the heap as with the scan, on long random words', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const word = randomWord(50 + seed * 7, seed);
      expect(heapMerge(word, rankOf, mergedId)).toEqual(scanMerge(word, rankOf, mergedId));
    }
    expect(heapMerge([0, 0, 0], rankOf, mergedId)).toEqual([8, 0]);
    expect(heapMerge([3], rankOf, mergedId)).toEqual([3]);
  });
});
