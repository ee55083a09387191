import { beforeEach, describe, expect, it } from 'vitest';
import type { RunDetail } from '../../../common/domain';
import { importDatasetFile, startTraining, startWorkbench } from '../../../renderer/src/store/actions';
import { metricSeries } from '../../../renderer/src/store/metricSeries';
import { selectCurrentDataset, selectCurrentRun, useWorkbenchStore } from '../../../renderer/src/store/store';
import { dataset, fakeConnection, run, settle } from './fixtures';

const initialState = useWorkbenchStore.getState();

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
    const detail: RunDetail = { ...latest, series: { loss: [{ step: 5, value: 4 }, { step: 10, value: 3 }], val_loss: [{ step: 10, value: 3.5 }] }, checkpoints: [], logs: [{ at: '2024-03-01T00:00:01Z', level: 'info', message: 'training on cpu' }] };
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
    expect(state.logs['run-2'].lines.map((l) => l.message)).toEqual(['training on cpu']);
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
