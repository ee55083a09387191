// Train: starts a run on the selected dataset with the Model screen's preset and edits. Says in one line what it
// will do, or why it cannot; shows main's refusal under it (or, on the Model screen, beside the field it names).
import { useId } from 'react';
import { formatCount } from '../../lib/format';
import { startTraining } from '../../store/actions';
import { selectDraft } from '../../store/draft';
import { anyRunActive } from '../../store/runsSlice';
import { selectCurrentDataset, useWorkbenchStore } from '../../store/store';

/** `secondary`: drawn as a plain button, where a Fine-tune button beside it is the main action. */
export function TrainButton({ showFieldErrors, secondary = false }: { showFieldErrors: boolean; secondary?: boolean }) {
  const dataset = useWorkbenchStore(selectCurrentDataset);
  const busy = useWorkbenchStore((s) => anyRunActive(s.runs.list));
  const pending = useWorkbenchStore((s) => s.runs.pending);
  const preset = useWorkbenchStore((s) => s.model.preset);
  const edits = useWorkbenchStore((s) => s.model.edits);
  const rejected = useWorkbenchStore((s) => s.model.rejected);
  const draft = useWorkbenchStore(selectDraft);
  const invalid = Object.keys(draft.errors).length > 0;
  const hintId = useId();

  const edited = Object.keys(edits).length;
  const plan = [
    `${preset} preset`,
    draft.config && `${formatCount(draft.config.steps)} steps`,
    edited > 0 && `${edited} setting${edited === 1 ? '' : 's'} changed`,
  ].filter(Boolean);
  const hint = !dataset
    ? 'Import a dataset first.'
    : busy
      ? 'A run is training; wait for it to finish or cancel it on the Training screen.'
      : invalid && !showFieldErrors
        ? 'Fix the highlighted settings to train.'
        : `Trains on ${dataset.name}: ${plan.join(', ')}.`;
  const showRejection = rejected && (showFieldErrors || rejected.field === null);

  return (
    <div className="train-bar">
      <button
        type="button"
        className={`button button-large${secondary ? '' : ' button-primary'}`}
        data-testid="start-training"
        disabled={!dataset || busy || pending !== null || (invalid && !showFieldErrors)}
        aria-describedby={hintId}
        onClick={() => void startTraining()}
      >
        {pending === 'start' ? 'Starting…' : 'Train'}
      </button>
      <span className="muted train-hint" id={hintId}>
        {hint}
      </span>
      {showRejection && (
        <p className="error-text train-error" role="alert" data-testid="train-error">
          {rejected.message}
        </p>
      )}
    </div>
  );
}
