// Metric series by step with uPlot: one chart, any number of (run, metric) lines. Points live outside React
// (store/metricSeries); this component builds the chart when its lines or the theme change, and otherwise only
// calls setData on an animation frame after the store's metrics version moves — at most once per frame, and only
// when one of its series actually changed. The figure's data attributes are read by tests:
// data-points (points drawn), data-empty, data-draw-ms (time of the last redraw: aligning the series, setData, up to uPlot's draw hook).
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import { metricSeries } from '../../store/metricSeries';
import { useWorkbenchStore } from '../../store/store';
import { IncrementalAligner } from './chartData';
import { chartOptions, type LineStyle } from './chartOptions';
import { readChartTheme } from './chartTheme';

export interface ChartLine extends LineStyle {
  runId: string;
  metric: string;
  /** CSS custom property holding the line's colour, e.g. '--chart-loss'. */
  colorVar: string;
}

const MIN_WIDTH = 160;
const MIN_HEIGHT = 120;
const MAX_MARKERS = 240; // a series with more points than this is drawn without dots

export function MetricChart(props: {
  title: string;
  yLabel: string;
  lines: readonly ChartLine[];
  emptyText: string;
  testId?: string;
  size?: 'large' | 'small';
  /** Show the line legend (default: when there is more than one line). */
  legend?: boolean;
  /** A fixed y range (an accuracy: [0, 1]); automatic when absent. */
  yRange?: [number, number];
}) {
  const { title, yLabel, lines, emptyText, testId, size = 'small', legend = lines.length > 1, yRange } = props;
  const containerRef = useRef<HTMLElement>(null);
  const plotRef = useRef<HTMLDivElement>(null);
  const theme = useWorkbenchStore((s) => s.settings.resolvedTheme);
  const linesKey = JSON.stringify(lines);

  useEffect(() => {
    const container = containerRef.current!;
    const host = plotRef.current!;
    const spec: ChartLine[] = JSON.parse(linesKey);
    let chart: uPlot | null = null;
    let frame = 0;
    let drawnRevision = '';
    let drawStarted = 0;
    const counts = spec.map(() => 0);
    const aligner = new IncrementalAligner();

    const dims = () => ({
      width: Math.max(MIN_WIDTH, Math.floor(host.clientWidth)),
      height: Math.max(MIN_HEIGHT, Math.floor(host.clientHeight)),
    });
    const draw = () => {
      frame = 0;
      const series = spec.map((l) => metricSeries.get(l.runId, l.metric));
      const revision = series.map((s) => (s ? `${s.revision}` : '-')).join(',');
      if (chart && revision === drawnRevision) return;
      drawnRevision = revision;
      drawStarted = performance.now();
      series.forEach((s, i) => (counts[i] = s?.length ?? 0));
      const { data, points } = aligner.update(series);
      container.dataset.points = String(points);
      container.dataset.empty = String(points === 0);
      if (!chart) {
        const { width, height } = dims();
        const options = chartOptions({
          theme: readChartTheme(container, spec.map((l) => l.colorVar)),
          width,
          height,
          yLabel,
          yRange,
          lines: spec,
          markersShown: (i) => counts[i] <= MAX_MARKERS,
          onDraw: () => {
            if (!drawStarted) return;
            container.dataset.drawMs = (performance.now() - drawStarted).toFixed(1);
            drawStarted = 0;
          },
        });
        chart = new uPlot(options, data as uPlot.AlignedData, host);
      } else {
        chart.setData(data as uPlot.AlignedData);
      }
    };
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(draw);
    };

    draw();
    const unsubscribe = useWorkbenchStore.subscribe((s, prev) => {
      if (s.metrics.version !== prev.metrics.version) schedule();
    });
    const resize = new ResizeObserver(() => chart?.setSize(dims()));
    resize.observe(host);
    return () => {
      unsubscribe();
      resize.disconnect();
      if (frame) cancelAnimationFrame(frame);
      chart?.destroy();
      chart = null;
    };
  }, [linesKey, yLabel, theme]);

  return (
    <figure className={`metric-chart metric-chart-${size}`} data-testid={testId} ref={containerRef} data-points="0" data-empty="true">
      <figcaption className="metric-chart-caption">
        <span className="chart-title">{title}</span>
        {legend && (
          <span className="chart-legend">
            {lines.map((line) => (
              <span
                key={`${line.runId}/${line.metric}`}
                className={`legend-item${line.dashed ? ' legend-dashed' : ''}`}
                style={{ ['--swatch' as string]: `var(${line.colorVar})` }}
              >
                {line.label}
              </span>
            ))}
          </span>
        )}
      </figcaption>
      <div className="metric-chart-plot" ref={plotRef} role="img" aria-label={`${title} by step`} />
      <p className="metric-chart-empty muted">{emptyText}</p>
    </figure>
  );
}
