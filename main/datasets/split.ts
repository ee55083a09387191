// The train/validation split, stored per row: deterministic (a PRNG seeded from the file's sha256), 10% validation
// (at least 1 row from 10 rows up, none below), stratified by label so each class keeps its share.

export type SplitName = 'train' | 'validation' | 'test';
export const VALIDATION_FRACTION = 0.1;

/** One split per row, in row order. `labels[i]` is row i's label, or null for generation rows. */
export function assignSplits(labels: readonly (string | null)[], sha256: string, fraction = VALIDATION_FRACTION): SplitName[] {
  const n = labels.length;
  const splits: SplitName[] = new Array(n).fill('train');
  const validationTotal = n >= 10 ? Math.max(1, Math.round(n * fraction)) : 0;
  if (validationTotal === 0) return splits;

  const groups = new Map<string | null, number[]>();
  labels.forEach((label, i) => {
    const group = groups.get(label);
    if (group) group.push(i);
    else groups.set(label, [i]);
  });
  const keys = [...groups.keys()].sort((a, b) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
  const quotas = proportionalQuotas(
    keys.map((k) => (groups.get(k) as number[]).length),
    validationTotal,
  );
  const random = sfc32(sha256);
  keys.forEach((key, g) => {
    const rows = groups.get(key) as number[];
    shuffle(rows, random);
    for (let k = 0; k < quotas[g]; k++) splits[rows[k]] = 'validation';
  });
  return splits;
}

/** Largest-remainder shares of `total` in proportion to `sizes`; a class of 2+ rows keeps at least one for training. */
function proportionalQuotas(sizes: number[], total: number): number[] {
  const n = sizes.reduce((a, b) => a + b, 0);
  const exact = sizes.map((s) => (s * total) / n);
  const quotas = exact.map(Math.floor);
  let left = total - quotas.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left === 0) break;
    quotas[i]++;
    left--;
  }
  return quotas.map((q, i) => (sizes[i] >= 2 ? Math.min(q, sizes[i] - 1) : q));
}

function shuffle(items: number[], random: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
}

/** sfc32 seeded with the first 128 bits of a hex digest; uniform in [0, 1). */
function sfc32(hex: string): () => number {
  let [a, b, c, d] = [0, 8, 16, 24].map((o) => parseInt(hex.slice(o, o + 8).padEnd(8, '0'), 16) | 0);
  const next = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next(); // mix the seed
  return next;
}
