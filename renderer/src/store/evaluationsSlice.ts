import type { StateCreator } from 'zustand';
import type { EvalReport } from '../../../common/evaluation';
import type { State } from './state';

export interface EvalProgress {
  fraction: number; // 0..1
  message: string;
}

export interface EvaluationsState {
  /** Stored reports by run, newest first. */
  byRun: Record<string, EvalReport[]>;
  /** Runs being evaluated now, with their latest progress. */
  running: Record<string, EvalProgress>;
  /** The last evaluate or load error by run. */
  errors: Record<string, string>;
}

export interface EvaluationsSlice {
  evaluations: EvaluationsState;
  evaluationsLoaded(runId: string, reports: EvalReport[]): void;
  evaluationStarted(runId: string): void;
  evalProgressed(progress: { runId: string } & EvalProgress): void;
  /** Ends an evaluation: its report goes first in the run's list, or its error is kept. */
  evaluationFinished(runId: string, outcome: { report: EvalReport } | { error: string }): void;
  evaluationsFailed(runId: string, message: string): void;
}

const without = <T>(record: Record<string, T>, key: string): Record<string, T> => {
  const { [key]: _gone, ...rest } = record;
  return rest;
};

export const createEvaluationsSlice: StateCreator<State, [], [], EvaluationsSlice> = (set) => ({
  evaluations: { byRun: {}, running: {}, errors: {} },

  evaluationsLoaded: (runId, reports) =>
    set((s) => ({
      evaluations: { ...s.evaluations, byRun: { ...s.evaluations.byRun, [runId]: [...reports].sort((a, b) => b.createdAt.localeCompare(a.createdAt)) } },
    })),

  evaluationStarted: (runId) =>
    set((s) => ({
      evaluations: {
        ...s.evaluations,
        running: { ...s.evaluations.running, [runId]: { fraction: 0, message: 'Starting…' } },
        errors: without(s.evaluations.errors, runId),
      },
    })),

  evalProgressed: ({ runId, fraction, message }) =>
    set((s) =>
      s.evaluations.running[runId]
        ? { evaluations: { ...s.evaluations, running: { ...s.evaluations.running, [runId]: { fraction: Math.max(0, Math.min(1, fraction)), message } } } }
        : {},
    ),

  evaluationFinished: (runId, outcome) =>
    set((s) => {
      const running = without(s.evaluations.running, runId);
      if ('error' in outcome) return { evaluations: { ...s.evaluations, running, errors: { ...s.evaluations.errors, [runId]: outcome.error } } };
      const held = (s.evaluations.byRun[runId] ?? []).filter((r) => r.id !== outcome.report.id);
      return { evaluations: { ...s.evaluations, running, byRun: { ...s.evaluations.byRun, [runId]: [outcome.report, ...held] } } };
    }),

  evaluationsFailed: (runId, message) =>
    set((s) => ({ evaluations: { ...s.evaluations, errors: { ...s.evaluations.errors, [runId]: message } } })),
});
