// Sentence vectors from GloVe: a weighted mean of the word vectors of a text's known tokens. Weights are 'mean'
// (all 1) or 'sif' (Arora et al. 2017: a / (a + p(w)), with p(w) from the word's frequency rank by Zipf's law, so
// "the" counts ~1% and rare words ~100%). A text with no known word pools to the zero vector.
import { tokenize, tokenRows } from './tokenize';
import type { GloveVectors } from './glove';
import type { FewShotRecipe } from './recipe';

export type Pooling = 'mean' | 'sif';

const SIF_A = 1e-3;

/** Weight of the word at frequency rank `row` (0 = most frequent) among `rows` words. */
export function wordWeight(row: number, rows: number, pooling: Pooling): number {
  if (pooling === 'mean') return 1;
  const zipfNorm = Math.log(rows) + 0.5772; // harmonic number H(rows)
  const p = 1 / ((row + 1) * zipfNorm);
  return SIF_A / (SIF_A + p);
}

/** A text as (vocabulary row, weight) pairs; weights sum to 1 unless the text has no known word (then empty). */
export interface WordBag {
  rows: number[];
  weights: number[];
}

export function wordBag(text: string, glove: GloveVectors, pooling: Pooling): WordBag {
  return bagOf(tokenRows(tokenize(text), glove.index), glove, pooling);
}

function bagOf(textRows: readonly number[], glove: GloveVectors, pooling: Pooling): WordBag {
  const counts = new Map<number, number>();
  for (const row of textRows) counts.set(row, (counts.get(row) ?? 0) + wordWeight(row, glove.rows, pooling));
  let total = 0;
  for (const w of counts.values()) total += w;
  const rows = [...counts.keys()];
  return { rows, weights: rows.map((r) => counts.get(r)! / total) };
}

type ChannelRecipe = Pick<FewShotRecipe, 'functionWords' | 'functionScale' | 'leadWords' | 'leadScale'>;

/**
 * Each channel's weight in the head's input, in channel order: [function words, content words] when the recipe
 * pools its most frequent words apart (else [all words]), then [the leading words] when it pools those too.
 */
export function channelScales(recipe: ChannelRecipe): number[] {
  const scales = recipe.functionWords > 0 ? [recipe.functionScale, 1] : [1];
  return recipe.leadWords > 0 ? [...scales, recipe.leadScale] : scales;
}

export function channelCount(recipe: ChannelRecipe): number {
  return channelScales(recipe).length;
}

/**
 * A text as one bag per channel (channelScales' order): all its words, or function words and content words split at
 * frequency rank recipe.functionWords; then its first recipe.leadWords known words (a question's "how", "who"…).
 * Each bag's weights sum to 1 unless it is empty.
 */
export function channelBags(text: string, glove: GloveVectors, recipe: Pick<FewShotRecipe, 'pooling' | 'functionWords' | 'leadWords'>): WordBag[] {
  const rows = tokenRows(tokenize(text), glove.index);
  const cut = recipe.functionWords;
  const bags = cut > 0 ? [bagOf(rows.filter((r) => r < cut), glove, recipe.pooling), bagOf(rows.filter((r) => r >= cut), glove, recipe.pooling)] : [bagOf(rows, glove, recipe.pooling)];
  if (recipe.leadWords > 0) bags.push(bagOf(rows.slice(0, recipe.leadWords), glove, recipe.pooling));
  return bags;
}

/** Pooled vectors of texts given as channel bags: texts × (channels · dims), channel c in columns c·dims onwards. */
export function poolChannels(texts: readonly WordBag[][], glove: GloveVectors): Float32Array {
  const d = glove.dims;
  const channels = texts[0]?.length ?? 1;
  const out = new Float32Array(texts.length * channels * d);
  texts.forEach((bags, n) => bags.forEach((bag, c) => out.set(poolBags([bag], glove), (n * channels + c) * d)));
  return out;
}

/** Pooled vectors of `bags`: bags.length × dims, row-major. */
export function poolBags(bags: readonly WordBag[], glove: GloveVectors): Float32Array {
  const d = glove.dims;
  const out = new Float32Array(bags.length * d);
  bags.forEach((bag, n) => {
    for (let k = 0; k < bag.rows.length; k++) {
      const base = bag.rows[k] * d;
      const w = bag.weights[k];
      for (let j = 0; j < d; j++) out[n * d + j] += w * glove.vectors[base + j];
    }
  });
  return out;
}

/** First principal direction (unit length) of the rows of `x` (n × d), by power iteration on XᵀX; null if x is 0. */
export function principalDirection(x: Float32Array, d: number, iterations = 50): Float32Array | null {
  const n = x.length / d;
  let v = new Float32Array(d).fill(1 / Math.sqrt(d));
  for (let it = 0; it < iterations; it++) {
    const next = new Float32Array(d);
    for (let i = 0; i < n; i++) {
      let dot = 0;
      for (let j = 0; j < d; j++) dot += x[i * d + j] * v[j];
      for (let j = 0; j < d; j++) next[j] += dot * x[i * d + j];
    }
    const norm = Math.hypot(...next);
    if (!(norm > 0)) return null;
    for (let j = 0; j < d; j++) next[j] /= norm;
    v = next;
  }
  return v;
}

/** In place: removes each row's projection on `direction` (common-component removal). */
export function removeDirection(x: Float32Array, d: number, direction: Float32Array): void {
  for (let i = 0; i < x.length / d; i++) {
    let dot = 0;
    for (let j = 0; j < d; j++) dot += x[i * d + j] * direction[j];
    for (let j = 0; j < d; j++) x[i * d + j] -= dot * direction[j];
  }
}
