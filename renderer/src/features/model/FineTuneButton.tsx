// The one-click few-shot fine-tune: one button that starts `runs.start {preset: 'few-shot'}` on a dataset and opens
// the Training screen. Says in one line what it will pick for this dataset, or why it cannot start.
import { useId, useState } from 'react';
import type { DatasetSummary } from '../../../../common/domain';
import { modelName } from '../../lib/baseModels';
import { fewShotChoice } from '../../lib/fewShotPreview';
import { formatCount } from '../../lib/format';
import { fineTune } from '../../store/actions';
import { anyRunActive } from '../../store/runsSlice';
import { useWorkbenchStore } from '../../store/store';

export function FineTuneButton({ dataset }: { dataset: DatasetSummary | null }) {
  const busy = useWorkbenchStore((s) => anyRunActive(s.runs.list));
  const pending = useWorkbenchStore((s) => s.runs.pending);
  const models = useWorkbenchStore((s) => s.catalog.models);
  const [error, setError] = useState<string | null>(null);
  const hintId = useId();
  const choice = fewShotChoice(dataset);

  const hint = !dataset
    ? 'Import a dataset first.'
    : busy
      ? 'A run is training; wait for it to finish or cancel it on the Training screen.'
      : `Fine-tunes ${choice.base ? modelName(choice.base, models) : 'a pretrained base'}${choice.method && choice.method !== 'full' ? ` with ${choice.method === 'setfit' ? 'SetFit' : 'a new head'}` : ''} on ${dataset.name}${choice.steps ? `, ${formatCount(choice.steps)} steps` : ''}.`;

  return (
    <div className="train-bar fine-tune-bar">
      <button
        type="button"
        className="button button-primary button-large"
        data-testid="fine-tune"
        disabled={!dataset || busy || pending !== null}
        aria-describedby={hintId}
        onClick={async () => {
          if (!dataset) return;
          setError(null);
          setError(await fineTune(dataset.id));
        }}
      >
        {pending === 'start' ? 'Starting…' : 'Fine-tune'}
      </button>
      <span className="muted train-hint" id={hintId}>
        {hint}
      </span>
      {error && (
        <p className="error-text train-error" role="alert" data-testid="fine-tune-error">
          {error}
        </p>
      )}
    </div>
  );
}
