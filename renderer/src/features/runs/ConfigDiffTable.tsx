// The compared runs' settings side by side; rows where they differ are highlighted (and say so to screen readers).
import { useId, useMemo, useState } from 'react';
import type { RunSummary } from '../../../../common/domain';
import { diffConfigs } from './configDiff';

export function ConfigDiffTable({ runs }: { runs: RunSummary[] }) {
  const rows = useMemo(() => diffConfigs(runs), [runs]);
  const [onlyDifferent, setOnlyDifferent] = useState(false);
  const toggleId = useId();
  const differing = rows.filter((r) => r.differs).length;
  const shown = onlyDifferent ? rows.filter((r) => r.differs) : rows;

  return (
    <section className="panel config-diff" aria-labelledby="config-diff-heading">
      <div className="panel-heading">
        <h2 id="config-diff-heading" className="panel-title">
          Settings
        </h2>
        <span className="muted" data-testid="config-diff-summary">
          {differing === 0 ? 'identical settings' : `${differing} setting${differing === 1 ? '' : 's'} differ`}
        </span>
        <label className="inline-check" htmlFor={toggleId}>
          <input id={toggleId} type="checkbox" checked={onlyDifferent} onChange={(e) => setOnlyDifferent(e.currentTarget.checked)} />
          Only differences
        </label>
      </div>
      <div className="table-scroll">
        <table className="diff-table" data-testid="config-diff">
          <thead>
            <tr>
              <th scope="col">Setting</th>
              {runs.map((run, i) => (
                <th scope="col" key={run.id}>
                  <span className="series-swatch" style={{ ['--swatch' as string]: `var(--chart-series-${i % 8})` }} aria-hidden="true" />
                  {run.id}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((row) => (
              <tr key={row.key} className={row.differs ? 'is-different' : undefined} data-differs={row.differs}>
                <th scope="row" className="mono">
                  {row.key}
                  {row.differs && <span className="visually-hidden"> (differs)</span>}
                </th>
                {row.values.map((value, i) => (
                  <td key={runs[i].id} className="mono">
                    {value}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
