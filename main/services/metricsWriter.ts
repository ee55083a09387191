// Buffers metric points and writes them in one transaction: when 200 are pending, 250 ms after the first pending
// point (an unref'd timer, so it never keeps the process alive), or on flush(). A point for the same
// (run, name, step) replaces the earlier one. Non-finite values (a diverged loss) are dropped: the schemas
// and JSON carry finite numbers only.
import type Database from 'better-sqlite3';

export interface MetricRecord {
  runId: string;
  step: number;
  name: string;
  value: number;
}

export const FLUSH_AT_POINTS = 200;
export const FLUSH_AFTER_MS = 250;

export class MetricsWriter {
  private pending: MetricRecord[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly writeAll: (points: MetricRecord[]) => void;

  constructor(
    db: Database.Database,
    private readonly onError: (err: unknown) => void = (err) => console.error('tunebench: writing metrics failed:', err),
  ) {
    const insert = db.prepare('INSERT INTO metrics (run_id, step, name, value) VALUES (@runId, @step, @name, @value)');
    this.writeAll = db.transaction((points: MetricRecord[]) => {
      for (const p of points) insert.run(p);
    });
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  append(points: readonly MetricRecord[]): void {
    for (const p of points) if (Number.isFinite(p.value)) this.pending.push(p);
    if (this.pending.length >= FLUSH_AT_POINTS) this.flush();
    else if (this.pending.length > 0 && !this.timer) {
      this.timer = setTimeout(() => {
        try {
          this.flush();
        } catch (err) {
          this.onError(err); // a throw from a timer would take the process down
        }
      }, FLUSH_AFTER_MS);
      this.timer.unref();
    }
  }

  /** Writes everything pending now. On failure the batch is dropped and the error thrown. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.writeAll(batch);
  }
}
