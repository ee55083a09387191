import { beforeEach, describe, expect, it } from 'vitest';
import type { CallName, EventName, WorkbenchApi } from '../../../common/contracts';
import type { DatasetSummary, RunDetail, RunSummary } from '../../../common/domain';
import type { Result } from '../../../common/result';
import type { WorkbenchConnection } from '../../../renderer/src/api';
import { importDatasetFile, startTraining, startWorkbench } from '../../../renderer/src/store/actions';
import { metricSeries } from '../../../renderer/src/store/metricSeries';
import { selectCurrentDataset, selectCurrentRun, useWorkbenchStore } from '../../../renderer/src/store/store';

const initialState = useWorkbenchStore.getState();

const dataset = (id: string, createdAt: string): DatasetSummary => ({
  id, name: id, task: 'generate', format: 'txt', rows: 100, splits: { train: 90, validation: 10, test: 0 },
  columns: { text: 'text', label: null }, labels: [], sourceName: `${id}.txt`, bytes: 1000, sha256: 'x', createdAt,
});

const run = (id: string, datasetId: string, createdAt: string, patch: Partial<RunSummary> = {}): RunSummary => ({
  id, datasetId, datasetName: datasetId, task: 'generate', preset: 'quick',
  config: { backend: 'auto', seed: 1, nLayer: 2, nHead: 4, dModel: 64, contextLength: 64, dropout: 0, steps: 150, batchSize: 16, learningRate: 0.003, warmupSteps: 10, gradClip: 1, validationFraction: 0.1, evalEvery: 25, evalBatches: 4, checkpointEvery: 0, logEvery: 5 },
  status: 'completed', backend: 'cpu', device: 'cpu', createdAt, startedAt: createdAt, finishedAt: createdAt, durationMs: 1000,
  error: null, lastStep: 150, metrics: {}, ...patch,
});

/** A connection whose calls answer from `handlers` and whose events the test emits. */
function fakeConnection(handlers: Partial<Record<CallName, (input: any) => unknown>>) {
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const calls: string[] = [];
  const api: WorkbenchApi = {
    call: (async (name: CallName, input: unknown) => {
      calls.push(name);
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
  return { connection, emit, calls };
}

const settle = () => new Promise((r) => setTimeout(r, 0));
const fakeFile = (name: string) => ({ name, size: 10 }) as File;

let stop: (() => void) | null = null;
beforeEach(() => {
  stop?.();
  useWorkbenchStore.setState(initialState, true);
  metricSeries.clear();
});

describe('workbench store', () => {
  it('loads the newest run with its series and selects that run’s dataset', async () => {
    const older = dataset('ds-old', '2024-01-01T00:00:00Z');
    const newer = dataset('ds-new', '2024-02-01T00:00:00Z');
    const latest = run('run-2', 'ds-old', '2024-03-01T00:00:00Z');
    const detail: RunDetail = { ...latest, series: { loss: [{ step: 5, value: 4 }, { step: 10, value: 3 }], val_loss: [{ step: 10, value: 3.5 }] }, checkpoints: [] };
    const { connection } = fakeConnection({
      'system.info': () => ({ version: '1.0.0', mode: 'browser', dataDir: '/d' }),
      'datasets.list': () => [older, newer],
      'runs.list': () => [run('run-1', 'ds-new', '2024-02-02T00:00:00Z'), latest],
      'runs.get': () => detail,
    });
    stop = startWorkbench(connection);
    await settle();
    await settle();
    const state = useWorkbenchStore.getState();
    expect(selectCurrentRun(state)?.id).toBe('run-2');
    expect(selectCurrentDataset(state)?.id).toBe('ds-old');
    expect(state.system.info?.version).toBe('1.0.0');
    expect(metricSeries.get('run-2', 'loss')?.length).toBe(2);
    expect(state.metrics.version).toBeGreaterThan(0);
  });

  it('imports a file, reports a failed import by its sentence, and clears it on the next success', async () => {
    let fail = true;
    const { connection } = fakeConnection({
      'datasets.list': () => [],
      'runs.list': () => [],
      'datasets.import': () =>
        fail ? { ok: false, error: { kind: 'bad-input', message: 'bad.csv line 3: missing label.' } } : dataset('ds-1', '2024-05-01T00:00:00Z'),
    });
    stop = startWorkbench(connection);
    await importDatasetFile(fakeFile('bad.csv'));
    expect(useWorkbenchStore.getState().datasets.error).toBe('bad.csv line 3: missing label.');
    fail = false;
    await importDatasetFile(fakeFile('good.txt'));
    const { datasets } = useWorkbenchStore.getState();
    expect(datasets.error).toBeNull();
    expect(datasets.importing).toBeNull();
    expect(selectCurrentDataset(useWorkbenchStore.getState())?.id).toBe('ds-1');
  });

  it('keeps the running status when the start answer (queued) arrives after the running event', async () => {
    const ds = dataset('ds-1', '2024-05-01T00:00:00Z');
    const started = run('run-9', 'ds-1', '2024-06-01T00:00:00Z', { status: 'queued', backend: null, lastStep: 0, finishedAt: null, durationMs: null });
    const { connection, emit } = fakeConnection({
      'datasets.list': () => [ds],
      'runs.list': () => [],
      'runs.start': async () => {
        emit('runs.onDidUpdate', { ...started, status: 'running', backend: 'wasm' });
        emit('runs.onDidMetrics', { runId: 'run-9', points: [{ step: 5, name: 'loss', value: 5.1 }] });
        return started;
      },
    });
    stop = startWorkbench(connection);
    await settle();
    await startTraining();
    const state = useWorkbenchStore.getState();
    expect(selectCurrentRun(state)).toMatchObject({ id: 'run-9', status: 'running', backend: 'wasm' });
    expect(state.runs.pending).toBeNull();
    expect(metricSeries.get('run-9', 'loss')?.last()).toEqual({ step: 5, value: 5.1 });
  });

  it('does not start a second run while one is active', async () => {
    const ds = dataset('ds-1', '2024-05-01T00:00:00Z');
    const active = run('run-1', 'ds-1', '2024-06-01T00:00:00Z', { status: 'running' });
    const { connection, calls } = fakeConnection({
      'datasets.list': () => [ds],
      'runs.list': () => [active],
      'runs.get': () => ({ ...active, series: {}, checkpoints: [] }),
    });
    stop = startWorkbench(connection);
    await settle();
    await settle();
    await startTraining();
    expect(calls).not.toContain('runs.start');
  });
});
