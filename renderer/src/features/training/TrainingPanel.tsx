// Right column: controls, the current run's status and numbers, and the live loss chart.
import { selectCurrentRun, useWorkbenchStore } from '../../store/store';
import { LatestMetrics } from './LatestMetrics';
import { LossChart } from './LossChart';
import { RunControls } from './RunControls';
import { RunStatusLine } from './RunStatusLine';

export function TrainingPanel() {
  const run = useWorkbenchStore(selectCurrentRun);
  const actionError = useWorkbenchStore((s) => s.runs.error);
  return (
    <section className="panel training-panel" aria-labelledby="training-heading">
      <div className="panel-heading">
        <h2 id="training-heading" className="panel-title">
          Training
        </h2>
        {run && (
          <span className="muted run-caption" title={run.id}>
            {run.datasetName} · {run.preset} preset · {run.config.nLayer} layers × {run.config.dModel} wide
          </span>
        )}
      </div>
      <RunControls />
      {actionError && (
        <p className="error-text" role="alert" data-testid="run-action-error">
          {actionError}
        </p>
      )}
      <RunStatusLine run={run} />
      <LatestMetrics run={run} />
      <LossChart runId={run?.id ?? null} />
    </section>
  );
}
