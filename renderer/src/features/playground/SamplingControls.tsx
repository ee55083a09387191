// Temperature, top-k, top-p, max tokens, seed and stop sequences, each labelled with a one-line explanation and its
// validation (the contract's schema, lib/sampling.ts).
import { useId } from 'react';
import { SAMPLING_FIELDS, SAMPLING_HELP, type SamplingDraft, type SamplingErrors } from '../../lib/sampling';

function SamplingInput({ field, value, error, onChange }: { field: (typeof SAMPLING_FIELDS)[number]; value: string; error?: string; onChange(v: string): void }) {
  const id = useId();
  const { label, help } = SAMPLING_HELP[field];
  return (
    <div className={`config-field${error ? ' is-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <div className="config-field-input">
        <input
          id={id}
          type="text"
          inputMode="decimal"
          autoComplete="off"
          spellCheck={false}
          value={value}
          aria-invalid={error ? true : undefined}
          aria-describedby={`${id}-help${error ? ` ${id}-error` : ''}`}
          onChange={(e) => onChange(e.currentTarget.value)}
        />
      </div>
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
      <p className="field-help muted" id={`${id}-help`}>
        {help}
      </p>
    </div>
  );
}

export function SamplingControls({ draft, errors, onChange }: { draft: SamplingDraft; errors: SamplingErrors; onChange(draft: SamplingDraft): void }) {
  const stopId = useId();
  return (
    <fieldset className="sampling-controls">
      <legend className="panel-title">Sampling</legend>
      <div className="sampling-grid">
        {SAMPLING_FIELDS.map((field) => (
          <SamplingInput key={field} field={field} value={draft[field]} error={errors[field]} onChange={(v) => onChange({ ...draft, [field]: v })} />
        ))}
        <div className={`config-field${errors.stop ? ' is-invalid' : ''}`}>
          <label htmlFor={stopId}>{SAMPLING_HELP.stop.label}</label>
          <textarea
            id={stopId}
            rows={2}
            value={draft.stop}
            spellCheck={false}
            aria-describedby={`${stopId}-help`}
            aria-invalid={errors.stop ? true : undefined}
            onChange={(e) => onChange({ ...draft, stop: e.currentTarget.value })}
          />
          {errors.stop && <p className="field-error">{errors.stop}</p>}
          <p className="field-help muted" id={`${stopId}-help`}>
            {SAMPLING_HELP.stop.help}
          </p>
        </div>
      </div>
    </fieldset>
  );
}
