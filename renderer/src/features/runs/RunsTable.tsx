// Every run, newest first: what it trained on, how it went and how long it took. Tick runs to compare them; open
// one in Training; delete a finished one (after a confirmation).
import type { RunSummary } from '../../../../common/domain';
import { formatCount, formatDuration, formatLoss } from '../../lib/format';
import { LOSS, VAL_ACCURACY, VAL_LOSS } from '../../lib/metricNames';
import { continueRun, openRun, toggleCompared } from '../../store/actions';
import { isRunActive } from '../../store/runsSlice';
import { useWorkbenchStore } from '../../store/store';

const dayFormat = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const fullDate = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'medium' });

/** A stopped run from scratch or a Llama fine-tune (not few-shot) can train on from its checkpoint (main checks that one exists). */
const canContinue = (run: RunSummary) =>
  ['interrupted', 'failed', 'cancelled'].includes(run.status) && run.config.base !== 'glove-6b-100d' && run.lastStep > 0 && run.lastStep < run.config.steps;

export function RunsTable({ onDelete }: { onDelete(run: RunSummary): void }) {
  const runs = useWorkbenchStore((s) => s.runs.list);
  const selected = useWorkbenchStore((s) => s.comparison.selected);
  const currentId = useWorkbenchStore((s) => s.runs.currentId);

  return (
    <div className="table-scroll">
      <table className="runs-table" data-testid="runs-table">
        <caption className="visually-hidden">Training runs, newest first</caption>
        <thead>
          <tr>
            <th scope="col" className="col-select">
              <span className="visually-hidden">Compare</span>
            </th>
            <th scope="col">Dataset</th>
            <th scope="col">Model</th>
            <th scope="col">Status</th>
            <th scope="col">Backend</th>
            <th scope="col" className="num">Steps</th>
            <th scope="col" className="num">Loss</th>
            <th scope="col" className="num" title="Validation accuracy for classifiers, validation loss otherwise">
              Val
            </th>
            <th scope="col" className="num">Duration</th>
            <th scope="col">Created</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => {
            const ticked = selected.includes(run.id);
            const active = isRunActive(run);
            return (
              <tr
                key={run.id}
                data-testid="run-row"
                data-run-id={run.id}
                className={`${ticked ? 'is-selected' : ''}${run.id === currentId ? ' is-current' : ''}`}
              >
                <td className="col-select">
                  <input
                    type="checkbox"
                    checked={ticked}
                    aria-label={`Compare run ${run.id} (${run.datasetName})`}
                    onChange={() => void toggleCompared(run.id)}
                  />
                </td>
                <th scope="row" className="run-dataset">
                  {run.datasetName}
                  <span className="muted run-id">{run.id}</span>
                </th>
                <td>
                  {run.config.base === 'scratch' ? 'from scratch' : run.config.base}
                  <span className="muted run-id">
                    {run.config.method} · {run.preset}
                  </span>
                </td>
                <td>
                  <span className={`status status-${run.status}`}>{run.status}</span>
                </td>
                <td>{run.backend ?? '—'}</td>
                <td className="num mono">
                  {formatCount(run.lastStep)}
                  <span className="muted"> / {formatCount(run.config.steps)}</span>
                </td>
                <td className="num mono">{formatLoss(run.metrics[LOSS])}</td>
                <td className="num mono">
                  {run.metrics[VAL_ACCURACY] !== undefined ? `${(run.metrics[VAL_ACCURACY] * 100).toFixed(1)}%` : formatLoss(run.metrics[VAL_LOSS])}
                </td>
                <td className="num">{run.durationMs === null ? '—' : formatDuration(run.durationMs)}</td>
                <td className="nowrap">
                  <time dateTime={run.createdAt} title={fullDate.format(new Date(run.createdAt))}>
                    {dayFormat.format(new Date(run.createdAt))}
                    <span className="muted created-time">{timeFormat.format(new Date(run.createdAt))}</span>
                  </time>
                </td>
                <td className="row-actions">
                  <button type="button" className="button button-small" aria-label={`Open run ${run.id} in Training`} onClick={() => void openRun(run.id)}>
                    Open
                  </button>
                  {canContinue(run) && (
                    <button
                      type="button"
                      className="button button-small"
                      aria-label={`Continue run ${run.id} from its last checkpoint`}
                      title={`Train on from step ${run.lastStep}'s checkpoint, on the same curve`}
                      onClick={() => void continueRun(run.id)}
                    >
                      Continue
                    </button>
                  )}
                  <button
                    type="button"
                    className="button button-small button-danger"
                    aria-label={`Delete run ${run.id}`}
                    disabled={active}
                    title={active ? 'Cancel the run on the Training screen before deleting it.' : undefined}
                    onClick={() => onDelete(run)}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
