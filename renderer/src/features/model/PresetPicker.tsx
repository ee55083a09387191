// The presets of common/config.ts as a radio group of cards, each with what it is for and its key numbers.
import { PRESET_NAMES, type PresetName } from '../../../../common/config';
import { presetConfig } from '../../lib/configDraft';
import { formatCount } from '../../lib/format';
import { PRESET_DESCRIPTIONS } from './configFields';

export function PresetPicker({ value, onChange }: { value: PresetName; onChange(preset: PresetName): void }) {
  return (
    <fieldset className="preset-picker">
      <legend className="panel-title">Preset</legend>
      <div className="preset-cards">
        {PRESET_NAMES.map((name) => {
          const config = presetConfig(name);
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
                {config.nLayer} layers × {config.dModel} wide · {formatCount(config.steps)} steps · batch {config.batchSize}
              </span>
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}
