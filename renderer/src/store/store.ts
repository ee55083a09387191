import { create } from 'zustand';
import { createDatasetsSlice } from './datasetsSlice';
import { createMetricsSlice } from './metricsSlice';
import { createRunsSlice } from './runsSlice';
import type { State } from './state';
import { createSystemSlice } from './systemSlice';

export type { State };

export const useWorkbenchStore = create<State>()((...a) => ({
  ...createSystemSlice(...a),
  ...createDatasetsSlice(...a),
  ...createRunsSlice(...a),
  ...createMetricsSlice(...a),
}));

export const selectCurrentDataset = (s: State) => s.datasets.list.find((d) => d.id === s.datasets.currentId) ?? null;
export const selectCurrentRun = (s: State) => s.runs.list.find((r) => r.id === s.runs.currentId) ?? null;
