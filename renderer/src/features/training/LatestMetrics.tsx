// Latest train loss, validation loss, learning rate and throughput (validation accuracy for a classifier) of the run. Re-renders on the metrics version
// counter, reading the last points from metricSeries; falls back to the run summary's latest metrics.
import type { RunSummary } from '../../../../common/domain';
import { formatCount, formatLoss } from '../../lib/format';
import { formatPercent } from '../../lib/confusion';
import { LEARNING_RATE, LOSS, TOKENS_PER_S, VAL_ACCURACY, VAL_LOSS } from '../../lib/metricNames';
import { metricSeries } from '../../store/metricSeries';
import { useWorkbenchStore } from '../../store/store';

function latest(run: RunSummary, name: string): number | null {
  const fromSeries = metricSeries.get(run.id, name)?.last();
  if (fromSeries) return fromSeries.value;
  return run.metrics[name] ?? null;
}

const formatRate = (v: number | null) => (v === null || !Number.isFinite(v) ? '—' : v === 0 ? '0' : v.toExponential(2));
const formatAccuracy = (v: number | null) => (v === null ? '—' : formatPercent(v));
const formatSpeed = (v: number | null) => (v === null || !Number.isFinite(v) ? '—' : formatCount(v));

export function LatestMetrics({ run }: { run: RunSummary }) {
  useWorkbenchStore((s) => s.metrics.version);
  const cells = [
    { label: 'Train loss', swatch: '--chart-loss', value: formatLoss(latest(run, LOSS)), testId: 'run-loss' },
    { label: 'Validation loss', swatch: '--chart-val-loss', value: formatLoss(latest(run, VAL_LOSS)), testId: 'run-val-loss' },
    { label: 'Learning rate', swatch: '--chart-lr', value: formatRate(latest(run, LEARNING_RATE)), testId: 'run-lr' },
    run.task === 'classify'
      ? { label: 'Validation accuracy', swatch: '--chart-tps', value: formatAccuracy(latest(run, VAL_ACCURACY)), testId: 'run-val-accuracy' }
      : { label: 'Tokens / s', swatch: '--chart-tps', value: formatSpeed(latest(run, TOKENS_PER_S)), testId: 'run-tokens-per-s' },
  ];
  return (
    <div className="latest-metrics">
      {cells.map((cell) => (
        <div className="metric" key={cell.label}>
          <span className="metric-label">
            <span className="swatch" style={{ ['--swatch' as string]: `var(${cell.swatch})` }} aria-hidden="true" />
            {cell.label}
          </span>
          <span className="metric-value mono" data-testid={cell.testId}>
            {cell.value}
          </span>
        </div>
      ))}
    </div>
  );
}
