// Datasets: import (the whole screen, like the whole window, takes a dropped file), the imported list, and the
// chosen dataset's details with the one-click Fine-tune (few-shot preset) and Train (the Model screen's preset).
// The test id `dataset-dropzone` marks the screen: it holds the import controls, the list and the summary.
import { selectCurrentDataset, useWorkbenchStore } from '../../store/store';
import { ScreenHeader } from '../app/ScreenHeader';
import { FineTuneButton } from '../model/FineTuneButton';
import { TrainButton } from '../model/TrainButton';
import { DatasetList } from './DatasetList';
import { DatasetSummaryCard } from './DatasetSummaryCard';
import { ImportCard } from './ImportCard';
import { ImportReviewPanel } from './ImportReviewPanel';

export function DatasetsScreen() {
  const dataset = useWorkbenchStore(selectCurrentDataset);
  return (
    <section className="screen" data-testid="dataset-dropzone" aria-labelledby="datasets-heading">
      <ScreenHeader id="datasets" />
      <ImportCard />
      <ImportReviewPanel />
      <div className="datasets-layout">
        <DatasetList />
        <div className="dataset-detail">
          {dataset ? (
            <section className="panel" aria-labelledby="dataset-detail-heading">
              <h2 id="dataset-detail-heading" className="panel-title">
                Selected dataset
              </h2>
              <DatasetSummaryCard dataset={dataset} />
              <FineTuneButton dataset={dataset} />
              <TrainButton showFieldErrors secondary />
            </section>
          ) : (
            <section className="panel empty-panel" aria-label="Selected dataset">
              <p className="empty-title">Nothing to train on yet</p>
              <p className="muted">Import a dataset: its rows, splits and labels appear here, with a Train button.</p>
            </section>
          )}
        </div>
      </div>
    </section>
  );
}
