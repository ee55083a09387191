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

/** A stored log line, as `runs.get` returns it. */
export interface StoredLogLine {
  at: string; // ISO 8601
  level: LogEntry['level'];
  message: string;
}

export interface LogsSlice {
  /** Trainer log lines by run: the stored ones from `runs.get`, then live ones (runs.onDidLog). */
  logs: Record<string, RunLog>;
  logReceived(entry: LogEntry, receivedAt: number): void;
  /** Puts a run's stored lines before the live lines received after the last of them. */
  logsLoaded(runId: string, stored: readonly StoredLogLine[]): void;
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

  logsLoaded: (runId, stored) =>
    set((s) => {
      const held = s.logs[runId] ?? { lines: [], dropped: 0 };
      const lastStoredAt = stored.length ? Date.parse(stored[stored.length - 1].at) : -Infinity;
      const fromStore: LogLine[] = stored.map((l) => ({ seq: nextSeq++, level: l.level, message: l.message, receivedAt: Date.parse(l.at) || 0 }));
      const lines = [...fromStore, ...held.lines.filter((l) => l.receivedAt > lastStoredAt)];
      const overflow = Math.max(0, lines.length - MAX_LOG_LINES);
      return { logs: { ...s.logs, [runId]: { lines: lines.slice(overflow), dropped: overflow } } };
    }),

  logsForgotten: (runId) =>
    set((s) => {
      if (!(runId in s.logs)) return {};
      const { [runId]: _gone, ...rest } = s.logs;
      return { logs: rest };
    }),
});
