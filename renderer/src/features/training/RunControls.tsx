// Pause / resume and cancel of the run on screen.
import { cancelRun, pauseRun, resumeRun } from '../../store/actions';
import { isRunActive } from '../../store/runsSlice';
import type { RunSummary } from '../../../../common/domain';
import { useWorkbenchStore } from '../../store/store';

export function RunControls({ run }: { run: RunSummary }) {
  const pending = useWorkbenchStore((s) => s.runs.pending);
  const active = isRunActive(run);
  return (
    <div className="run-controls" role="group" aria-label="Run controls">
      {run.status === 'paused' ? (
        <button type="button" className="button" data-testid="resume-training" disabled={pending !== null} onClick={() => void resumeRun()}>
          {pending === 'resume' ? 'Resuming…' : 'Resume'}
        </button>
      ) : (
        <button
          type="button"
          className="button"
          data-testid="pause-training"
          disabled={run.status !== 'running' || pending !== null}
          onClick={() => void pauseRun()}
        >
          {pending === 'pause' ? 'Pausing…' : 'Pause'}
        </button>
      )}
      <button
        type="button"
        className="button button-danger"
        data-testid="cancel-training"
        disabled={!active || pending !== null}
        onClick={() => void cancelRun()}
      >
        {pending === 'cancel' ? 'Cancelling…' : 'Cancel'}
      </button>
    </div>
  );
}
