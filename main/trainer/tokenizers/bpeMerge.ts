// Applying ranked BPE merges to one word's symbol ids. Short words use a plain scan (find the lowest-ranked adjacent
// pair, merge it everywhere, repeat; O(n²) but fastest for n < ~50). Long inputs — a SentencePiece-style model with no
// pre-tokenizer sees a whole text as one word — use a heap of (rank, position) over a linked list, O(n log n), as
// Hugging Face does. Both merge the lowest rank first, leftmost first, so they give the same ids.

/** rank of the rule merging (a, b), or undefined */
export type RankOf = (a: number, b: number) => number | undefined;

const LONG_WORD = 48;

export function applyMerges(symbols: number[], rankOf: RankOf, mergedId: Int32Array): number[] {
  return symbols.length < LONG_WORD ? scanMerge(symbols, rankOf, mergedId) : heapMerge(symbols, rankOf, mergedId);
}

export function scanMerge(symbols: number[], rankOf: RankOf, mergedId: Int32Array): number[] {
  for (;;) {
    let bestRank = Infinity;
    for (let i = 0; i + 1 < symbols.length; i++) {
      const rank = rankOf(symbols[i], symbols[i + 1]);
      if (rank !== undefined && rank < bestRank) bestRank = rank;
    }
    if (bestRank === Infinity) return symbols;
    const merged = mergedId[bestRank];
    const next: number[] = [];
    for (let i = 0; i < symbols.length; i++) {
      if (i + 1 < symbols.length && rankOf(symbols[i], symbols[i + 1]) === bestRank) {
        next.push(merged);
        i++;
      } else next.push(symbols[i]);
    }
    symbols = next;
  }
}

/** Min-heap of candidate merges packed as rank · 2^24 + position (inputs below 16M symbols, ranks below 2^29). */
export function heapMerge(symbols: number[], rankOf: RankOf, mergedId: Int32Array): number[] {
  const n = symbols.length;
  const ids = Int32Array.from(symbols);
  const next = new Int32Array(n); // -1 past the end
  const prev = new Int32Array(n); // -1 before the start
  const alive = new Uint8Array(n).fill(1);
  for (let i = 0; i < n; i++) {
    next[i] = i + 1 < n ? i + 1 : -1;
    prev[i] = i - 1;
  }
  const POS = 2 ** 24;
  const heap: number[] = [];
  const push = (v: number) => {
    heap.push(v);
    for (let i = heap.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (heap[p] <= heap[i]) break;
      [heap[p], heap[i]] = [heap[i], heap[p]];
      i = p;
    }
  };
  const pop = () => {
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && heap[l] < heap[m]) m = l;
        if (r < heap.length && heap[r] < heap[m]) m = r;
        if (m === i) break;
        [heap[m], heap[i]] = [heap[i], heap[m]];
        i = m;
      }
    }
    return top;
  };
  const consider = (i: number) => {
    const j = next[i];
    if (i < 0 || j < 0) return;
    const rank = rankOf(ids[i], ids[j]);
    if (rank !== undefined) push(rank * POS + i);
  };
  for (let i = 0; i + 1 < n; i++) consider(i);
  while (heap.length > 0) {
    const entry = pop();
    const rank = Math.floor(entry / POS);
    const i = entry - rank * POS;
    const j = next[i];
    if (!alive[i] || j < 0 || rankOf(ids[i], ids[j]) !== rank) continue; // stale: a neighbour merged first
    ids[i] = mergedId[rank];
    alive[j] = 0;
    next[i] = next[j];
    if (next[j] >= 0) prev[next[j]] = i;
    consider(prev[i]);
    consider(i);
  }
  const out: number[] = [];
  for (let i = 0; i >= 0; i = next[i]) out.push(ids[i]);
  return out;
}
