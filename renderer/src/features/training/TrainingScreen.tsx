// Training: the run on screen (the newest, the one just started, or one opened from Runs) — its facts, controls,
// latest numbers, live charts (loss and validation loss, learning rate, gradient norm, tokens/s or, for a classifier,
// validation accuracy), the settings it used and its log.
import { useMemo } from 'react';
import type { RunSummary } from '../../../../common/domain';
import { GRAD_NORM, LEARNING_RATE, LOSS, TOKENS_PER_S, VAL_ACCURACY, VAL_LOSS } from '../../lib/metricNames';
import { showScreen } from '../../store/actions';
import { isRunActive } from '../../store/runsSlice';
import { selectCurrentRun, useWorkbenchStore } from '../../store/store';
import { ScreenHeader } from '../app/ScreenHeader';
import { MetricChart, type ChartLine } from '../charts/MetricChart';
import { LatestMetrics } from './LatestMetrics';
import { LogPane } from './LogPane';
import { RunConfigPanel } from './RunConfigPanel';
import { RunControls } from './RunControls';
import { RunFacts } from './RunFacts';

function RunCharts({ runId, active, classify }: { runId: string; active: boolean; classify: boolean }) {
  const waiting = active ? 'Points appear here as the run trains.' : 'This run recorded no points of this metric.';
  const charts = useMemo(() => {
    const line = (metric: string, label: string, colorVar: string, extra: Partial<ChartLine> = {}): ChartLine => ({
      runId,
      metric,
      label,
      colorVar,
      ...extra,
    });
    return {
      loss: [line(LOSS, 'train loss', '--chart-loss'), line(VAL_LOSS, 'validation loss', '--chart-val-loss', { markers: true })],
      lr: [line(LEARNING_RATE, 'learning rate', '--chart-lr')],
      grad: [line(GRAD_NORM, 'gradient norm', '--chart-grad')],
      tps: [line(TOKENS_PER_S, 'tokens per second', '--chart-tps')],
      accuracy: [line(VAL_ACCURACY, 'validation accuracy', '--chart-tps', { markers: true })],
    };
  }, [runId]);
  return (
    <div className="training-charts">
      <div className="panel chart-panel chart-panel-main">
        <MetricChart
          title="Loss"
          yLabel="loss"
          lines={charts.loss}
          testId="loss-chart"
          size="large"
          emptyText={active ? 'The loss curves appear here once training starts.' : 'This run stopped before it recorded a loss.'}
        />
      </div>
      <div className="small-charts">
        <div className="panel chart-panel">
          <MetricChart title="Learning rate" yLabel="lr" lines={charts.lr} testId="lr-chart" emptyText={waiting} />
        </div>
        <div className="panel chart-panel">
          <MetricChart title="Gradient norm" yLabel="norm" lines={charts.grad} testId="grad-norm-chart" emptyText={waiting} />
        </div>
        <div className="panel chart-panel">
          {classify ? (
            <MetricChart title="Validation accuracy" yLabel="accuracy" yRange={[0, 1]} lines={charts.accuracy} testId="accuracy-chart" emptyText={waiting} />
          ) : (
            <MetricChart title="Tokens per second" yLabel="tokens/s" lines={charts.tps} testId="tokens-chart" emptyText={waiting} />
          )}
        </div>
      </div>
    </div>
  );
}

function RunCaption({ run }: { run: RunSummary }) {
  const { config } = run;
  const shape = config.base === 'scratch' ? `${config.nLayer} layers × ${config.dModel} wide` : `${config.base} · ${config.method}`;
  return (
    <span className="muted run-caption" data-testid="run-caption" title={run.id}>
      <strong className="text">{run.datasetName}</strong> · {run.preset} preset · {shape} · {run.id}
    </span>
  );
}

export function TrainingScreen() {
  const run = useWorkbenchStore(selectCurrentRun);
  const actionError = useWorkbenchStore((s) => s.runs.error);

  if (!run) {
    return (
      <section className="screen" aria-labelledby="training-heading">
        <ScreenHeader id="training" />
        <div className="panel empty-panel" data-testid="training-empty">
          <p className="empty-title">No run yet</p>
          <p className="muted">Import a dataset, then click Train — on Datasets for the quick preset, or on Model after adjusting the settings.</p>
          <div className="empty-actions">
            <button type="button" className="button" onClick={() => showScreen('datasets')}>
              Go to Datasets
            </button>
            <button type="button" className="button" onClick={() => showScreen('model')}>
              Go to Model
            </button>
          </div>
        </div>
      </section>
    );
  }

  return (
    <section className="screen" aria-labelledby="training-heading" data-testid="training-screen" data-run-id={run.id}>
      <ScreenHeader id="training">
        <RunCaption run={run} />
      </ScreenHeader>
      <div className="panel run-summary-panel">
        <div className="run-summary-top">
          <RunFacts run={run} />
          <RunControls run={run} />
        </div>
        {actionError && (
          <p className="error-text" role="alert" data-testid="run-action-error">
            {actionError}
          </p>
        )}
        <LatestMetrics run={run} />
      </div>
      <RunCharts runId={run.id} active={isRunActive(run)} classify={run.task === 'classify'} />
      <RunConfigPanel run={run} />
      <LogPane runId={run.id} live={isRunActive(run)} />
    </section>
  );
}
