// Series with different step grids (loss every 5 steps, val_loss every 25) merged onto one x axis, as uPlot wants:
// [steps, ys0, ys1, …] where a series without a point at a step holds null there. Cost O(total points).

export interface StepSeries {
  readonly steps: ArrayLike<number>; // ascending
  readonly values: ArrayLike<number>;
  readonly length: number;
}

export interface AlignedSeries {
  data: [number[], ...(number | null)[][]];
  /** Points actually drawn: non-null values over all series. */
  points: number;
}

const EMPTY: StepSeries = { steps: [], values: [], length: 0 };

export function alignSeries(series: ReadonlyArray<StepSeries | undefined>): AlignedSeries {
  const inputs = series.map((s) => s ?? EMPTY);
  const cursors = inputs.map(() => 0);
  const xs: number[] = [];
  const ys: (number | null)[][] = inputs.map(() => []);
  let points = 0;
  for (;;) {
    let step = Infinity;
    for (let i = 0; i < inputs.length; i++) {
      if (cursors[i] < inputs[i].length) step = Math.min(step, inputs[i].steps[cursors[i]]);
    }
    if (step === Infinity) break;
    xs.push(step);
    for (let i = 0; i < inputs.length; i++) {
      const at = cursors[i];
      if (at < inputs[i].length && inputs[i].steps[at] === step) {
        const value = inputs[i].values[at];
        const finite = Number.isFinite(value);
        ys[i].push(finite ? value : null);
        if (finite) points++;
        cursors[i] = at + 1;
      } else {
        ys[i].push(null);
      }
    }
  }
  return { data: [xs, ...ys], points };
}

/** A series that also counts its non-append changes (store/metricSeries.ts MetricSeries). */
export interface TrackedStepSeries extends StepSeries {
  readonly rewrites: number;
}

/**
 * alignSeries, kept up to date incrementally for a chart that redraws as points stream in: when every series only
 * grew at its end since the last call, only the new points are merged (O(new points)); anything else (a replaced or
 * late point, a different set of series) rebuilds from scratch (O(all points)). The returned arrays are reused and
 * mutated between calls, as uPlot's setData allows.
 */
export class IncrementalAligner {
  private inputs: (TrackedStepSeries | undefined)[] = [];
  private rewrites: number[] = [];
  private cursors: number[] = [];
  private xs: number[] = [];
  private ys: (number | null)[][] = [];
  private points = 0;

  update(series: ReadonlyArray<TrackedStepSeries | undefined>): AlignedSeries {
    if (!this.canExtend(series) || !this.extend(series)) this.rebuild(series);
    return { data: [this.xs, ...this.ys], points: this.points };
  }

  private canExtend(series: ReadonlyArray<TrackedStepSeries | undefined>): boolean {
    if (series.length !== this.inputs.length) return false;
    return series.every((s, i) => s === this.inputs[i] && (!s || (s.rewrites === this.rewrites[i] && s.length >= this.cursors[i])));
  }

  private rebuild(series: ReadonlyArray<TrackedStepSeries | undefined>): void {
    const { data, points } = alignSeries(series);
    const [xs, ...ys] = data;
    this.xs = xs;
    this.ys = ys;
    this.points = points;
    this.inputs = [...series];
    this.rewrites = series.map((s) => s?.rewrites ?? 0);
    this.cursors = series.map((s) => s?.length ?? 0);
  }

  /** Merges the points after each cursor; false when one lands at a step the x axis lacks (needs a rebuild). */
  private extend(series: ReadonlyArray<TrackedStepSeries | undefined>): boolean {
    const { xs, ys, cursors } = this;
    for (;;) {
      let step = Infinity;
      for (let i = 0; i < series.length; i++) {
        const s = series[i];
        if (s && cursors[i] < s.length) step = Math.min(step, s.steps[cursors[i]]);
      }
      if (step === Infinity) return true;
      let row = xs.length - 1;
      if (row < 0 || step > xs[row]) {
        xs.push(step);
        for (const y of ys) y.push(null);
        row++;
      } else if (xs[row] !== step) {
        row = indexOfStep(xs, step);
        if (row < 0) return false;
      }
      for (let i = 0; i < series.length; i++) {
        const s = series[i];
        if (!s || cursors[i] >= s.length || s.steps[cursors[i]] !== step) continue;
        const value = s.values[cursors[i]++];
        const finite = Number.isFinite(value);
        if (ys[i][row] === null && finite) this.points++;
        else if (ys[i][row] !== null && !finite) this.points--;
        ys[i][row] = finite ? value : null;
      }
    }
  }
}

/** Index of `step` in the ascending `xs`, or -1. */
function indexOfStep(xs: readonly number[], step: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid] < step) lo = mid + 1;
    else hi = mid;
  }
  return lo < xs.length && xs[lo] === step ? lo : -1;
}
