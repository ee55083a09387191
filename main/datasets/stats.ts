// Statistics of a set of rows, computed in SQL so the rows never come into memory: label counts, the distribution of
// token lengths (grouped by exact length, a few thousand distinct values at most, then summarised here), over-long
// rows and duplicates. Works on the staging file (keys precomputed) and on stored rows (keys from SQL functions).
import type Database from 'better-sqlite3';
import type { DatasetStats, TokenizerName } from '../../common/datasetTypes';

const HISTOGRAM_BINS = 20;

export interface RowSet {
  from: string; // FROM clause: 'rows' or 'dataset_rows'
  where: string; // SQL condition over it
  params: unknown[]; // bound to `where`
  exactKey: string; // SQL expression of the exact-duplicate key
  nearKey: string; // … and of the near-duplicate key
  length: string; // SQL expression of a row's token count; a `?` in it takes the tokenizer's name
}

export interface StatsOptions {
  tokenizer: TokenizerName;
  maxTokens: number;
  labels: string[]; // in display order; [] without labels
  emptyRows: number; // rows without text, counted while reading
}

export function computeStats(db: Database.Database, set: RowSet, opts: StatsOptions): DatasetStats {
  const { from, where, params } = set;
  const lengths = db
    .prepare(`SELECT ${set.length} AS n, count(*) AS c FROM ${from} WHERE ${where} GROUP BY n ORDER BY n`)
    .all(...(set.length.includes('?') ? [opts.tokenizer] : []), ...params) as { n: number; c: number }[];
  // GROUP BY sorts (an external merge when large): about twice as fast as count(DISTINCT …)'s b-tree of random keys
  const distinct = (key: string) => (db.prepare(`SELECT count(*) AS n FROM (SELECT 1 FROM ${from} WHERE ${where} GROUP BY ${key})`).get(...params) as { n: number }).n;
  const total = (db.prepare(`SELECT count(*) AS n FROM ${from} WHERE ${where}`).get(...params) as { n: number }).n;
  const dupes = { total, exact: distinct(set.exactKey), near: distinct(set.nearKey) };
  const labelCounts = new Map(
    (db.prepare(`SELECT label, count(*) AS c FROM ${from} WHERE ${where} AND label IS NOT NULL GROUP BY label`).all(...params) as { label: string; c: number }[]).map(
      (r) => [r.label, r.c],
    ),
  );
  return {
    rows: dupes.total,
    labelCounts: opts.labels.map((label) => ({ label, count: labelCounts.get(label) ?? 0 })),
    tokenizer: opts.tokenizer,
    ...summariseLengths(lengths, opts.maxTokens),
    maxTokens: opts.maxTokens,
    emptyRows: opts.emptyRows,
    exactDuplicates: dupes.total - dupes.exact,
    nearDuplicates: dupes.total - dupes.near,
  };
}

/** `counts`: (length, rows) ordered by length. */
export function summariseLengths(counts: { n: number; c: number }[], maxTokens: number) {
  const rows = counts.reduce((a, r) => a + r.c, 0);
  const total = counts.reduce((a, r) => a + r.n * r.c, 0);
  const quantile = (q: number) => {
    const target = Math.ceil(q * rows);
    let seen = 0;
    for (const r of counts) {
      seen += r.c;
      if (seen >= target) return r.n;
    }
    return 0;
  };
  const min = counts.length ? counts[0].n : 0;
  const max = counts.length ? counts[counts.length - 1].n : 0;
  const width = niceWidth(Math.ceil((max - min + 1) / HISTOGRAM_BINS));
  const start = Math.floor(min / width) * width; // bins cover [start, max], aligned to the width
  const bins = Math.floor((max - start) / width) + 1;
  const histogram = Array.from({ length: bins }, (_, b) => ({ from: start + b * width, to: start + (b + 1) * width, count: 0 }));
  for (const r of counts) histogram[Math.floor((r.n - start) / width)].count += r.c;
  return {
    tokens: { total, min, max, mean: rows ? total / rows : 0, p50: quantile(0.5), p95: quantile(0.95) },
    histogram: rows ? histogram : [],
    overLong: counts.filter((r) => r.n > maxTokens).reduce((a, r) => a + r.c, 0),
  };
}

/** The smallest of 1, 2, 5, 10, 20, 50, … at least `w`. */
function niceWidth(w: number): number {
  for (let p = 1; ; p *= 10) for (const m of [1, 2, 5]) if (m * p >= w) return m * p;
}
