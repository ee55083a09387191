// Trains a byte-level BPE tokenizer (GPT-2 style) on a corpus, for models trained from scratch. The text is split
// into words with GPT-2's regex and counted; every word starts as its UTF-8 bytes (256 base tokens in byte order,
// written in GPT-2's byte-level alphabet). Each step merges the most frequent adjacent pair (ties: smaller ids), until
// the vocabulary reaches the target. Pair counts are updated only for words containing the merged pair, so a step
// costs O(occurrences), not O(corpus). Special tokens take the first ids and are cut out of the training text.
import { badInput } from '../../../common/result';
import { addedToken, AddedTokenSplitter } from './addedTokens';
import { BpeModel } from './bpeModel';
import { BYTE_TO_CHAR, GPT2_SPLIT, toByteLevel } from './byteLevel';
import { BYTE_LEVEL_PARTS } from './gpt2Bpe';
import { PairHeap } from './pairHeap';
import { PipelineTokenizer } from './pipelineTokenizer';

export interface TrainBpeOptions {
  /** Total vocabulary including the 256 byte tokens and the special tokens. */
  vocabSize: number;
  /** Special tokens such as '<|endoftext|>' or '<pad>', ids 0…k-1 in this order. */
  specials?: string[];
}

/** Distinct pre-tokenised words with their counts. */
function countWords(texts: Iterable<string>, specials: readonly string[]): Map<string, number> {
  const splitter = new AddedTokenSplitter(specials.map((s, i) => addedToken(i, s)));
  const counts = new Map<string, number>();
  for (const text of texts) {
    for (const segment of splitter.split(text)) {
      if ('id' in segment) continue;
      for (const m of segment.text.matchAll(GPT2_SPLIT)) counts.set(m[0], (counts.get(m[0]) ?? 0) + 1);
    }
  }
  return counts;
}

export function trainBpe(texts: Iterable<string>, opts: TrainBpeOptions): PipelineTokenizer {
  const specials = opts.specials ?? [];
  if (new Set(specials).size !== specials.length) throw badInput('trainBpe: the special tokens must be distinct.');
  const clash = specials.find((s) => s.length === 0 || BYTE_TO_CHAR.includes(s));
  if (clash !== undefined) throw badInput(`trainBpe: the special token "${clash}" would hide a byte token; use a longer name such as <|${clash}|>.`);
  const base = specials.length;
  if (!Number.isInteger(opts.vocabSize) || opts.vocabSize < base + 256) {
    throw badInput(`trainBpe: vocabSize ${opts.vocabSize} must be at least 256 bytes + ${base} special tokens = ${base + 256}.`);
  }
  const tokens: string[] = [...specials, ...BYTE_TO_CHAR]; // id → token
  const vocab = new Map<string, number>();
  tokens.forEach((t, id) => vocab.has(t) || vocab.set(t, id));
  const idOfChar = new Map(BYTE_TO_CHAR.map((ch, b) => [ch, base + b]));

  const words: number[][] = [];
  const freqs: number[] = [];
  for (const [word, count] of countWords(texts, specials)) {
    words.push(Array.from(toByteLevel(word), (ch) => idOfChar.get(ch)!));
    freqs.push(count);
  }

  // Pair (a, b) is the number a·stride + b; below 2^30 (vocabularies up to 32768) V8 keeps such keys unboxed.
  const stride = 2 ** Math.ceil(Math.log2(opts.vocabSize));
  const key = (a: number, b: number) => a * stride + b;
  const pairCounts = new Map<number, number>();
  const wordsWith = new Map<number, Set<number>>(); // pair → indices of words that contained it (may be stale)
  let delta = new Map<number, number>(); // pair → change of its count during one merge
  const countPairs = (w: number, sign: 1 | -1) => {
    const symbols = words[w];
    for (let i = 0; i + 1 < symbols.length; i++) {
      const k = key(symbols[i], symbols[i + 1]);
      delta.set(k, (delta.get(k) ?? 0) + sign * freqs[w]);
      if (sign > 0) {
        let set = wordsWith.get(k);
        if (!set) wordsWith.set(k, (set = new Set()));
        set.add(w);
      }
    }
  };
  const heap = new PairHeap();
  /** Applies `delta` to the counts; a pair whose count rose gets a fresh heap entry (lower ones are fixed on pop). */
  const applyDelta = () => {
    for (const [k, d] of delta) {
      if (d === 0) continue;
      const count = (pairCounts.get(k) ?? 0) + d;
      if (count > 0) pairCounts.set(k, count);
      else pairCounts.delete(k);
      if (d > 0) heap.push({ count, left: Math.floor(k / stride), right: k % stride });
    }
    delta = new Map();
  };
  words.forEach((_, w) => countPairs(w, 1));
  applyDelta();

  const merges: [string, string][] = [];
  while (tokens.length < opts.vocabSize) {
    const top = heap.pop();
    if (!top) break; // every word is a single token
    const k = key(top.left, top.right);
    const current = pairCounts.get(k) ?? 0;
    if (current !== top.count) {
      if (current > 0) heap.push({ ...top, count: current });
      continue;
    }
    const text = tokens[top.left] + tokens[top.right];
    let merged = vocab.get(text);
    if (merged === undefined) {
      merged = tokens.length;
      tokens.push(text);
      vocab.set(text, merged);
    }
    merges.push([tokens[top.left], tokens[top.right]]);
    for (const w of wordsWith.get(k) ?? []) {
      const symbols = words[w];
      if (!symbols.some((s, i) => s === top.left && symbols[i + 1] === top.right)) continue;
      countPairs(w, -1);
      const next: number[] = [];
      for (let i = 0; i < symbols.length; i++) {
        if (i + 1 < symbols.length && symbols[i] === top.left && symbols[i + 1] === top.right) {
          next.push(merged);
          i++;
        } else next.push(symbols[i]);
      }
      words[w] = next;
      countPairs(w, 1);
    }
    wordsWith.delete(k);
    applyDelta();
  }

  const model = new BpeModel({ vocab, merges });
  const added = specials.map((s, id) => addedToken(id, s));
  return new PipelineTokenizer('bpe', model, { added_tokens: added, ...BYTE_LEVEL_PARTS }, 'trained BPE');
}
