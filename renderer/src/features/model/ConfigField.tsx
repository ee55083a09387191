// One config field: label, input (as typed), unit, a one-line explanation, and its validation or main's error.
// A changed field says so and can go back to the preset's value.
import { useId } from 'react';
import type { TrainConfigKey } from '../../../../common/config';
import { BACKEND_CHOICES, enumChoices, type BackendChoice } from '../../lib/configDraft';
import type { FieldSpec } from './configFields';

export interface ConfigFieldProps {
  spec: FieldSpec;
  /** The preset's value for this field. */
  presetValue: number | string;
  /** What the user typed, or undefined when the field follows the preset. */
  edit: string | undefined;
  error: string | undefined;
  /** The Settings default backend, for the backend field's "default" choice. */
  defaultBackend: BackendChoice;
  onEdit(key: TrainConfigKey, raw: string | undefined): void;
  /** The setting does nothing with the chosen base and method (lib/settingRelevance.ts): shown dimmed, with why. */
  inactive?: boolean;
}

export function ConfigField({ spec, presetValue, edit, error, defaultBackend, onEdit, inactive = false }: ConfigFieldProps) {
  const inputId = useId();
  const helpId = useId();
  const errorId = useId();
  const changed = edit !== undefined;
  const describedBy = error ? `${errorId} ${helpId}` : helpId;
  const words = spec.key === 'backend' ? null : enumChoices(spec.key); // e.g. schedule: cosine | linear | constant

  return (
    <div className={`config-field${changed ? ' is-changed' : ''}${error ? ' is-invalid' : ''}${inactive ? ' is-inactive' : ''}`} data-field={spec.key}>
      <div className="config-field-head">
        <label htmlFor={inputId}>{spec.label}</label>
        {changed && <span className="changed-dot" title="Changed from the preset" aria-hidden="true" />}
        {changed && (
          <button
            type="button"
            className="link-button reset-field"
            onClick={() => onEdit(spec.key, undefined)}
            aria-label={`Reset ${spec.label} to the preset value ${presetValue}`}
          >
            reset
          </button>
        )}
      </div>
      <div className="config-field-input">
        {spec.key === 'backend' ? (
          <select
            id={inputId}
            value={edit ?? ''}
            aria-describedby={describedBy}
            onChange={(e) => onEdit(spec.key, e.currentTarget.value === '' ? undefined : e.currentTarget.value)}
          >
            <option value="">Settings default ({defaultBackend})</option>
            {BACKEND_CHOICES.map((b) => (
              <option key={b} value={b}>
                {b}
              </option>
            ))}
          </select>
        ) : words ? (
          <select
            id={inputId}
            value={edit ?? String(presetValue)}
            aria-describedby={describedBy}
            onChange={(e) => onEdit(spec.key, e.currentTarget.value === String(presetValue) ? undefined : e.currentTarget.value)}
          >
            {words.map((w) => (
              <option key={w} value={w}>
                {w}
              </option>
            ))}
          </select>
        ) : (
          <input
            id={inputId}
            type="text"
            inputMode="decimal"
            autoComplete="off"
            spellCheck={false}
            value={edit ?? String(presetValue)}
            aria-invalid={error ? true : undefined}
            aria-describedby={describedBy}
            onChange={(e) => onEdit(spec.key, e.currentTarget.value)}
          />
        )}
        {spec.unit && <span className="unit muted">{spec.unit}</span>}
      </div>
      {error && (
        <p className="field-error" id={errorId} role="alert">
          {error}
        </p>
      )}
      <p className="field-help muted" id={helpId}>
        {spec.help}
        {inactive && <span className="inactive-note"> Not used with the chosen base model and method.</span>}
        {changed && spec.key !== 'backend' && <span className="preset-value"> Preset: {String(presetValue)}.</span>}
      </p>
    </div>
  );
}
