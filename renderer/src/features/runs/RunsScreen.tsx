// Runs: the history table; ticked runs are overlaid on one chart and their settings compared side by side.
import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { RunSummary } from '../../../../common/domain';
import { showScreen } from '../../store/actions';
import { useWorkbenchStore } from '../../store/store';
import { ScreenHeader } from '../app/ScreenHeader';
import { CompareChart } from './CompareChart';
import { ConfigDiffTable } from './ConfigDiffTable';
import { DeleteRunDialog } from './DeleteRunDialog';
import { RunsTable } from './RunsTable';

export function RunsScreen() {
  const count = useWorkbenchStore((s) => s.runs.list.length);
  const compared = useWorkbenchStore(
    useShallow((s) => s.comparison.selected.map((id) => s.runs.list.find((r) => r.id === id)).filter((r): r is RunSummary => !!r)),
  );
  const compareError = useWorkbenchStore((s) => s.comparison.error);
  const [deleting, setDeleting] = useState<RunSummary | null>(null);

  return (
    <section className="screen" aria-labelledby="runs-heading" data-testid="runs-screen">
      <ScreenHeader id="runs">
        {count > 0 && <span className="muted">{count} run{count === 1 ? '' : 's'}</span>}
      </ScreenHeader>
      {count === 0 ? (
        <div className="panel empty-panel" data-testid="runs-empty">
          <p className="empty-title">No runs yet</p>
          <p className="muted">Import a dataset and click Train; every run is kept here to compare and reopen.</p>
          <div className="empty-actions">
            <button type="button" className="button" onClick={() => showScreen('datasets')}>
              Go to Datasets
            </button>
          </div>
        </div>
      ) : (
        <>
          <div className="panel runs-panel">
            <RunsTable onDelete={setDeleting} />
            {compared.length < 2 && (
              <p className="muted table-hint">
                {compared.length === 0
                  ? 'Tick two or more runs to overlay their curves and compare their settings.'
                  : 'Tick another run to compare settings.'}
              </p>
            )}
          </div>
          {compareError && (
            <p className="error-text" role="alert">
              {compareError}
            </p>
          )}
          {compared.length > 0 && (
            <div className="compare-layout">
              <CompareChart runs={compared} />
              {compared.length > 1 && <ConfigDiffTable runs={compared} />}
            </div>
          )}
        </>
      )}
      {deleting && <DeleteRunDialog run={deleting} onClose={() => setDeleting(null)} />}
    </section>
  );
}
