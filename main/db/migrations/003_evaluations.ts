// Evaluation reports: one row per evaluation of a run's model, the whole report as JSON (metrics, confusion matrix,
// mistakes or perplexities and samples). And each run's log lines, so the log pane survives a reload. Both are
// deleted with their run.
import type { Migration } from './index';

const migration: Migration = {
  version: 3,
  name: 'evaluations_and_logs',
  up: `
    CREATE TABLE evaluations (
      id          TEXT PRIMARY KEY,
      run_id      TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      created_at  TEXT NOT NULL,
      report      TEXT NOT NULL CHECK (json_valid(report))
    ) STRICT;
    CREATE INDEX evaluations_by_run ON evaluations(run_id, created_at);
    CREATE TABLE run_logs (
      run_id      TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      seq         INTEGER NOT NULL,
      at          TEXT NOT NULL,
      level       TEXT NOT NULL CHECK (level IN ('info', 'warn', 'error')),
      message     TEXT NOT NULL,
      PRIMARY KEY (run_id, seq)
    ) STRICT;
  `,
};

export default migration;
