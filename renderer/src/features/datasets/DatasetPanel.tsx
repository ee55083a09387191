// Left column: bring a dataset in, pick among imported ones, and see the chosen one's summary.
import { useId } from 'react';
import { selectDataset } from '../../store/actions';
import { selectCurrentDataset, useWorkbenchStore } from '../../store/store';
import { formatCount } from '../../lib/format';
import { DatasetSummaryCard } from './DatasetSummaryCard';
import { DropZone } from './DropZone';

export function DatasetPanel() {
  const dataset = useWorkbenchStore(selectCurrentDataset);
  const list = useWorkbenchStore((s) => s.datasets.list);
  const pickerId = useId();
  return (
    <section className="panel" aria-labelledby="dataset-heading">
      <h2 id="dataset-heading" className="panel-title">
        Dataset
      </h2>
      <DropZone />
      {list.length > 1 && (
        <div className="field">
          <label htmlFor={pickerId}>Imported datasets</label>
          <select id={pickerId} value={dataset?.id ?? ''} onChange={(e) => selectDataset(e.currentTarget.value)}>
            {list.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name} — {formatCount(d.rows)} rows, {d.task}
              </option>
            ))}
          </select>
        </div>
      )}
      {dataset ? (
        <DatasetSummaryCard dataset={dataset} />
      ) : (
        <p className="muted empty-note">No dataset yet. Import one to train on it.</p>
      )}
    </section>
  );
}
