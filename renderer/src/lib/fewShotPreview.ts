// What the one-click few-shot preset will choose for a dataset, from its summary, with the same pure function main
// uses (common/fewShotPreset.ts). Main reads the stored rows, so counts may differ; the run summary has the truth.
import type { TrainConfig } from '../../../common/config';
import type { DatasetSummary } from '../../../common/domain';
import { fewShotConfig } from '../../../common/fewShotPreset';

export function fewShotChoice(dataset: Pick<DatasetSummary, 'trainTask' | 'splits' | 'labels'> | null): Partial<TrainConfig> {
  if (!dataset) return {};
  return fewShotConfig({
    task: dataset.trainTask,
    rows: dataset.splits.train,
    classes: dataset.trainTask === 'classify' ? dataset.labels.length : 0,
    minPerClass: 0,
    medianPerClass: 0,
    meanWords: 0,
  });
}
