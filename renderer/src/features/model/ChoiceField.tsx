// A setting with a few named options (base model, method) as a radio group: each option with its one-line
// explanation, the field's validation under it, and a reset to the preset's value.
import { useId } from 'react';
import type { TrainConfigKey } from '../../../../common/config';
import type { FieldSpec } from './configFields';

export interface Choice {
  value: string;
  label: string;
  text: string;
  /** Short facts after the label, e.g. "260K parameters". */
  facts?: string;
}

export interface ChoiceFieldProps {
  spec: FieldSpec;
  choices: readonly Choice[];
  presetValue: string;
  edit: string | undefined;
  error: string | undefined;
  onEdit(key: TrainConfigKey, raw: string | undefined): void;
}

export function ChoiceField({ spec, choices, presetValue, edit, error, onEdit }: ChoiceFieldProps) {
  const name = useId();
  const errorId = useId();
  const helpId = useId();
  const value = edit ?? presetValue;
  const changed = edit !== undefined;
  return (
    <fieldset
      className={`config-field choice-field${changed ? ' is-changed' : ''}${error ? ' is-invalid' : ''}`}
      data-field={spec.key}
      aria-describedby={error ? `${errorId} ${helpId}` : helpId}
    >
      <legend className="choice-legend">
        {spec.label}
        {changed && <span className="changed-dot" title="Changed from the preset" aria-hidden="true" />}
      </legend>
      {changed && (
        <button
          type="button"
          className="link-button reset-field choice-reset"
          onClick={() => onEdit(spec.key, undefined)}
          aria-label={`Reset ${spec.label} to the preset value ${presetValue}`}
        >
          reset
        </button>
      )}
      <p className="field-help muted" id={helpId}>
        {spec.help}
      </p>
      <div className="choice-options">
        {choices.map((choice) => (
          <label key={choice.value} className={`choice-option${choice.value === value ? ' is-selected' : ''}`}>
            <input
              type="radio"
              name={name}
              value={choice.value}
              checked={choice.value === value}
              aria-labelledby={`${name}-${choice.value}-label`}
              aria-describedby={`${name}-${choice.value}-text`}
              onChange={() => onEdit(spec.key, choice.value === presetValue ? undefined : choice.value)}
            />
            <span className="choice-label" id={`${name}-${choice.value}-label`}>
              {choice.label}
              {choice.facts && <span className="muted choice-facts"> · {choice.facts}</span>}
            </span>
            <span className="choice-text muted" id={`${name}-${choice.value}-text`}>{choice.text}</span>
          </label>
        ))}
      </div>
      {error && (
        <p className="field-error" id={errorId} role="alert">
          {error}
        </p>
      )}
    </fieldset>
  );
}
