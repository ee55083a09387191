// Metric series kept outside React state: per run and metric name, two growable Float64Arrays (step, value) sorted
// by step. Appending in step order is O(1) amortised; a late or repeated step is inserted or replaced in place.
// React learns of changes through the store's `metrics.version` counter, never through these arrays.
import type { MetricPoint } from '../../../common/domain';

const INITIAL_CAPACITY = 64;

export class MetricSeries {
  steps = new Float64Array(INITIAL_CAPACITY);
  values = new Float64Array(INITIAL_CAPACITY);
  length = 0;
  /** Bumped by every change; a chart compares it with what it drew last to skip needless redraws. */
  revision = 0;
  /** Bumped by changes other than appending after the last step (a replaced or inserted point). */
  rewrites = 0;

  add(step: number, value: number): void {
    this.revision++;
    const n = this.length;
    if (n === 0 || step > this.steps[n - 1]) {
      this.ensureCapacity(n + 1);
      this.steps[n] = step;
      this.values[n] = value;
      this.length = n + 1;
      return;
    }
    this.rewrites++;
    const at = this.lowerBound(step);
    if (at < n && this.steps[at] === step) {
      this.values[at] = value;
      return;
    }
    this.ensureCapacity(n + 1);
    this.steps.copyWithin(at + 1, at, n);
    this.values.copyWithin(at + 1, at, n);
    this.steps[at] = step;
    this.values[at] = value;
    this.length = n + 1;
  }

  last(): MetricPoint | null {
    return this.length === 0 ? null : { step: this.steps[this.length - 1], value: this.values[this.length - 1] };
  }

  /** Index of the first step >= `step`. */
  private lowerBound(step: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.steps[mid] < step) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private ensureCapacity(needed: number): void {
    if (needed <= this.steps.length) return;
    const capacity = Math.max(needed, this.steps.length * 2);
    const steps = new Float64Array(capacity);
    const values = new Float64Array(capacity);
    steps.set(this.steps.subarray(0, this.length));
    values.set(this.values.subarray(0, this.length));
    this.steps = steps;
    this.values = values;
  }
}

export class MetricSeriesStore {
  private readonly runs = new Map<string, Map<string, MetricSeries>>();

  get(runId: string, name: string): MetricSeries | undefined {
    return this.runs.get(runId)?.get(name);
  }

  /** Adds live points (from `runs.onDidMetrics`); points at a step already held replace it. */
  append(runId: string, points: ReadonlyArray<{ step: number; name: string; value: number }>): void {
    for (const point of points) this.seriesFor(runId, point.name).add(point.step, point.value);
  }

  /** Merges a stored snapshot (from `runs.get`) with whatever live points already arrived. */
  merge(runId: string, series: Readonly<Record<string, readonly MetricPoint[]>>): void {
    for (const [name, points] of Object.entries(series)) {
      const target = this.seriesFor(runId, name);
      for (const point of points) target.add(point.step, point.value);
    }
  }

  /** Forgets a run's series (the run was deleted). */
  delete(runId: string): void {
    this.runs.delete(runId);
  }

  /** Highest step of any metric of the run, or 0. */
  lastStep(runId: string): number {
    let step = 0;
    for (const series of this.runs.get(runId)?.values() ?? []) step = Math.max(step, series.last()?.step ?? 0);
    return step;
  }

  /** Names of the run's metrics that hold at least one point. */
  names(runId: string): string[] {
    return [...(this.runs.get(runId)?.entries() ?? [])].filter(([, s]) => s.length > 0).map(([name]) => name);
  }

  clear(): void {
    this.runs.clear();
  }

  private seriesFor(runId: string, name: string): MetricSeries {
    let byName = this.runs.get(runId);
    if (!byName) this.runs.set(runId, (byName = new Map()));
    let series = byName.get(name);
    if (!series) byName.set(name, (series = new MetricSeries()));
    return series;
  }
}

/** The app's one series store; the `metrics` slice's version counter says when it changed. */
export const metricSeries = new MetricSeriesStore();
