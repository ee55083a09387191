// Model: a preset, then every training setting grouped, explained and validated as typed (the zod schema main
// uses). Train starts a run with the preset and the changed settings; main's refusal shows beside its field.
import { useMemo } from 'react';
import type { TrainConfigKey } from '../../../../common/config';
import { presetConfig, resolveDraft } from '../../lib/configDraft';
import { showScreen } from '../../store/actions';
import { selectCurrentDataset, useWorkbenchStore } from '../../store/store';
import { ScreenHeader } from '../app/ScreenHeader';
import { ConfigField } from './ConfigField';
import { FIELD_GROUPS } from './configFields';
import { PresetPicker } from './PresetPicker';
import { TrainButton } from './TrainButton';

const store = () => useWorkbenchStore.getState();
const onEdit = (key: TrainConfigKey, raw: string | undefined) => store().configEdited(key, raw);

export function ModelScreen() {
  const dataset = useWorkbenchStore(selectCurrentDataset);
  const preset = useWorkbenchStore((s) => s.model.preset);
  const edits = useWorkbenchStore((s) => s.model.edits);
  const rejected = useWorkbenchStore((s) => s.model.rejected);
  const defaultBackend = useWorkbenchStore((s) => s.settings.defaultBackend);
  const base = useMemo(() => presetConfig(preset), [preset]);
  const { errors } = useMemo(() => resolveDraft(preset, edits, defaultBackend), [preset, edits, defaultBackend]);
  const edited = Object.keys(edits).length;

  return (
    <section className="screen" aria-labelledby="model-heading" data-testid="model-screen">
      <ScreenHeader id="model">
        <span className="muted">
          Trains on{' '}
          {dataset ? (
            <strong className="text">{dataset.name}</strong>
          ) : (
            <button type="button" className="link-button" onClick={() => showScreen('datasets')}>
              no dataset yet — import one
            </button>
          )}
        </span>
      </ScreenHeader>
      <div className="panel">
        <PresetPicker value={preset} onChange={(p) => store().presetChosen(p)} />
      </div>
      <div className="config-groups">
        {FIELD_GROUPS.map((group) => (
          <fieldset key={group.title} className="panel config-group">
            <legend className="panel-title">{group.title}</legend>
            {group.fields.map((spec) => (
              <ConfigField
                key={spec.key}
                spec={spec}
                presetValue={base[spec.key]}
                edit={edits[spec.key]}
                error={errors[spec.key] ?? (rejected?.field === spec.key ? rejected.message : undefined)}
                defaultBackend={defaultBackend}
                onEdit={onEdit}
              />
            ))}
          </fieldset>
        ))}
      </div>
      <div className="panel model-train-panel">
        <TrainButton showFieldErrors={false} />
        {edited > 0 && (
          <button type="button" className="button" onClick={() => store().configEditsCleared()}>
            Reset all to {preset} preset
          </button>
        )}
      </div>
    </section>
  );
}
