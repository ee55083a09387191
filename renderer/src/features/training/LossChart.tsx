// Train `loss` and `val_loss` by step with uPlot. Points are appended outside React (metricSeries); this component
// renders once per run and redraws on an animation frame whenever the store's metrics version changes.
// The container's `data-points` attribute holds the number of points drawn (read by tests).
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import { metricSeries } from '../../store/metricSeries';
import { useWorkbenchStore } from '../../store/store';
import { alignSeries } from './chartData';
import { readChartTheme, type ChartTheme } from './chartTheme';
import { LOSS, VAL_LOSS } from './metricNames';

// Steps are whole numbers: tick spacings from 1 upwards in 1-2-5 steps (uPlot's defaults include 2.5, 0.5…).
const STEP_INCREMENTS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10_000, 20_000, 25_000, 50_000, 100_000, 200_000, 500_000, 1_000_000];
const MIN_WIDTH = 200;
const MIN_HEIGHT = 160;

function chartOptions(theme: ChartTheme, width: number, height: number): uPlot.Options {
  const axis = (label: string): uPlot.Axis => ({
    label,
    stroke: theme.axis,
    font: theme.font,
    labelFont: theme.font,
    grid: { stroke: theme.grid, width: 1 },
    ticks: { stroke: theme.grid, width: 1 },
  });
  return {
    width,
    height,
    legend: { show: false },
    cursor: { drag: { x: false, y: false }, points: { size: 7 } },
    scales: { x: { time: false } },
    axes: [{ ...axis('step'), incrs: STEP_INCREMENTS }, axis('loss')],
    series: [
      { label: 'step' },
      { label: 'train loss', stroke: theme.loss, width: 2, spanGaps: true, points: { show: false } },
      {
        label: 'validation loss',
        stroke: theme.valLoss,
        width: 2,
        spanGaps: true,
        points: { show: true, size: 6, stroke: theme.valLoss, fill: theme.valLoss },
      },
    ],
  };
}

export function LossChart({ runId }: { runId: string | null }) {
  const containerRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const container = containerRef.current!;
    const host = plotRef.current!;
    let chart: uPlot | null = null;
    let frame = 0;

    const current = () =>
      alignSeries(runId ? [metricSeries.get(runId, LOSS), metricSeries.get(runId, VAL_LOSS)] : []);
    const size = () => ({
      width: Math.max(MIN_WIDTH, Math.floor(host.clientWidth)),
      height: Math.max(MIN_HEIGHT, Math.floor(host.clientHeight)),
    });
    const build = () => {
      chart?.destroy();
      const { width, height } = size();
      const { data } = current();
      chart = new uPlot(chartOptions(readChartTheme(container), width, height), runId ? data : [[], [], []], host);
    };
    const draw = () => {
      frame = 0;
      const { data, points } = current();
      container.dataset.points = String(points);
      container.dataset.empty = String(points === 0);
      if (!chart) build();
      else chart.setData(runId ? data : [[], [], []]);
    };
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(draw);
    };

    container.dataset.points = '0';
    container.dataset.empty = 'true';
    build();
    draw();

    const unsubscribe = useWorkbenchStore.subscribe((s, prev) => {
      if (s.metrics.version !== prev.metrics.version) schedule();
    });
    const resize = new ResizeObserver(() => chart?.setSize(size()));
    resize.observe(host);
    const scheme = window.matchMedia('(prefers-color-scheme: dark)');
    const recolour = () => {
      build();
      schedule();
    };
    scheme.addEventListener('change', recolour);

    return () => {
      unsubscribe();
      resize.disconnect();
      scheme.removeEventListener('change', recolour);
      if (frame) cancelAnimationFrame(frame);
      chart?.destroy();
      chart = null;
    };
  }, [runId]);

  return (
    <figure className="loss-chart" data-testid="loss-chart" ref={containerRef}>
      <figcaption className="loss-chart-caption">
        <span className="chart-title">Loss</span>
        <span className="legend" aria-hidden="true">
          <span className="legend-item legend-loss">train loss</span>
          <span className="legend-item legend-val-loss">validation loss</span>
        </span>
      </figcaption>
      <div
        className="loss-chart-plot"
        ref={plotRef}
        role="img"
        aria-label="Training and validation loss by step"
      />
      <p className="loss-chart-empty muted">The loss curves appear here once training starts.</p>
    </figure>
  );
}
