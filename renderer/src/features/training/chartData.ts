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
