// Train (preset 'quick') and the current run's pause / resume / cancel.
import { useId } from 'react';
import { cancelRun, pauseRun, resumeRun, startTraining } from '../../store/actions';
import { isRunActive } from '../../store/runsSlice';
import { selectCurrentDataset, selectCurrentRun, useWorkbenchStore } from '../../store/store';

export function RunControls() {
  const dataset = useWorkbenchStore(selectCurrentDataset);
  const run = useWorkbenchStore(selectCurrentRun);
  const pending = useWorkbenchStore((s) => s.runs.pending);
  const active = isRunActive(run);
  const status = run?.status;

  const trainHint = !dataset
    ? 'Import a dataset first.'
    : active
      ? 'A run is in progress.'
      : `Train a small model on ${dataset.name} (quick preset).`;
  const hintId = useId();

  return (
    <div className="run-controls" role="group" aria-label="Training controls">
      <button
        type="button"
        className="button button-primary"
        data-testid="start-training"
        disabled={!dataset || active || pending !== null}
        title={trainHint}
        aria-describedby={hintId}
        onClick={() => void startTraining('quick')}
      >
        {pending === 'start' ? 'Starting…' : 'Train'}
      </button>
      {status === 'paused' ? (
        <button
          type="button"
          className="button"
          data-testid="resume-training"
          disabled={pending !== null}
          onClick={() => void resumeRun()}
        >
          Resume
        </button>
      ) : (
        <button
          type="button"
          className="button"
          data-testid="pause-training"
          disabled={status !== 'running' || pending !== null}
          onClick={() => void pauseRun()}
        >
          Pause
        </button>
      )}
      <button
        type="button"
        className="button button-danger"
        data-testid="cancel-training"
        disabled={!active || pending !== null}
        onClick={() => void cancelRun()}
      >
        Cancel
      </button>
      <span className={!dataset ? 'muted control-hint' : 'visually-hidden'} id={hintId}>
        {trainHint}
      </span>
    </div>
  );
}
