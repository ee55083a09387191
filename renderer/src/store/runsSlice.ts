import type { StateCreator } from 'zustand';
import type { RunSummary } from '../../../common/domain';
import type { State } from './state';

export type RunAction = 'start' | 'pause' | 'resume' | 'cancel';

export interface RunsState {
  /** Newest first. */
  list: RunSummary[];
  /** The run the training panel shows. */
  currentId: string | null;
  /** A start/pause/resume/cancel call in flight. */
  pending: RunAction | null;
  /** The last such call's error sentence. */
  error: string | null;
}

export interface RunsSlice {
  runs: RunsState;
  /** Replaces the list; keeps the current run if it still exists, else shows the newest. */
  runsLoaded(list: RunSummary[]): void;
  /** Upserts one run unless it is older than the one held; an active run takes over the panel from a finished one. */
  runUpdated(run: RunSummary): void;
  runSelected(id: string): void;
  /** Drops a deleted run; the current run moves to the newest one left. */
  runRemoved(id: string): void;
  runActionStarted(action: RunAction): void;
  runActionFinished(error: string | null): void;
}

const ACTIVE: ReadonlySet<RunSummary['status']> = new Set(['queued', 'running', 'paused']);
export const isRunActive = (run: Pick<RunSummary, 'status'> | null | undefined): boolean => !!run && ACTIVE.has(run.status);
export const anyRunActive = (list: readonly RunSummary[]): boolean => list.some(isRunActive);

// A run only moves forward: queued → running ⇄ paused → completed/failed/cancelled. Results and events can cross on
// the wire (a `runs.start` answer saying 'queued' after an event saying 'running'), so an older view is dropped.
const STAGE: Record<RunSummary['status'], number> = {
  queued: 0,
  running: 1,
  paused: 1,
  interrupted: 1,
  completed: 2,
  failed: 2,
  cancelled: 2,
};
export const isStale = (incoming: RunSummary, held: RunSummary | undefined): boolean =>
  !!held && (STAGE[incoming.status] < STAGE[held.status] || incoming.lastStep < held.lastStep);

const newestFirst = (a: RunSummary, b: RunSummary) => b.createdAt.localeCompare(a.createdAt);

export const createRunsSlice: StateCreator<State, [], [], RunsSlice> = (set) => ({
  runs: { list: [], currentId: null, pending: null, error: null },

  runsLoaded: (list) =>
    set((s) => {
      const sorted = [...list].sort(newestFirst);
      const keep = sorted.some((r) => r.id === s.runs.currentId);
      return { runs: { ...s.runs, list: sorted, currentId: keep ? s.runs.currentId : (sorted[0]?.id ?? null) } };
    }),

  runUpdated: (run) =>
    set((s) => {
      if (isStale(run, s.runs.list.find((r) => r.id === run.id))) return {};
      const list = [run, ...s.runs.list.filter((r) => r.id !== run.id)].sort(newestFirst);
      const current = s.runs.list.find((r) => r.id === s.runs.currentId);
      const takeOver = !current || (run.id !== current.id && isRunActive(run) && !isRunActive(current));
      return { runs: { ...s.runs, list, currentId: takeOver ? run.id : s.runs.currentId } };
    }),

  runSelected: (id) => set((s) => ({ runs: { ...s.runs, currentId: id } })),
  runRemoved: (id) =>
    set((s) => {
      const list = s.runs.list.filter((r) => r.id !== id);
      const currentId = s.runs.currentId === id ? (list[0]?.id ?? null) : s.runs.currentId;
      return { runs: { ...s.runs, list, currentId } };
    }),
  runActionStarted: (pending) => set((s) => ({ runs: { ...s.runs, pending, error: null } })),
  runActionFinished: (error) => set((s) => ({ runs: { ...s.runs, pending: null, error } })),
});
