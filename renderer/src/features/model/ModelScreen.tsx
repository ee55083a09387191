// Model: the one-click few-shot fine-tune first; then a preset and every training setting grouped, explained and
// validated as typed (the zod schema main uses, plus whether the base model suits the dataset). Train starts a run
// with the preset and the changed settings; main's refusal shows beside its field.
import { useMemo } from 'react';
import type { TrainConfig, TrainConfigKey } from '../../../../common/config';
import { baseChoices, METHOD_HELP, METHODS } from '../../lib/baseModels';
import { presetConfig } from '../../lib/configDraft';
import { fewShotChoice } from '../../lib/fewShotPreview';
import { settingApplies } from '../../lib/settingRelevance';
import { formatBytes, formatCount } from '../../lib/format';
import { showScreen } from '../../store/actions';
import { selectDraft, selectPresetChoice } from '../../store/draft';
import { selectCurrentDataset, useWorkbenchStore } from '../../store/store';
import { ScreenHeader } from '../app/ScreenHeader';
import { ChoiceField, type Choice } from './ChoiceField';
import { ConfigField } from './ConfigField';
import { FIELD_GROUPS } from './configFields';
import { EstimatePanel } from './EstimatePanel';
import { FineTuneButton } from './FineTuneButton';
import { PresetPicker } from './PresetPicker';
import { TrainButton } from './TrainButton';

const store = () => useWorkbenchStore.getState();
const onEdit = (key: TrainConfigKey, raw: string | undefined) => store().configEdited(key, raw);

const METHOD_CHOICES: Choice[] = METHODS.map((m) => ({ value: m, label: METHOD_HELP[m].label, text: METHOD_HELP[m].text }));

export function ModelScreen() {
  const dataset = useWorkbenchStore(selectCurrentDataset);
  const preset = useWorkbenchStore((s) => s.model.preset);
  const edits = useWorkbenchStore((s) => s.model.edits);
  const rejected = useWorkbenchStore((s) => s.model.rejected);
  const defaultBackend = useWorkbenchStore((s) => s.settings.defaultBackend);
  const models = useWorkbenchStore((s) => s.catalog.models);
  const catalogError = useWorkbenchStore((s) => s.catalog.error);
  const chosen = useWorkbenchStore(selectPresetChoice);
  const fewShot = useMemo(() => fewShotChoice(dataset), [dataset]);
  const base = useMemo(() => presetConfig(preset, chosen), [preset, chosen]);
  const { errors } = useWorkbenchStore(selectDraft);
  // the base and method as chosen (even while some other field is invalid)
  const shape = { base: (edits.base ?? base.base) as TrainConfig['base'], method: (edits.method ?? base.method) as TrainConfig['method'] };
  const edited = Object.keys(edits).length;
  const baseOptions: Choice[] = useMemo(
    () =>
      baseChoices(models).map((m) => ({
        value: m.id,
        label: m.name,
        text: m.description,
        facts: m.kind === 'scratch' ? 'any task' : [m.family ?? m.kind, m.tasks.join(', '), m.parameters ? `${formatCount(m.parameters)} parameters` : '', m.bytes ? `${formatBytes(m.bytes)} on disk` : ''].filter(Boolean).join(' · '),
      })),
    [models],
  );

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
      <section className="panel fine-tune-panel" aria-labelledby="fine-tune-heading">
        <h2 className="panel-title" id="fine-tune-heading">
          One-click fine-tune
        </h2>
        <p className="muted">
          Picks a pretrained base and settings for the dataset — the GloVe encoder with SetFit for labelled text, stories260K
          for text to continue — and starts training. Choose the Few-shot preset below to adjust what it picks.
        </p>
        <FineTuneButton dataset={dataset} />
      </section>
      <div className="panel">
        <PresetPicker value={preset} fewShotChoice={fewShot} models={models} onChange={(p) => store().presetChosen(p)} />
      </div>
      <div className="config-groups">
        {FIELD_GROUPS.map((group) => (
          <fieldset key={group.title} className={`panel config-group${group.fields.some((f) => f.kind === 'choice') ? ' config-group-wide' : ''}`}>
            <legend className="panel-title">{group.title}</legend>
            {group.fields.map((spec) => {
              const error = errors[spec.key] ?? (rejected?.field === spec.key ? rejected.message : undefined);
              return spec.kind === 'choice' ? (
                <ChoiceField
                  key={spec.key}
                  spec={spec}
                  choices={spec.key === 'base' ? baseOptions : METHOD_CHOICES}
                  presetValue={String(base[spec.key])}
                  edit={edits[spec.key]}
                  error={error}
                  onEdit={onEdit}
                />
              ) : (
                <ConfigField
                  key={spec.key}
                  spec={spec}
                  presetValue={base[spec.key]}
                  edit={edits[spec.key]}
                  error={error}
                  defaultBackend={defaultBackend}
                  onEdit={onEdit}
                  inactive={!settingApplies(spec.key, shape)}
                />
              );
            })}
            {group.title === 'Starting point' && catalogError && (
              <p className="muted field-help">Built-in model details are unavailable ({catalogError}); the choices still work.</p>
            )}
          </fieldset>
        ))}
      </div>
      <EstimatePanel />
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
