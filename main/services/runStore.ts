// Runs in SQLite: create, update, metrics (batched through MetricsWriter), checkpoints, and the summaries and details
// the UI and CLI show. Reads flush pending metrics first, so what they return includes every appended point.
import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { z } from 'zod';
import type { BackendName, PresetName, TrainConfig } from '../../common/config';
import { runDetailSchema, runSummarySchema, type RunDetail, type RunSummary } from '../../common/domain';
import type { RunStatus, Task } from '../../common/protocol';
import { notFound, TunebenchError } from '../../common/result';
import { MetricsWriter } from './metricsWriter';

export interface RunPatch {
  status: RunStatus;
  backend: BackendName;
  device: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  error: string | null;
  lastStep: number;
}

const PATCH_COLUMNS: Record<keyof RunPatch, string> = {
  status: 'status',
  backend: 'backend',
  device: 'device',
  startedAt: 'started_at',
  finishedAt: 'finished_at',
  durationMs: 'duration_ms',
  error: 'error',
  lastStep: 'last_step',
};

export const INTERRUPTED_MESSAGE = 'Tunebench stopped while this run was training.';

interface RunRow {
  id: string;
  dataset_id: string;
  dataset_name: string;
  task: string;
  preset: string;
  config: string;
  status: string;
  backend: string | null;
  device: string | null;
  host_pid: number;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  duration_ms: number | null;
  error: string | null;
  last_step: number;
}

const SELECT_RUN = 'SELECT r.*, d.name AS dataset_name FROM runs r JOIN datasets d ON d.id = r.dataset_id';

export class RunStore {
  private readonly metrics: MetricsWriter;
  private readonly statements;
  private readonly updates = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {
    this.metrics = new MetricsWriter(db);
    this.statements = {
      insert: db.prepare(
        `INSERT INTO runs (id, dataset_id, task, preset, config, status, host_pid, created_at)
         VALUES (@id, @datasetId, @task, @preset, @config, 'queued', @hostPid, @createdAt)`,
      ),
      byId: db.prepare<[string], RunRow>(`${SELECT_RUN} WHERE r.id = ?`),
      list: db.prepare<[], RunRow>(`${SELECT_RUN} ORDER BY r.created_at DESC, r.rowid DESC`),
      exists: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM runs WHERE id = ?'),
      datasetExists: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM datasets WHERE id = ?'),
      // SQLite takes `value` from the row holding max(step) in each group
      latest: db.prepare<[string], { name: string; value: number }>(
        'SELECT name, value, max(step) AS step FROM metrics WHERE run_id = ? GROUP BY name',
      ),
      series: db.prepare<[string], { name: string; step: number; value: number }>(
        'SELECT name, step, value FROM metrics WHERE run_id = ? ORDER BY name, step',
      ),
      checkpoints: db.prepare<[string], { step: number; path: string; bytes: number }>(
        'SELECT step, path, bytes FROM checkpoints WHERE run_id = ? ORDER BY step',
      ),
      addCheckpoint: db.prepare(
        'INSERT INTO checkpoints (run_id, step, path, bytes, created_at) VALUES (?, ?, ?, ?, ?)',
      ),
      unfinished: db.prepare<[], { id: string; host_pid: number }>(
        "SELECT id, host_pid FROM runs WHERE status IN ('queued', 'running', 'paused')",
      ),
      addLog: db.prepare<[string, string, string, string, string]>(
        'INSERT INTO run_logs (run_id, seq, at, level, message) SELECT ?, coalesce(max(seq), 0) + 1, ?, ?, ? FROM run_logs WHERE run_id = ?',
      ),
      logs: db.prepare<[string], { at: string; level: 'info' | 'warn' | 'error'; message: string }>(
        'SELECT at, level, message FROM (SELECT * FROM run_logs WHERE run_id = ? ORDER BY seq DESC LIMIT 1000) ORDER BY seq',
      ),
      // the last step it recorded metrics for, so the UI can offer to continue from there
      interrupt: db.prepare(
        "UPDATE runs SET status = 'interrupted', error = ?, last_step = max(last_step, coalesce((SELECT max(step) FROM metrics WHERE run_id = runs.id), 0)) WHERE id = ?",
      ),
    };
  }

  create(input: { datasetId: string; task: Task; preset: PresetName; config: TrainConfig; hostPid: number }): RunSummary {
    if (!this.statements.datasetExists.get(input.datasetId)) {
      throw notFound(`No dataset '${input.datasetId}'; see \`tunebench datasets list\`.`);
    }
    const id = `run-${randomBytes(4).toString('hex')}`;
    this.statements.insert.run({
      id,
      datasetId: input.datasetId,
      task: input.task,
      preset: input.preset,
      config: JSON.stringify(input.config),
      hostPid: input.hostPid,
      createdAt: new Date().toISOString(),
    });
    return this.summary(id);
  }

  /** Sets the given fields; undefined ones are left alone, `error: null` clears the error. */
  update(runId: string, patch: Partial<RunPatch>): RunSummary {
    const keys = (Object.keys(patch) as (keyof RunPatch)[]).filter((k) => patch[k] !== undefined && k in PATCH_COLUMNS);
    if (keys.length > 0) {
      const values = Object.fromEntries(keys.map((k) => [k, patch[k]]));
      const result = this.updateStatement(keys).run({ ...values, runId });
      if (result.changes === 0) throw runNotFound(runId);
    }
    return this.summary(runId);
  }

