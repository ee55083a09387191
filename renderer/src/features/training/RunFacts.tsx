// The run at a glance: status, step of total with a progress bar, elapsed, time left, backend and device; the
// trainer's error sentence when it failed.
import type { ReactNode } from 'react';
import type { RunSummary } from '../../../../common/domain';
import { elapsedMs, estimateRemainingMs } from '../../lib/eta';
import { formatCount, formatDuration, percent } from '../../lib/format';
import { metricSeries } from '../../store/metricSeries';
import { stepClock } from '../../store/stepClock';
import { useWorkbenchStore } from '../../store/store';
import { useNow } from './useNow';

function Fact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="fact">
      <span className="fact-label">{label}</span>
      <span className="fact-value" data-testid={testId}>
        {children}
      </span>
    </div>
  );
}

export function RunFacts({ run }: { run: RunSummary }) {
  useWorkbenchStore((s) => s.metrics.version); // re-render as steps arrive
  const live = run.status === 'running';
  const now = useNow(live || run.status === 'queued');
  const step = Math.max(run.lastStep, metricSeries.lastStep(run.id));
  const total = run.config.steps;
  const elapsed = elapsedMs(run, now);
  const remaining = live ? estimateRemainingMs({ samples: stepClock.get(run.id), step, totalSteps: total, elapsedMs: elapsed }) : null;
  const choosing = !run.backend && (run.status === 'queued' || run.status === 'running');

  return (
    <div className="run-facts">
      <Fact label="Status">
        <span className={`status status-${run.status}`} data-testid="run-status" aria-live="polite">
          {run.status}
        </span>
      </Fact>
      <div className="fact fact-step">
        <span className="fact-label">Step</span>
        <span className="fact-value" data-testid="run-step">
          {formatCount(step)} <span className="muted">/ {formatCount(total)}</span>
        </span>
        <progress className="step-progress" max={100} value={percent(step, total) ?? 0} aria-label="Training progress" />
      </div>
      <Fact label="Elapsed" testId="run-elapsed">
        {elapsed === null ? '—' : formatDuration(elapsed)}
      </Fact>
      <Fact label="Time left" testId="run-eta">
        {run.status === 'paused' ? 'paused' : remaining === null ? '—' : live ? `≈ ${formatDuration(remaining)}` : '—'}
      </Fact>
      <Fact label="Backend" testId="run-backend">
        {run.backend ?? (choosing ? 'choosing…' : '—')}
      </Fact>
      <Fact label="Device" testId="run-device">
        {run.device ?? '—'}
      </Fact>
      {run.error && (run.status === 'failed' || run.status === 'interrupted') && (
        <p className="error-text run-error" role="alert" data-testid="run-error">
          {run.error}
        </p>
      )}
    </div>
  );
}
