// uPlot options for a metric-by-step chart: whole-number step ticks, y axis sized to its longest tick label.
import type uPlot from 'uplot';
import type { ChartTheme } from './chartTheme';

export interface LineStyle {
  label: string;
  dashed?: boolean;
  /** Dots at each point, for sparse series such as val_loss. */
  markers?: boolean;
}

// Steps are whole numbers: tick spacings from 1 upwards in 1-2-5 steps (uPlot's defaults include 2.5, 0.5…).
const STEP_INCREMENTS = [
  1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10_000, 20_000, 25_000, 50_000, 100_000,
  200_000, 250_000, 500_000, 1_000_000, 2_000_000, 5_000_000, 10_000_000,
];

/** Tick labels with as many decimals as the tick spacing needs (uPlot's default rounds 0.0012 to 0.001). */
export function formatTicks(splits: readonly number[], increment: number): string[] {
  const decimals = increment > 0 ? Math.min(8, Math.max(0, -Math.floor(Math.log10(increment) + 1e-9))) : 0;
  const format = new Intl.NumberFormat('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
  return splits.map((v) => (v == null ? '' : Math.abs(v) < increment / 1e6 ? '0' : format.format(v)));
}

/** Width for the y axis: tick length + gap + the widest tick label (measured with the axis font). */
function yAxisSize(self: uPlot, values: string[] | null, axisIdx: number, cycleNum: number): number {
  const axis = self.axes[axisIdx] as uPlot.Axis & { _size?: number };
  if (cycleNum > 1 && axis._size) return axis._size;
  let size = (axis.ticks?.size ?? 10) + (axis.gap ?? 5) + 22; // 22: room for the rotated axis label
  const longest = (values ?? []).reduce((acc, v) => (v.length > acc.length ? v : acc), '');
  if (longest) {
    self.ctx.font = (axis.font as unknown as [string])[0] ?? self.ctx.font;
    size += self.ctx.measureText(longest).width / (window.devicePixelRatio || 1);
  }
  return Math.ceil(size);
}

export function chartOptions(input: {
  theme: ChartTheme;
  width: number;
  height: number;
  yLabel: string;
  lines: readonly LineStyle[];
  onDraw: () => void;
  /** A fixed y range, e.g. [0, 1] for an accuracy; automatic when absent. */
  yRange?: [number, number];
  /** Whether line i's markers are drawn now (they clutter a dense series); asked on every draw. */
  markersShown: (lineIndex: number) => boolean;
}): uPlot.Options {
  const { theme, width, height, yLabel, lines, onDraw, markersShown, yRange } = input;
  const axis = (label: string): uPlot.Axis => ({
    label,
    stroke: theme.axis,
    font: theme.font,
    labelFont: theme.font,
    labelSize: 18,
    grid: { stroke: theme.grid, width: 1 },
    ticks: { stroke: theme.grid, width: 1 },
  });
  return {
    width,
    height,
    legend: { show: false },
    cursor: { drag: { x: false, y: false }, points: { size: 7 } },
    scales: { x: { time: false }, ...(yRange ? { y: { range: yRange } } : {}) },
    axes: [
      { ...axis('step'), incrs: STEP_INCREMENTS },
      { ...axis(yLabel), size: yAxisSize, values: (_u, splits, _axis, _space, increment) => formatTicks(splits, increment) },
    ],
    series: [
      { label: 'step' },
      ...lines.map(
        (line, i): uPlot.Series => ({
          label: line.label,
          stroke: theme.lines[i],
          width: 2,
          spanGaps: true,
          dash: line.dashed ? [6, 4] : undefined,
          points: line.markers
            ? { show: () => markersShown(i), size: 6, stroke: theme.lines[i], fill: theme.lines[i] }
            : { show: false },
        }),
      ),
    ],
    hooks: { draw: [onDraw] },
  };
}