  /** One prepared UPDATE per set of patched fields, reused. */
  private updateStatement(keys: (keyof RunPatch)[]): Database.Statement {
    const cacheKey = keys.join(',');
    let statement = this.updates.get(cacheKey);
    if (!statement) {
      const sets = keys.map((k) => `${PATCH_COLUMNS[k]} = @${k}`).join(', ');
      statement = this.db.prepare(`UPDATE runs SET ${sets} WHERE id = @runId`);
      this.updates.set(cacheKey, statement);
    }
    return statement;
  }

  appendMetrics(runId: string, points: readonly { step: number; name: string; value: number }[]): void {
    if (!this.statements.exists.get(runId)) throw runNotFound(runId);
    this.metrics.append(points.map((p) => ({ runId, step: p.step, name: p.name, value: p.value })));
  }

  flush(): void {
    this.metrics.flush();
  }

  addCheckpoint(runId: string, c: { step: number; path: string; bytes: number }): void {
    if (!this.statements.exists.get(runId)) throw runNotFound(runId);
    this.statements.addCheckpoint.run(runId, c.step, c.path, c.bytes, new Date().toISOString());
  }

  summary(runId: string): RunSummary {
    this.flush();
    const row = this.statements.byId.get(runId);
    if (!row) throw runNotFound(runId);
    return this.toSummary(row);
  }

  detail(runId: string): RunDetail {
    const summary = this.summary(runId);
    const series: Record<string, { step: number; value: number }[]> = {};
    for (const { name, step, value } of this.statements.series.all(runId)) (series[name] ??= []).push({ step, value });
    const checkpoints = this.statements.checkpoints.all(runId);
    const logs = this.statements.logs.all(runId);
    return validated(runDetailSchema, { ...summary, series, checkpoints, logs }, runId);
  }

  /** Removes a run with its metrics and checkpoint rows (cascade); returns the checkpoint files it referenced. */
  /**
   * Takes a run back to `step` so it can train on from there: metrics and checkpoints after it are removed (their
   * file paths are returned), and the run is queued again under this process. One transaction.
   */
  rewind(runId: string, step: number, hostPid: number): string[] {
    this.flush();
    const later = this.checkpoints(runId).filter((c) => c.step > step).map((c) => c.path);
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM metrics WHERE run_id = ? AND step > ?').run(runId, step);
      this.db.prepare('DELETE FROM checkpoints WHERE run_id = ? AND step > ?').run(runId, step);
      this.db
        .prepare("UPDATE runs SET status = 'queued', error = NULL, finished_at = NULL, last_step = ?, host_pid = ? WHERE id = ?")
        .run(step, hostPid, runId);
    })();
    return later;
  }

  /** Keeps a log line of a run (ignored for a run that no longer exists). */
  appendLog(runId: string, level: 'info' | 'warn' | 'error', message: string): void {
    if (!this.statements.exists.get(runId)) return;
    this.statements.addLog.run(runId, new Date().toISOString(), level, message, runId);
  }

  /** The run's checkpoints, oldest first, without its metric series. */
  checkpoints(runId: string): { step: number; path: string; bytes: number }[] {
    this.summary(runId); // not-found for an unknown run
    return this.statements.checkpoints.all(runId);
  }

  delete(runId: string): string[] {
    const { checkpoints } = this.detail(runId);
    this.db.prepare('DELETE FROM runs WHERE id = ?').run(runId);
    return checkpoints.map((c) => c.path);
  }

  /** Newest first. */
  list(): RunSummary[] {
    this.flush();
    return this.statements.list.all().map((row) => this.toSummary(row));
  }

  /**
   * Marks runs left queued/running/paused by a process that is gone as interrupted; returns how many.
   * A reused pid reads as alive, so such a run stays as it was until that process ends too.
   */
  markOrphansInterrupted(isAlive: (pid: number) => boolean = processIsAlive): number {
    const orphans = this.statements.unfinished.all().filter((r) => !isAlive(r.host_pid));
    this.db.transaction(() => {
      for (const r of orphans) this.statements.interrupt.run(INTERRUPTED_MESSAGE, r.id);
    })();
    return orphans.length;
  }

  private toSummary(row: RunRow): RunSummary {
    const metrics: Record<string, number> = {};
    for (const { name, value } of this.statements.latest.all(row.id)) metrics[name] = value;
    return validated(
      runSummarySchema,
      {
        id: row.id,
        datasetId: row.dataset_id,
        datasetName: row.dataset_name,
        task: row.task,
        preset: row.preset,
        config: JSON.parse(row.config),
        status: row.status,
        backend: row.backend,
        device: row.device,
        createdAt: row.created_at,
        startedAt: row.started_at,
        finishedAt: row.finished_at,
        durationMs: row.duration_ms,
        error: row.error,
        lastStep: row.last_step,
        metrics,
      },
      row.id,
    );
  }
}

/** process.kill(pid, 0) probes without signalling; EPERM means it exists but belongs to someone else. */
export function processIsAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  if (!Number.isInteger(pid) || pid <= 0) return false; // kill(0) would probe our own process group
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function runNotFound(runId: string): TunebenchError {
  return notFound(`No run '${runId}'; see \`tunebench runs list\`.`);
}

function validated<S extends z.ZodType>(schema: S, value: unknown, runId: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new TunebenchError('internal', `Run ${runId} in the database is malformed (${issue.path.join('.')}: ${issue.message}).`);
}
