// The imported dataset at a glance: name, rows, task, labels and the train/validation/test split.
import type { DatasetSummary } from '../../../../common/domain';
import { formatBytes, formatCount } from '../../lib/format';

const MAX_LABELS_SHOWN = 12;

export function DatasetSummaryCard({ dataset }: { dataset: DatasetSummary }) {
  const { splits, labels } = dataset;
  const shown = labels.slice(0, MAX_LABELS_SHOWN);
  return (
    <article className="dataset-summary" data-testid="dataset-summary" aria-label={`Dataset ${dataset.name}`}>
      <header className="dataset-summary-header">
        <h3 className="dataset-name" data-testid="dataset-name">
          {dataset.name}
        </h3>
        <span className={`badge badge-${dataset.task}`} data-testid="dataset-task">
          {dataset.task}
        </span>
      </header>
      <dl className="facts">
        <div>
          <dt>Rows</dt>
          <dd data-testid="dataset-rows">{formatCount(dataset.rows)}</dd>
        </div>
        <div>
          <dt>Splits</dt>
          <dd data-testid="dataset-splits">
            {formatCount(splits.train)} train · {formatCount(splits.validation)} validation · {formatCount(splits.test)}{' '}
            test
          </dd>
        </div>
        <div>
          <dt>Source</dt>
          <dd>
            {dataset.sourceName} · {dataset.format} · {formatBytes(dataset.bytes)}
          </dd>
        </div>
        <div>
          <dt>Columns</dt>
          <dd>
            text: <code>{dataset.columns.text}</code>
            {dataset.columns.label && (
              <>
                {' '}
                · label: <code>{dataset.columns.label}</code>
              </>
            )}
          </dd>
        </div>
        <div>
          <dt>Labels</dt>
          <dd data-testid="dataset-labels">
            {labels.length === 0 ? (
              <span className="muted">none (next-token prediction)</span>
            ) : (
              <ul className="chips" aria-label={`${labels.length} labels`}>
                {shown.map((label) => (
                  <li key={label} className="chip">
                    {label}
                  </li>
                ))}
                {labels.length > shown.length && <li className="chip chip-more">+{labels.length - shown.length} more</li>}
              </ul>
            )}
          </dd>
        </div>
      </dl>
    </article>
  );
}
