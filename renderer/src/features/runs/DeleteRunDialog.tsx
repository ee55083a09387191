// Confirmation before a run is deleted (its metrics and checkpoint files go with it). A modal <dialog>: focus stays
// inside, Escape keeps the run. Main's refusal is shown in the dialog.
import { useEffect, useRef, useState } from 'react';
import type { RunSummary } from '../../../../common/domain';
import { deleteRun } from '../../store/actions';

export function DeleteRunDialog({ run, onClose }: { run: RunSummary; onClose(): void }) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const dialog = dialogRef.current!;
    if (!dialog.open) dialog.showModal();
    return () => dialog.close();
  }, []);

  const confirm = async () => {
    setBusy(true);
    const failure = await deleteRun(run.id);
    setBusy(false);
    if (failure) setError(failure);
    else onClose();
  };

  return (
    <dialog
      ref={dialogRef}
      className="dialog"
      aria-labelledby="delete-run-title"
      aria-describedby="delete-run-text"
      data-testid="delete-run-dialog"
      onCancel={(e) => {
        e.preventDefault();
        if (!busy) onClose();
      }}
    >
      <h2 id="delete-run-title" className="dialog-title">
        Delete run {run.id}?
      </h2>
      <p id="delete-run-text" className="muted">
        The run on <strong className="text">{run.datasetName}</strong> ({run.status}, {run.lastStep} steps) is removed with its
        metrics and checkpoint files. This cannot be undone.
      </p>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" className="button" autoFocus disabled={busy} onClick={onClose}>
          Keep it
        </button>
        <button type="button" className="button button-danger-solid" disabled={busy} onClick={() => void confirm()}>
          {busy ? 'Deleting…' : 'Delete run'}
        </button>
      </div>
    </dialog>
  );
}
