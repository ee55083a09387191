// Opens (and migrates) the one SQLite file in the data directory. WAL, foreign keys on, 5 s busy timeout.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { TunebenchError } from '../../common/result';
import { MIGRATIONS, type Migration } from './migrations';

export const SCHEMA_VERSION: number = MIGRATIONS.length;
export const DATABASE_FILE_NAME = 'tunebench.db';

export function openDatabase(dataDir: string): Database.Database {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, DATABASE_FILE_NAME);
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
    throw err;
  }
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
