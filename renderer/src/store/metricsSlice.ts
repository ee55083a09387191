import type { StateCreator } from 'zustand';
import type { State } from './state';

export interface MetricsSlice {
  /** Bumped whenever `metricSeries` (outside React) changes; charts subscribe to it and redraw on a frame. */
  metrics: { version: number };
  metricsChanged(): void;
}

export const createMetricsSlice: StateCreator<State, [], [], MetricsSlice> = (set) => ({
  metrics: { version: 0 },
  metricsChanged: () => set((s) => ({ metrics: { version: s.metrics.version + 1 } })),
});
