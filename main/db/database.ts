// Opens (and migrates) the one SQLite file in the data directory. WAL, foreign keys on, 5 s busy timeout.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { badInput, TunebenchError } from '../../common/result';
import { MIGRATIONS, type Migration } from './migrations';

export const SCHEMA_VERSION: number = MIGRATIONS.length;
export const DATABASE_FILE_NAME = 'tunebench.db';

export function openDatabase(dataDir: string): Database.Database {
  const file = path.join(dataDir, DATABASE_FILE_NAME);
  if (fs.existsSync(dataDir) && !fs.statSync(dataDir).isDirectory()) {
    throw badInput(`The data directory ${dataDir} is a file, not a folder: choose another data directory (--data-dir or TUNEBENCH_DATA_DIR).`);
  }
  fs.mkdirSync(dataDir, { recursive: true });
  if (fs.existsSync(file) && !fs.statSync(file).isFile()) {
    throw badInput(`${file} is not a file, so it cannot be Tunebench's database: move it aside, or choose another data directory (--data-dir or TUNEBENCH_DATA_DIR).`);
  }
  const db = new Database(file);
  try {
    db.pragma('busy_timeout = 5000');
    refuseNewerSchema(db, SCHEMA_VERSION); // before anything could write to a newer file
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON'); // a no-op inside a transaction, so set before migrating
    migrate(db);
    return db;
  } catch (err) {
    db.close();
    throw databaseFileError(err, file) ?? err;
  }
}

/**
 * SQLite's "file is not a database" and "database disk image is malformed" (found on opening, or later by a query) as
 * one sentence naming the file and what to do; null for any other error.
 */
export function databaseFileError(err: unknown, file: string): TunebenchError | null {
  if (err instanceof TunebenchError) return null;
  const code = (err as { code?: unknown }).code;
  const what = code === 'SQLITE_NOTADB' ? 'is not a SQLite database' : code === 'SQLITE_CORRUPT' ? 'is a damaged SQLite database' : null;
  if (!what) return null;
  return badInput(
    `${file} ${what} (SQLite: ${(err as Error).message}), so Tunebench cannot read it: move it aside or restore it from a backup (Tunebench starts a new database where there is none), or choose another data directory (--data-dir or TUNEBENCH_DATA_DIR).`,
  );
}

function userVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function refuseNewerSchema(db: Database.Database, known: number): void {
  const v = userVersion(db);
  if (v > known) {
    throw new TunebenchError(
      'unavailable',
      `The database ${db.name} was written by a newer Tunebench (schema ${v}; this version knows up to ${known}). Upgrade Tunebench or use another --data-dir.`,
    );
  }
}

/**
 * Runs every pending migration and sets user_version in one IMMEDIATE transaction: a failing migration leaves the
 * file as it was, and a second process opening at the same time waits, then finds nothing left to do.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): void {
  db.transaction(() => {
    refuseNewerSchema(db, migrations.length);
    const current = userVersion(db);
    if (current === migrations.length) return;
    for (const m of migrations.slice(current)) db.exec(m.up);
    db.pragma(`user_version = ${migrations.length}`);
  }).immediate();
}
