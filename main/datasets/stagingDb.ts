// A throw-away SQLite file that parsed rows stream into during an import, on its own connection, so a large file
// never has to fit in memory and the main database is touched only by the final copy (datasetStore.ts). No journal,
// no fsync: if anything fails the file is deleted. Rows keep their source order in `idx`. Each row is split in two
// tables: `meta` (a few dozen bytes) for deduplication, splits and statistics, `body` for the content.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { RemovalStep } from '../../common/datasetTypes';
import type { Example } from './examples';
import { registerTextFunctions } from './textKeys';

export interface StagedRow {
  idx: number;
  line: number;
  raw: string | null; // the text before preprocessing, when preprocessing changed it
  example: Example;
  fields: string; // JSON of the source record
  exactKey: number;
  nearKey: number;
  charLength: number; // tokens of the `char` tokenizer
  removed: RemovalStep | null;
}

const COMMIT_EVERY = 20_000; // rows per staging transaction

export class StagingDb {
  readonly db: Database.Database;
  private readonly insertMeta: Database.Statement;
  private readonly insertBody: Database.Statement;
  private pending = 0;

  constructor(readonly path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = OFF');
    this.db.pragma('synchronous = OFF');
    this.db.pragma('cache_size = -16000'); // KiB: bounds the page cache at 16 MB
    registerTextFunctions(this.db);
    // meta: narrow, for every decision (dedupe, split, statistics); body: what is copied into the database
    this.db.exec(`
      CREATE TABLE meta (
        idx       INTEGER PRIMARY KEY,
        label     TEXT,
        exact_key INTEGER NOT NULL,
        near_key  INTEGER NOT NULL,
        len_char  INTEGER NOT NULL,
        removed   TEXT
      ) STRICT;
      CREATE TABLE held (idx INTEGER PRIMARY KEY, split TEXT NOT NULL) STRICT; -- validation and test rows
      CREATE TABLE body (
        idx    INTEGER PRIMARY KEY,
        line   INTEGER NOT NULL,
        raw    TEXT,
        text   TEXT NOT NULL,
        parts  TEXT,
        fields TEXT NOT NULL
      ) STRICT;
    `);
    this.insertMeta = this.db.prepare('INSERT INTO meta (idx, label, exact_key, near_key, len_char, removed) VALUES (?, ?, ?, ?, ?, ?)');
    this.insertBody = this.db.prepare('INSERT INTO body (idx, line, raw, text, parts, fields) VALUES (?, ?, ?, ?, ?, ?)');
  }

  /** Buffered in transactions of COMMIT_EVERY rows; call finishInserts() before reading. */
  insert(r: StagedRow): void {
    if (this.pending === 0) this.db.exec('BEGIN');
    const { text, label, parts } = r.example;
    this.insertMeta.run(r.idx, label, r.exactKey, r.nearKey, r.charLength, r.removed);
    this.insertBody.run(r.idx, r.line, r.raw, text, parts ? JSON.stringify(parts) : null, r.fields);
    if (++this.pending >= COMMIT_EVERY) this.finishInserts();
  }

  finishInserts(): void {
    if (this.pending === 0) return;
    this.db.exec('COMMIT');
    this.pending = 0;
  }

  /** Marks every kept row whose key matches an earlier kept row's as removed by `dedupe`. */
  dedupe(mode: 'exact' | 'near'): void {
    const key = mode === 'exact' ? 'exact_key' : 'near_key';
    this.db.exec(`
      UPDATE meta SET removed = 'dedupe'
      WHERE removed IS NULL AND idx NOT IN (SELECT min(idx) FROM meta WHERE removed IS NULL GROUP BY ${key})
    `);
  }

  removals(): Map<RemovalStep, number> {
    const rows = this.db.prepare<[], { removed: RemovalStep; n: number }>('SELECT removed, count(*) AS n FROM meta WHERE removed IS NOT NULL GROUP BY removed').all();
    return new Map(rows.map((r) => [r.removed, r.n]));
  }

  keptCount(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM meta WHERE removed IS NULL').get() as { n: number }).n;
  }

  /** Distinct labels of the kept rows with their counts. */
  labelCounts(): Map<string, number> {
    const rows = this.db
      .prepare<[], { label: string; n: number }>('SELECT label, count(*) AS n FROM meta WHERE removed IS NULL AND label IS NOT NULL GROUP BY label')
      .all();
    return new Map(rows.map((r) => [r.label, r.n]));
  }

  firstRows(limit: number, keptOnly: boolean) {
    return this.db
      .prepare<[number], { line: number; raw: string | null; text: string; label: string | null; parts: string | null; fields: string; removed: RemovalStep | null }>(
        `SELECT b.line, b.raw, b.text, m.label, b.parts, b.fields, m.removed FROM meta m JOIN body b ON b.idx = m.idx
         ${keptOnly ? 'WHERE m.removed IS NULL' : ''} ORDER BY m.idx LIMIT ?`,
      )
      .all(limit);
  }

  close(): void {
    if (this.db.open) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      this.db.close();
    }
  }

  /** Closes and deletes the file. */
  dispose(): void {
    this.close();
    fs.rmSync(this.path, { force: true });
  }
}

/**
 * Opens a new staging file in `dir`, making the folder first. Another process on the same data directory (the app
 * beside a CLI command) removes the staging folder when it finds it empty, and may do so between the two; the
 * folder is then made again, a few times at most.
 */
export function openStaging(dir: string, fileName: string, open = (file: string) => new StagingDb(file), attempts = 5): StagingDb {
  for (let attempt = 1; ; attempt++) {
    fs.mkdirSync(dir, { recursive: true });
    try {
      return open(path.join(dir, fileName));
    } catch (err) {
      if (attempt >= attempts || fs.existsSync(dir)) throw err;
    }
  }
}

const STALE_MS = 24 * 3600 * 1000;

/** Deletes staging files a crashed import left behind (untouched for a day; a running import writes to its own). */
export function removeStaleStaging(dir: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return; // no staging folder
  }
  for (const name of names) {
    const file = path.join(dir, name);
    try {
      if (Date.now() - fs.statSync(file).mtimeMs > STALE_MS) fs.rmSync(file, { force: true });
    } catch {
      /* removed meanwhile */
    }
  }
  try {
    fs.rmdirSync(dir);
  } catch {
    /* not empty */
  }
}
