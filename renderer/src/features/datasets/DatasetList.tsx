// Every imported dataset, newest first; choosing one makes it the dataset the Model screen trains on.
import { formatCount } from '../../lib/format';
import { selectDataset } from '../../store/actions';
import { useWorkbenchStore } from '../../store/store';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function DatasetList() {
  const list = useWorkbenchStore((s) => s.datasets.list);
  const currentId = useWorkbenchStore((s) => s.datasets.currentId);
  return (
    <section className="panel dataset-list-panel" aria-labelledby="dataset-list-heading">
      <h2 id="dataset-list-heading" className="panel-title">
        Imported datasets {list.length > 0 && <span className="count">{list.length}</span>}
      </h2>
      {list.length === 0 ? (
        <p className="muted empty-note" data-testid="datasets-empty">
          No datasets yet. Drop a .txt, .csv, .tsv or .jsonl file anywhere in this window, or use “Choose file…”.
        </p>
      ) : (
        <ul className="dataset-list" data-testid="dataset-list">
          {list.map((d) => (
            <li key={d.id}>
              <button
                type="button"
                className="dataset-item"
                aria-current={d.id === currentId ? 'true' : undefined}
                onClick={() => selectDataset(d.id)}
              >
                <span className="dataset-item-name">{d.name}</span>
                <span className="dataset-item-facts muted">
                  {formatCount(d.rows)} rows · <span className={`badge badge-${d.task}`}>{d.task}</span>
                </span>
                <span className="dataset-item-date muted">{dateFormat.format(new Date(d.createdAt))}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
