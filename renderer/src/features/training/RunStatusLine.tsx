// Status word, backend and device of the current run; the trainer's error sentence when it failed.
import type { RunSummary } from '../../../../common/domain';
import { formatDuration } from '../../lib/format';

export function RunStatusLine({ run }: { run: RunSummary | null }) {
  const backend = !run
    ? '—'
    : run.backend
      ? `${run.backend}${run.device ? ` · ${run.device}` : ''}`
      : run.status === 'queued' || run.status === 'running'
        ? 'choosing…'
        : '—';
  return (
    <div className="run-status-line">
      <div className="fact">
        <span className="fact-label">Status</span>
        <span className={`status status-${run?.status ?? 'idle'}`} data-testid="run-status" aria-live="polite">
          {run?.status ?? 'idle'}
        </span>
      </div>
      <div className="fact">
        <span className="fact-label">Backend</span>
        <span className="fact-value" data-testid="run-backend">
          {backend}
        </span>
      </div>
      {run?.durationMs != null && run.finishedAt && (
        <div className="fact">
          <span className="fact-label">Took</span>
          <span className="fact-value">{formatDuration(run.durationMs)}</span>
        </div>
      )}
      {run?.status === 'failed' && run.error && (
        <p className="error-text run-error" role="alert" data-testid="run-error">
          {run.error}
        </p>
      )}
    </div>
  );
}
