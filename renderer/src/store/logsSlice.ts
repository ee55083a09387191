import type { StateCreator } from 'zustand';
import type { EventPayload } from '../../../common/contracts';
import type { State } from './state';

/** Lines kept per run; older ones are dropped (and counted) so a chatty trainer cannot grow the page without bound. */
export const MAX_LOG_LINES = 500;

export type LogEntry = EventPayload<'runs.onDidLog'>;

export interface LogLine {
  seq: number; // unique per page load, a stable React key
  level: LogEntry['level'];
  message: string;
  receivedAt: number; // ms since the epoch, when this page received it
}

export interface RunLog {
  lines: LogLine[];
  /** Lines dropped from the front because of MAX_LOG_LINES. */
  dropped: number;
}

export interface LogsSlice {
  /** Live trainer log lines by run (main does not keep them: a reload starts empty). */
  logs: Record<string, RunLog>;
  logReceived(entry: LogEntry, receivedAt: number): void;
  logsForgotten(runId: string): void;
}

let nextSeq = 1;

export const createLogsSlice: StateCreator<State, [], [], LogsSlice> = (set) => ({
  logs: {},

  logReceived: ({ runId, level, message }, receivedAt) =>
    set((s) => {
      const held = s.logs[runId] ?? { lines: [], dropped: 0 };
      const line: LogLine = { seq: nextSeq++, level, message, receivedAt };
      const overflow = Math.max(0, held.lines.length + 1 - MAX_LOG_LINES);
      const lines = overflow > 0 ? [...held.lines.slice(overflow), line] : [...held.lines, line];
      return { logs: { ...s.logs, [runId]: { lines, dropped: held.dropped + overflow } } };
    }),

  logsForgotten: (runId) =>
    set((s) => {
      if (!(runId in s.logs)) return {};
      const { [runId]: _gone, ...rest } = s.logs;
      return { logs: rest };
    }),
});
