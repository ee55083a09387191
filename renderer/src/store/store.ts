import { create } from 'zustand';
import { createCatalogSlice } from './catalogSlice';
import { createComparisonSlice } from './comparisonSlice';
import { createDatasetsSlice } from './datasetsSlice';
import { createEvaluationsSlice } from './evaluationsSlice';
import { createLogsSlice } from './logsSlice';
import { createMetricsSlice } from './metricsSlice';
import { createModelSlice } from './modelSlice';
import { createNavigationSlice } from './navigationSlice';
import { createPlaygroundSlice } from './playgroundSlice';
import { createRunsSlice } from './runsSlice';
import { createSettingsSlice } from './settingsSlice';
import type { State } from './state';
import { createSystemSlice } from './systemSlice';

export type { State };

export const useWorkbenchStore = create<State>()((...a) => ({
  ...createSystemSlice(...a),
  ...createNavigationSlice(...a),
  ...createSettingsSlice(...a),
  ...createDatasetsSlice(...a),
  ...createModelSlice(...a),
  ...createRunsSlice(...a),
  ...createMetricsSlice(...a),
  ...createLogsSlice(...a),
  ...createComparisonSlice(...a),
  ...createCatalogSlice(...a),
  ...createEvaluationsSlice(...a),
  ...createPlaygroundSlice(...a),
}));

export const selectCurrentDataset = (s: State) => s.datasets.list.find((d) => d.id === s.datasets.currentId) ?? null;
export const selectCurrentRun = (s: State) => s.runs.list.find((r) => r.id === s.runs.currentId) ?? null;
