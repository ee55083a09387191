// The first schema: datasets and their rows, models, runs with their metrics and checkpoints.
// STRICT tables; JSON kept as TEXT checked by json_valid; times are ISO 8601 strings.
import type { Migration } from './index';

const migration: Migration = {
  version: 1,
  name: 'initial',
  up: `
    CREATE TABLE datasets (
      id              TEXT PRIMARY KEY,
      name            TEXT NOT NULL,
      task            TEXT NOT NULL CHECK (task IN ('generate', 'classify')),
      format          TEXT NOT NULL,
      row_count       INTEGER NOT NULL,
      train_rows      INTEGER NOT NULL,
      validation_rows INTEGER NOT NULL,
      test_rows       INTEGER NOT NULL,
      text_column     TEXT NOT NULL,
      label_column    TEXT,
      labels          TEXT NOT NULL CHECK (json_valid(labels)), -- JSON array, sorted distinct labels
      source_name     TEXT NOT NULL,                            -- the imported file's base name
      bytes           INTEGER NOT NULL,
      sha256          TEXT NOT NULL,
      blob_path       TEXT NOT NULL,                            -- copy of the original, relative to the data dir
      created_at      TEXT NOT NULL
    ) STRICT;
    CREATE INDEX datasets_by_name ON datasets (name);
    CREATE INDEX datasets_by_created ON datasets (created_at);

    CREATE TABLE dataset_rows (
      dataset_id TEXT NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
      idx        INTEGER NOT NULL, -- position in the source file, 0-based
      split      TEXT NOT NULL CHECK (split IN ('train', 'validation', 'test')),
      text       TEXT NOT NULL,
      label      TEXT,             -- NULL for generation datasets
      PRIMARY KEY (dataset_id, idx)
    ) STRICT;

    CREATE TABLE models (
      id         TEXT PRIMARY KEY,
      name       TEXT NOT NULL,
      kind       TEXT NOT NULL CHECK (kind IN ('builtin', 'imported', 'trained')),
      arch       TEXT NOT NULL,
      config     TEXT NOT NULL CHECK (json_valid(config)),
      path       TEXT NOT NULL,
      created_at TEXT NOT NULL
    ) STRICT;

    -- Deleting a dataset that runs were trained on is refused (RESTRICT): it would silently erase their history.
    CREATE TABLE runs (
      id          TEXT PRIMARY KEY,
      dataset_id  TEXT NOT NULL REFERENCES datasets (id) ON DELETE RESTRICT,
      task        TEXT NOT NULL CHECK (task IN ('generate', 'classify')),
      preset      TEXT NOT NULL,
      config      TEXT NOT NULL CHECK (json_valid(config)), -- the resolved TrainConfig
      status      TEXT NOT NULL
                  CHECK (status IN ('queued', 'running', 'paused', 'completed', 'failed', 'cancelled', 'interrupted')),
      backend     TEXT,
      device      TEXT,
      host_pid    INTEGER NOT NULL, -- process that owns the trainer; dead on start-up = interrupted
      created_at  TEXT NOT NULL,
      started_at  TEXT,
      finished_at TEXT,
      duration_ms REAL,
      error       TEXT,
      last_step   INTEGER NOT NULL DEFAULT 0
    ) STRICT;
    CREATE INDEX runs_by_dataset ON runs (dataset_id);
    CREATE INDEX runs_by_status ON runs (status);
    CREATE INDEX runs_by_created ON runs (created_at);

    CREATE TABLE metrics (
      run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
      step   INTEGER NOT NULL,
      name   TEXT NOT NULL,
      value  REAL NOT NULL,
      PRIMARY KEY (run_id, name, step) ON CONFLICT REPLACE
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE checkpoints (
      run_id     TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
      step       INTEGER NOT NULL,
      path       TEXT NOT NULL,
      bytes      INTEGER NOT NULL,
      created_at TEXT NOT NULL,
      PRIMARY KEY (run_id, step) ON CONFLICT REPLACE
    ) STRICT;
  `,
};

export default migration;
