// The train/validation/test split, stored per row. Seeded: each row has a shuffle key from (seed, its source index),
// and within each label (classification is stratified) the rows with the smallest keys go to validation, the next to
// test. Held-out totals are round(n × fraction), at least one row from 10 rows up and none below; every class of two
// or more rows keeps one for training. A split with no training share (a file imported to evaluate on) holds every
// row out, however few. Works over the staging file: held-out rows are listed in its `held` table.
import type Database from 'better-sqlite3';
import type { SplitRatios } from '../../common/datasetTypes';

export type SplitName = 'train' | 'validation' | 'test';
const MIN_ROWS_TO_HOLD_OUT = 10;

/** The default seed of a file: its content decides, so the same file splits the same way anywhere. */
export function seedFromSha256(sha256: string): number {
  return parseInt(sha256.slice(0, 8), 16) & 0x7fffffff;
}

/** A 32-bit key per (seed, row): splitmix-style mixing, uniform enough to shuffle by sorting. */
export function shuffleKey(seed: number, idx: number): number {
  let h = (seed ^ Math.imul(idx + 1, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Rows per group for validation and test, in proportion to the group sizes. */
export function splitQuotas(sizes: number[], ratios: SplitRatios): { validation: number[]; test: number[] } {
  const n = sizes.reduce((a, b) => a + b, 0);
  const forTraining = ratios.train > 0;
  const total = (f: number) => (f > 0 && (n >= MIN_ROWS_TO_HOLD_OUT || !forTraining) ? Math.max(1, Math.round(n * f)) : 0);
  const room = sizes.map((s) => (forTraining && s >= 2 ? s - 1 : s)); // a class of 2+ keeps one row for training
  const validation = proportional(sizes, Math.min(total(ratios.validation), sum(room)), room);
  const left = room.map((r, i) => r - validation[i]);
  const test = proportional(sizes, Math.min(total(ratios.test), sum(left)), left);
  return { validation, test };
}

/**
 * Decides the split of every kept staging row: one pass over (idx, label) keeps, per label, the `validation + test`
 * rows with the smallest shuffle keys (a bounded heap: memory grows with the held-out rows only), which are written
 * to `held`; every other kept row is `train`. Returns the count per split.
 */
export function assignSplits(db: Database.Database, ratios: SplitRatios, seed: number): Record<SplitName, number> {
  const groups = db
    .prepare<[], { label: string | null; n: number }>('SELECT label, count(*) AS n FROM meta WHERE removed IS NULL GROUP BY label ORDER BY label')
    .all();
  const quotas = splitQuotas(
    groups.map((g) => g.n),
    ratios,
  );
  const groupOf = new Map(groups.map((g, i) => [g.label, i]));
  const smallest = groups.map((_, g) => new SmallestKeys(quotas.validation[g] + quotas.test[g]));
  const rows = db.prepare('SELECT idx, label FROM meta WHERE removed IS NULL').raw().iterate() as IterableIterator<[number, string | null]>;
  for (const [idx, label] of rows) smallest[groupOf.get(label) as number].offer(shuffleKey(seed, idx), idx);
  const insert = db.prepare('INSERT INTO held (idx, split) VALUES (?, ?)');
  db.transaction(() => {
    smallest.forEach((keys, g) => keys.inOrder().forEach((idx, rank) => insert.run(idx, rank < quotas.validation[g] ? 'validation' : 'test')));
  })();
  const validation = sum(quotas.validation);
  const test = sum(quotas.test);
  return { train: sum(groups.map((g) => g.n)) - validation - test, validation, test };
}

/** Puts every kept row in `split` (a test file attached to a dataset). */
export function assignAll(db: Database.Database, split: SplitName): void {
  db.prepare('INSERT INTO held (idx, split) SELECT idx, ? FROM meta WHERE removed IS NULL').run(split);
}

/** The `capacity` smallest (key, idx) pairs offered, in a max-heap. */
class SmallestKeys {
  private readonly keys: Float64Array;
  private readonly ids: Float64Array;
  private size = 0;

  constructor(private readonly capacity: number) {
    this.keys = new Float64Array(capacity);
    this.ids = new Float64Array(capacity);
  }

  offer(key: number, id: number): void {
    if (this.size < this.capacity) {
      let i = this.size++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!this.above(key, id, parent)) break;
        this.place(i, this.keys[parent], this.ids[parent]);
        i = parent;
      }
      this.place(i, key, id);
    } else if (this.capacity > 0 && this.above(this.keys[0], this.ids[0], -1, key, id)) {
      this.siftDownFromRoot(key, id);
    }
  }

  /** The ids, smallest key first. */
  inOrder(): number[] {
    return Array.from({ length: this.size }, (_, i) => i)
      .sort((a, b) => this.keys[a] - this.keys[b] || this.ids[a] - this.ids[b])
      .map((i) => this.ids[i]);
  }

  /** (key, id) > the pair at `at` (or > (k2, i2) when at is -1). */
  private above(key: number, id: number, at: number, k2 = this.keys[at], i2 = this.ids[at]): boolean {
    return key > k2 || (key === k2 && id > i2);
  }

  private place(i: number, key: number, id: number): void {
    this.keys[i] = key;
    this.ids[i] = id;
  }

  /** Replaces the largest pair by (key, id) and restores the heap. */
  private siftDownFromRoot(key: number, id: number): void {
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= this.size) break;
      if (child + 1 < this.size && this.above(this.keys[child + 1], this.ids[child + 1], child)) child++;
      if (!this.above(this.keys[child], this.ids[child], -1, key, id)) break;
      this.place(i, this.keys[child], this.ids[child]);
      i = child;
    }
    this.place(i, key, id);
  }
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** Largest-remainder shares of `total` in proportion to `sizes`, each at most its cap. */
function proportional(sizes: number[], total: number, caps: number[]): number[] {
  const n = sum(sizes);
  if (total === 0 || n === 0) return sizes.map(() => 0);
  const exact = sizes.map((s) => (s * total) / n);
  const quotas = exact.map((e, i) => Math.min(Math.floor(e), caps[i]));
  let left = total - sum(quotas);
  const byRemainder = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.i - b.i);
  while (left > 0) {
    let placed = false;
    for (const { i } of byRemainder) {
      if (left === 0) break;
      if (quotas[i] < caps[i]) {
        quotas[i]++;
        left--;
        placed = true;
      }
    }
    if (!placed) break;
  }
  return quotas;
}
