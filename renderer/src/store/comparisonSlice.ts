import type { StateCreator } from 'zustand';
import { LOSS } from '../lib/metricNames';
import type { State } from './state';

export interface ComparisonState {
  /** Runs ticked on the Runs screen, in the order they were ticked (that order gives their chart colours). */
  selected: string[];
  /** The metric the overlay chart draws. */
  metric: string;
  /** Why a selected run's series could not be loaded, or null. */
  error: string | null;
}

export interface ComparisonSlice {
  comparison: ComparisonState;
  comparisonToggled(runId: string): void;
  comparisonMetricChosen(metric: string): void;
  comparisonPruned(existingIds: ReadonlySet<string>): void;
  comparisonFailed(message: string | null): void;
}

export const createComparisonSlice: StateCreator<State, [], [], ComparisonSlice> = (set) => ({
  comparison: { selected: [], metric: LOSS, error: null },

  comparisonToggled: (runId) =>
    set((s) => {
      const { selected } = s.comparison;
      const next = selected.includes(runId) ? selected.filter((id) => id !== runId) : [...selected, runId];
      return { comparison: { ...s.comparison, selected: next, error: null } };
    }),

  comparisonMetricChosen: (metric) => set((s) => ({ comparison: { ...s.comparison, metric } })),

  comparisonPruned: (existing) =>
    set((s) => {
      const selected = s.comparison.selected.filter((id) => existing.has(id));
      return selected.length === s.comparison.selected.length ? {} : { comparison: { ...s.comparison, selected } };
    }),

  comparisonFailed: (error) => set((s) => ({ comparison: { ...s.comparison, error } })),
});
