// The ticked runs' curves of one metric on one chart (each run its colour, as in the settings table).
import { useId, useMemo } from 'react';
import type { RunSummary } from '../../../../common/domain';
import { LOSS, METRIC_LABELS, metricLabel } from '../../lib/metricNames';
import { metricSeries } from '../../store/metricSeries';
import { useWorkbenchStore } from '../../store/store';
import { MetricChart, type ChartLine } from '../charts/MetricChart';

export function CompareChart({ runs }: { runs: RunSummary[] }) {
  const metric = useWorkbenchStore((s) => s.comparison.metric);
  const version = useWorkbenchStore((s) => s.metrics.version);
  const pickerId = useId();
  const available = useMemo(() => {
    const names = new Set([LOSS, ...runs.flatMap((r) => metricSeries.names(r.id))]);
    return [...Object.keys(METRIC_LABELS).filter((n) => names.has(n)), ...[...names].filter((n) => !(n in METRIC_LABELS))];
  }, [runs, version]);
  const lines = useMemo(
    (): ChartLine[] =>
      runs.map((run, i) => ({ runId: run.id, metric, label: `${run.datasetName} · ${run.id}`, colorVar: `--chart-series-${i % 8}` })),
    [runs, metric],
  );

  return (
    <section className="panel compare-panel" aria-labelledby="compare-heading">
      <div className="panel-heading">
        <h2 id="compare-heading" className="panel-title">
          Compare {runs.length} run{runs.length === 1 ? '' : 's'}
        </h2>
        <div className="field field-inline">
          <label htmlFor={pickerId}>Metric</label>
          <select id={pickerId} value={metric} onChange={(e) => useWorkbenchStore.getState().comparisonMetricChosen(e.currentTarget.value)}>
            {available.map((name) => (
              <option key={name} value={name}>
                {metricLabel(name)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <MetricChart
        title={metricLabel(metric)}
        yLabel={metric}
        lines={lines}
        testId="compare-chart"
        legend
        size="large"
        emptyText={`None of these runs has ${metricLabel(metric)} points yet.`}
      />
    </section>
  );
}
