// The store's full shape: one slice per concern. Slices hold state and synchronous transitions only; anything that
// talks to the services lives in actions/ as module-level functions.
import type { DatasetsSlice } from './datasetsSlice';
import type { MetricsSlice } from './metricsSlice';
import type { RunsSlice } from './runsSlice';
import type { SystemSlice } from './systemSlice';

export type State = SystemSlice & DatasetsSlice & RunsSlice & MetricsSlice;
