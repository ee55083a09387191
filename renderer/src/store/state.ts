// The store's full shape: one slice per concern. Slices hold state and synchronous transitions only; anything that
// talks to the services lives in actions/ as module-level functions.
import type { ComparisonSlice } from './comparisonSlice';
import type { DatasetsSlice } from './datasetsSlice';
import type { LogsSlice } from './logsSlice';
import type { MetricsSlice } from './metricsSlice';
import type { ModelSlice } from './modelSlice';
import type { NavigationSlice } from './navigationSlice';
import type { RunsSlice } from './runsSlice';
import type { SettingsSlice } from './settingsSlice';
import type { SystemSlice } from './systemSlice';

export type State = SystemSlice &
  NavigationSlice &
  SettingsSlice &
  DatasetsSlice &
  ModelSlice &
  RunsSlice &
  MetricsSlice &
  LogsSlice &
  ComparisonSlice;
