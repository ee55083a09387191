// The review of a dropped file before it is imported: what was detected, the column mapping, the first rows, the
// statistics, preprocessing with its before/after preview, the split, and Import (with progress and Cancel).
import { DATASET_TASKS, TASK_ROLES, type DatasetTask, type MappingRole } from '../../../../common/datasetTypes';
import {
  cancelReviewedImport,
  discardReview,
  importReviewed,
  setReviewMapping,
  setReviewRecipe,
  setReviewSplit,
  setReviewTask,
} from '../../store/actions';
import { useWorkbenchStore } from '../../store/store';
import { formatBytes, percent } from '../../lib/format';

const cell = (value: unknown): string => {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
};

export function ImportReviewPanel() {
  const review = useWorkbenchStore((s) => s.datasets.review);
  const importing = useWorkbenchStore((s) => s.datasets.importing);
  if (!review) return null;
  const info = review.inspect;
  const task: DatasetTask = review.task === 'auto' ? (info?.task ?? 'generate') : review.task;
  const roles: MappingRole[] = [...TASK_ROLES[task].required, ...TASK_ROLES[task].optional];
  const mapping = info?.mapping ?? {};
  const roleOf = new Map<string, MappingRole[]>();
  for (const role of roles) {
    const column = mapping[role];
    if (column) roleOf.set(column, [...(roleOf.get(column) ?? []), role]);
  }
  const fields = info?.fields ?? [];
  const stats = info?.stats;
  const maxLabel = Math.max(1, ...(stats?.labelCounts.map((l) => l.count) ?? [1]));
  const maxBin = Math.max(1, ...(stats?.histogram.map((b) => b.count) ?? [1]));
  const recipe = review.recipe;
  const split = review.split;
  const splitSum = split.train + split.validation + split.test;
  const splitBad = Math.abs(splitSum - 1) > 1e-6 || split.train <= 0;
  const running = !!importing && !!review.importId;
  const number = (v: string): number | null => (v.trim() === '' || Number.isNaN(Number(v)) ? null : Number(v));

  return (
    <section className="panel import-review" aria-labelledby="import-review-heading" data-testid="import-review">
      <h2 id="import-review-heading" className="panel-title">
        Review {review.fileName}
      </h2>
      {info && (
        <p className="muted" data-testid="import-detected">
          Format <strong>{info.format}</strong>
          {info.delimiter && <> (delimiter <code>{info.delimiter === '\t' ? 'tab' : info.delimiter}</code>)</>}
          {info.header !== null && <>, {info.header ? 'with' : 'without'} header</>}
          {info.txtMode && <>, {info.txtMode}</>} · encoding <strong>{info.encoding}</strong> · task{' '}
          <strong data-testid="import-task">{info.task}</strong> · <span data-testid="import-rows">{info.rows}</span> rows ·{' '}
          {formatBytes(info.bytes)}
        </p>
      )}

      <fieldset className="review-mapping" disabled={running}>
        <legend>Columns</legend>
        <label>
          Task{' '}
          <select aria-label="Task" value={review.task} onChange={(e) => setReviewTask(e.currentTarget.value as DatasetTask | 'auto')}>
            <option value="auto">auto ({info?.detected.task ?? '…'})</option>
            {DATASET_TASKS.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        {roles.map((role) => (
          <label key={role}>
            {role}
            {TASK_ROLES[task].optional.includes(role) ? ' (optional)' : ''}{' '}
            <select aria-label={`Column for ${role}`} value={mapping[role] ?? ''} onChange={(e) => setReviewMapping(role, e.currentTarget.value)}>
              <option value="">—</option>
              {fields.map((f) => (
                <option key={f} value={f}>
                  {f}
                </option>
              ))}
            </select>
          </label>
        ))}
      </fieldset>

      {info && (
        <div className="review-table-wrap">
          <table className="review-table" data-testid="dataset-preview">
            <thead>
              <tr>
                {fields.map((f) => (
                  <th key={f} data-column={f} className={roleOf.has(f) ? 'is-mapped' : undefined} scope="col">
                    {f}
                    {roleOf.has(f) && <span className="role-badge"> ({roleOf.get(f)!.join(', ')})</span>}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {info.preview.slice(0, 8).map((row) => (
                <tr key={row.line}>
                  {fields.map((f) => (
                    <td key={f} className={roleOf.has(f) ? 'is-mapped' : undefined}>
                      {cell(row.fields[f])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {stats && (
        <div className="review-stats" data-testid="import-stats">
          <p className="muted">
            {stats.rows} rows · {stats.tokenizer} length min {stats.tokens.min}, median {stats.tokens.p50}, max {stats.tokens.max} ·{' '}
            {stats.emptyRows} empty · {stats.exactDuplicates} duplicates
          </p>
          {stats.labelCounts.length > 0 && (
            <div className="bars" aria-label="Label distribution">
              {stats.labelCounts.slice(0, 20).map((l) => (
                <div className="bar-row" key={l.label}>
                  <span className="bar-label">{l.label}</span>
                  <span className="bar" style={{ width: `${(100 * l.count) / maxLabel}%` }} />
                  <span className="bar-value">{l.count}</span>
                </div>
              ))}
            </div>
          )}
          {stats.histogram.length > 0 && (
            <div className="histogram" aria-label="Length histogram">
              {stats.histogram.map((b) => (
                <span key={b.from} className="histogram-bin" title={`${b.from}–${b.to}: ${b.count}`} style={{ height: `${Math.max(2, (100 * b.count) / maxBin)}%` }} />
              ))}
            </div>
          )}
        </div>
      )}

      <fieldset className="review-recipe" disabled={running}>
        <legend>Preprocessing</legend>
        <label>
          <input type="checkbox" checked={!!recipe.lowercase} onChange={(e) => setReviewRecipe({ lowercase: e.currentTarget.checked })} /> Lowercase
        </label>
        <label>
          <input type="checkbox" checked={!!recipe.removeStopwords} onChange={(e) => setReviewRecipe({ removeStopwords: e.currentTarget.checked })} /> Remove
          stop-words
        </label>
        <label>
          <input type="checkbox" checked={!!recipe.normalizeWhitespace} onChange={(e) => setReviewRecipe({ normalizeWhitespace: e.currentTarget.checked })} />{' '}
          Normalize whitespace
        </label>
        <label>
          <input type="checkbox" checked={!!recipe.dedupe && recipe.dedupe !== 'none'} onChange={(e) => setReviewRecipe({ dedupe: e.currentTarget.checked ? 'exact' : 'none' })} />{' '}
          Remove duplicates
        </label>
        <label>
          Min length <input type="number" min={0} className="small-input" value={recipe.minLength ?? ''} onChange={(e) => setReviewRecipe({ minLength: number(e.currentTarget.value) })} />
        </label>
        <label>
          Max length <input type="number" min={1} className="small-input" value={recipe.maxLength ?? ''} onChange={(e) => setReviewRecipe({ maxLength: number(e.currentTarget.value) })} />
        </label>
      </fieldset>
      {review.recipePreview && (
        <div className="review-table-wrap">
          <p className="muted">
            {review.recipePreview.rowsBefore} rows before, {review.recipePreview.rowsAfter} after
          </p>
          <table className="review-table" data-testid="recipe-preview">
            <thead>
              <tr>
                <th scope="col">Before</th>
                <th scope="col">After</th>
              </tr>
            </thead>
            <tbody>
              {review.recipePreview.preview.slice(0, 6).map((row) => (
                <tr key={row.line}>
                  <td>{cell(row.before)}</td>
                  <td data-testid="recipe-after">{row.after === null ? <em>removed ({row.removedBy})</em> : cell(row.after)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <fieldset className="review-split" disabled={running}>
        <legend>Split</legend>
        {(['train', 'validation', 'test'] as const).map((part) => (
          <label key={part}>
            {part}{' '}
            <input
              type="number"
              className="small-input"
              min={0}
              max={1}
              step={0.05}
              aria-label={`${part} fraction`}
              value={split[part]}
              onChange={(e) => setReviewSplit({ ...split, [part]: number(e.currentTarget.value) ?? 0 }, review.seed)}
            />
          </label>
        ))}
        <label>
          Seed{' '}
          <input
            type="number"
            className="small-input"
            min={0}
            aria-label="Seed"
            placeholder="from file"
            value={review.seed ?? ''}
            onChange={(e) => setReviewSplit(split, number(e.currentTarget.value))}
          />
        </label>
      </fieldset>
      {splitBad && (
        <p className="error-text" role="alert">
          The split fractions must add up to 1, with some rows for training.
        </p>
      )}
      {review.error && (
        <p className="error-text" role="alert" data-testid="review-error">
          {review.error}
        </p>
      )}

      <div className="review-actions">
        <button type="button" className="button primary" data-testid="import-dataset" disabled={!!importing || splitBad || !info} onClick={() => void importReviewed()}>
          Import
        </button>
        <button type="button" className="button" disabled={!!importing} onClick={() => discardReview()}>
          Discard
        </button>
        {running && importing && (
          <>
            <progress
              max={100}
              value={importing.phase === 'writing' ? undefined : (percent(importing.bytesRead, importing.totalBytes) ?? undefined)}
              aria-label={`Import progress of ${importing.fileName}`}
            />
            <button type="button" className="button" data-testid="cancel-import" onClick={() => void cancelReviewedImport()}>
              Cancel
            </button>
          </>
        )}
      </div>
    </section>
  );
}
