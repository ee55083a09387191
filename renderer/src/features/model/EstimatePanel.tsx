// The run's memory and time estimate as the settings change: main sizes the draft (runs.estimate) for the backend it
// will train on; a run that would not fit says so with what would, before Train is clicked (main refuses it anyway).
import { useEffect } from 'react';
import { refreshEstimate } from '../../store/actions';
import { selectCurrentDataset, useWorkbenchStore } from '../../store/store';

const DEBOUNCE_MS = 250;

export function EstimatePanel() {
  const datasetId = useWorkbenchStore((s) => selectCurrentDataset(s)?.id ?? null);
  const preset = useWorkbenchStore((s) => s.model.preset);
  const edits = useWorkbenchStore((s) => s.model.edits);
  const backend = useWorkbenchStore((s) => s.settings.defaultBackend);
  const shown = useWorkbenchStore((s) => s.model.estimate);
  useEffect(() => {
    const timer = setTimeout(() => void refreshEstimate(), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [datasetId, preset, edits, backend]);

  if (!shown) return null;
  const refusal = shown.estimate?.refusal ?? null;
  return (
    <section className="panel estimate-panel" aria-labelledby="estimate-heading" data-testid="estimate">
      <h2 className="panel-title" id="estimate-heading">
        Memory and time{shown.estimate ? ` on ${shown.estimate.backend}` : ''}
      </h2>
      {shown.error && <p className="muted">{shown.error}</p>}
      {!shown.error && shown.lines.length === 0 && <p className="muted">No estimate for this base: the estimate sizes fine-tunes of pretrained decoders (stories260K, imported and cached models).</p>}
      {shown.lines.map((line) => (
        <p key={line} className="field-help">
          {line}
        </p>
      ))}
      {refusal && (
        <p className="field-error" role="alert" data-testid="estimate-refusal">
          {refusal}
        </p>
      )}
    </section>
  );
}
