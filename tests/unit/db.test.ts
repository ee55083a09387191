import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, openDatabase, SCHEMA_VERSION } from '../../main/db/database';
import { checkMigrations, MIGRATIONS } from '../../main/db/migrations';

let dataDir: string;
beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunebench-db-'));
});
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const tables = (db: Database.Database) =>
  (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);

describe('openDatabase', () => {
  it('creates the data folder and the file, applies every migration and sets user_version', () => {
    const nested = path.join(dataDir, 'a', 'b');
    const db = openDatabase(nested);
    expect(fs.existsSync(path.join(nested, 'tunebench.db'))).toBe(true);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(tables(db)).toEqual(['checkpoints', 'dataset_rows', 'datasets', 'evaluations', 'metrics', 'models', 'run_logs', 'runs']);
    const strict = db.prepare("SELECT name FROM pragma_table_list WHERE schema = 'main' AND strict = 1 ORDER BY name").all();
    expect(strict).toHaveLength(8);
    db.close();
  });

  it('reopens an up-to-date database without touching its schema or data', () => {
    const first = openDatabase(dataDir);
    first.prepare("INSERT INTO models VALUES ('m1', 'tiny', 'builtin', 'gpt2', '{}', 'x', '2024-01-01T00:00:00Z')").run();
    first.close();
    const again = openDatabase(dataDir);
    expect(again.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(again.prepare('SELECT count(*) AS n FROM models').get()).toEqual({ n: 1 });
    again.close();
  });

  it('refuses a database written by a newer Tunebench, naming the file and both versions', () => {
    openDatabase(dataDir).close();
    const file = path.join(dataDir, 'tunebench.db');
    const raw = new Database(file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => openDatabase(dataDir)).toThrow(
      `The database ${file} was written by a newer Tunebench (schema ${SCHEMA_VERSION + 1}; this version knows up to ${SCHEMA_VERSION}). Upgrade Tunebench or use another --data-dir.`,
    );
    try {
      openDatabase(dataDir);
    } catch (err) {
      expect((err as { kind: string }).kind).toBe('unavailable');
    }
  });

  it('enforces the schema: foreign keys, STRICT types and CHECK constraints', () => {
    const db = openDatabase(dataDir);
    const insertRun = db.prepare(
      "INSERT INTO runs (id, dataset_id, task, preset, config, status, host_pid, created_at) VALUES ('r', 'missing', 'generate', 'quick', '{}', 'queued', 1, 'now')",
    );
    expect(() => insertRun.run()).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare("INSERT INTO models VALUES ('m', 'n', 'other', 'a', '{}', 'p', 'now')").run()).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO checkpoints VALUES ('r', 'ten', 'p', 1, 'now')").run()).toThrow();
    db.close();
  });

  it('applies pending migrations in one transaction: a failing one leaves the file as it was', () => {
    const db = new Database(path.join(dataDir, 'partial.db'));
    const broken = checkMigrations([
      ...MIGRATIONS,
      { version: MIGRATIONS.length + 1, name: 'broken', up: 'CREATE TABLE x (a INTEGER) STRICT; SELECT * FROM nope;' },
    ]);
    expect(() => migrate(db, broken)).toThrow(/no such table/);
    expect(tables(db)).toEqual([]);
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    migrate(db, MIGRATIONS);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
  });

  it('refuses a migration list whose versions are not 1..N in order', () => {
    const m = (version: number) => ({ version, name: `m${version}`, up: '' });
    expect(() => checkMigrations([m(1), m(3)])).toThrow(/versions must be 1..N/);
    expect(() => checkMigrations([m(2)])).toThrow(/versions must be 1..N/);
    expect(checkMigrations([m(1), m(2)])).toHaveLength(2);
  });
});
