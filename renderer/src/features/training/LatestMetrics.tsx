// Step and the latest loss / val_loss of the current run. Re-renders on the metrics version counter, reading the
// last points from metricSeries; falls back to the run summary's latest metrics before any series arrived.
import type { RunSummary } from '../../../../common/domain';
import { formatCount, formatLoss, percent } from '../../lib/format';
import { metricSeries } from '../../store/metricSeries';
import { useWorkbenchStore } from '../../store/store';
import { LOSS, VAL_LOSS } from './metricNames';

function latest(run: RunSummary, name: string): { step: number; value: number } | null {
  const fromSeries = metricSeries.get(run.id, name)?.last() ?? null;
  const fromSummary = run.metrics[name];
  if (fromSeries) return fromSeries;
  return fromSummary === undefined ? null : { step: run.lastStep, value: fromSummary };
}

export function LatestMetrics({ run }: { run: RunSummary | null }) {
  useWorkbenchStore((s) => s.metrics.version); // re-render when new points arrive
  if (!run) return null;
  const loss = latest(run, LOSS);
  const valLoss = latest(run, VAL_LOSS);
  const step = Math.max(run.lastStep, loss?.step ?? 0, valLoss?.step ?? 0);
  const total = run.config.steps;
  const done = percent(step, total);
  return (
    <div className="latest-metrics">
      <div className="metric">
        <span className="metric-label">Step</span>
        <span className="metric-value" data-testid="run-step">
          {formatCount(step)} <span className="muted">/ {formatCount(total)}</span>
        </span>
        <progress className="step-progress" max={100} value={done ?? 0} aria-label="Training progress" />
      </div>
      <div className="metric">
        <span className="metric-label">
          <span className="swatch swatch-loss" aria-hidden="true" />
          Train loss
        </span>
        <span className="metric-value mono" data-testid="run-loss">
          {formatLoss(loss?.value)}
        </span>
      </div>
      <div className="metric">
        <span className="metric-label">
          <span className="swatch swatch-val-loss" aria-hidden="true" />
          Validation loss
        </span>
        <span className="metric-value mono" data-testid="run-val-loss">
          {formatLoss(valLoss?.value)}
        </span>
      </div>
    </div>
  );
}
