// A labelled select of runs (those a screen can use), named by dataset, preset, task and id.
import { useId } from 'react';
import type { RunSummary } from '../../../../common/domain';
import { runLabel } from '../../lib/runChoice';

export function RunPicker({ runs, value, onChange, label = 'Run' }: { runs: readonly RunSummary[]; value: string | null; onChange(id: string): void; label?: string }) {
  const id = useId();
  return (
    <div className="field picker-field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value ?? ''} onChange={(e) => onChange(e.currentTarget.value)} disabled={runs.length === 0}>
        {runs.map((run) => (
          <option key={run.id} value={run.id}>
            {runLabel(run)}
          </option>
        ))}
      </select>
    </div>
  );
}
