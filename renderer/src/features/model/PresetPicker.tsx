// The presets of common/config.ts as a radio group of cards, each with what it is for and its key numbers. Few-shot
// comes first; its numbers are what it would choose for the selected dataset.
import { PRESET_NAMES, type PresetName, type TrainConfig } from '../../../../common/config';
import type { ModelInfo } from '../../../../common/evaluation';
import { modelName } from '../../lib/baseModels';
import { presetConfig } from '../../lib/configDraft';
import { formatCount } from '../../lib/format';
import { PRESET_DESCRIPTIONS } from './configFields';

const ORDER: readonly PresetName[] = ['few-shot', ...PRESET_NAMES.filter((n) => n !== 'few-shot')];

function facts(config: TrainConfig, models: readonly ModelInfo[] | null): string {
  const shape = config.base === 'scratch' ? `${config.nLayer} layers × ${config.dModel} wide` : `${modelName(config.base, models)} · ${config.method}`;
  return `${shape} · ${formatCount(config.steps)} steps · batch ${config.batchSize}`;
}

export interface PresetPickerProps {
  value: PresetName;
  /** What few-shot would choose for the selected dataset. */
  fewShotChoice: Partial<TrainConfig>;
  models: readonly ModelInfo[] | null;
  onChange(preset: PresetName): void;
}

export function PresetPicker({ value, fewShotChoice, models, onChange }: PresetPickerProps) {
  return (
    <fieldset className="preset-picker">
      <legend className="panel-title">Preset</legend>
      <div className="preset-cards">
        {ORDER.map((name) => {
          const config = presetConfig(name, name === 'few-shot' ? fewShotChoice : {});
          const about = PRESET_DESCRIPTIONS[name];
          const id = `preset-${name}`;
          return (
            <label key={name} className={`preset-card${name === value ? ' is-selected' : ''}`}>
              <input
                type="radio"
                name="preset"
                value={name}
                checked={name === value}
                aria-labelledby={`${id}-title`}
                aria-describedby={`${id}-text ${id}-facts`}
                onChange={() => onChange(name)}
              />
              <span className="preset-card-title" id={`${id}-title`}>
                {about.title}
              </span>
              <span className="preset-card-text muted" id={`${id}-text`}>
                {about.text}
              </span>
              <span className="preset-card-facts" id={`${id}-facts`}>
                {facts(config, models)}
              </span>
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}
