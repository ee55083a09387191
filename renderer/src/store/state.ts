// The store's full shape: one slice per concern. Slices hold state and synchronous transitions only; anything that
// talks to the services lives in actions/ as module-level functions.
import type { CatalogSlice } from './catalogSlice';
import type { ComparisonSlice } from './comparisonSlice';
import type { DatasetsSlice } from './datasetsSlice';
import type { EvaluationsSlice } from './evaluationsSlice';
import type { LogsSlice } from './logsSlice';
import type { MetricsSlice } from './metricsSlice';
import type { ModelSlice } from './modelSlice';
import type { NavigationSlice } from './navigationSlice';
import type { PlaygroundSlice } from './playgroundSlice';
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
  ComparisonSlice &
  CatalogSlice &
  EvaluationsSlice &
  PlaygroundSlice;
