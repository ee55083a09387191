// Shared by the renderer unit tests: datasets, runs and a fake connection whose calls answer from handlers.
import type { CallName, EventName, WorkbenchApi } from '../../../common/contracts';
import type { DatasetSummary, RunSummary } from '../../../common/domain';
import type { Result } from '../../../common/result';
import type { WorkbenchConnection } from '../../../renderer/src/api';
import { presetConfig } from '../../../renderer/src/lib/configDraft';

/** A dataset summary; built loosely (cast) because the datasets contract is still growing fields the UI ignores. */
export const dataset = (id: string, createdAt: string): DatasetSummary =>
  ({
    id, name: id, task: 'generate', trainTask: 'generate', format: 'txt', encoding: 'utf-8', rows: 100,
    splits: { train: 90, validation: 10, test: 0 }, split: { train: 0.9, validation: 0.1, test: 0, seed: 1, stratified: false },
    columns: { text: 'text', label: null }, mapping: { text: 'text' }, fields: ['text'], labels: [],
    recipe: { normalizeWhitespace: false, lowercase: false, removeStopwords: false, stopwordLanguage: 'eng', tokenize: false, minLength: null, maxLength: null, lengthUnit: 'char', dedupe: 'none' },
    removed: { empty: 0, removeStopwords: 0, minLength: 0, maxLength: 0, dedupe: 0 }, test: null,
    sourceName: `${id}.txt`, bytes: 1000, sha256: 'x', createdAt,
  }) as unknown as DatasetSummary;

export const run = (id: string, datasetId: string, createdAt: string, patch: Partial<RunSummary> = {}): RunSummary => ({
  id, datasetId, datasetName: datasetId, task: 'generate', preset: 'quick',
  config: { ...presetConfig('quick'), seed: 1, nLayer: 2, nHead: 4, dModel: 64, contextLength: 64, dropout: 0, steps: 150, batchSize: 16, learningRate: 0.003, warmupSteps: 10, gradClip: 1, validationFraction: 0.1, evalEvery: 25, evalBatches: 4, checkpointEvery: 0, logEvery: 5 },
  status: 'completed', backend: 'cpu', device: 'cpu', createdAt, startedAt: createdAt, finishedAt: createdAt, durationMs: 1000,
  error: null, lastStep: 150, metrics: {}, ...patch,
});

export interface RecordedCall {
  name: CallName;
  input: unknown;
}

/** A connection whose calls answer from `handlers` (a value, or a Result to fail) and whose events the test emits. */
export function fakeConnection(handlers: Partial<Record<CallName, (input: any) => unknown>>) {
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const calls: string[] = [];
  const recorded: RecordedCall[] = [];
  const api: WorkbenchApi = {
    call: (async (name: CallName, input: unknown) => {
      calls.push(name);
      recorded.push({ name, input });
      const handler = handlers[name];
      if (!handler) return { ok: false, error: { kind: 'not-found', message: `no ${name}` } };
      const value = await handler(input);
      return (value && typeof value === 'object' && 'ok' in value ? value : { ok: true, value }) as Result<unknown>;
    }) as WorkbenchApi['call'],
    on: (name, listener) => {
      if (!listeners.has(name)) listeners.set(name, new Set());
      listeners.get(name)!.add(listener as (p: unknown) => void);
      return () => listeners.get(name)!.delete(listener as (p: unknown) => void);
    },
  };
  const emit = (name: EventName, payload: unknown) => listeners.get(name)?.forEach((l) => l(payload));
  const connection: WorkbenchConnection = {
    mode: 'browser', api, state: 'open', onStateChange: () => () => {},
    importFile: async (file) => api.call('datasets.import', { source: { kind: 'upload', uploadId: 'a'.repeat(32), fileName: file.name } }),
  };
  return { connection, emit, calls, recorded };
}

export const settle = () => new Promise((r) => setTimeout(r, 0));
