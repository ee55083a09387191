import { beforeEach, describe, expect, it } from 'vitest';
import { deleteRun, openRun, startTraining, startWorkbench, toggleCompared } from '../../../renderer/src/store/actions';
import { metricSeries } from '../../../renderer/src/store/metricSeries';
import { useWorkbenchStore } from '../../../renderer/src/store/store';
import { dataset, fakeConnection, run, settle } from './fixtures';

const initialState = useWorkbenchStore.getState();
const store = () => useWorkbenchStore.getState();
const ds = dataset('ds-1', '2024-05-01T00:00:00Z');

let stop: (() => void) | null = null;
beforeEach(() => {
  stop?.();
  useWorkbenchStore.setState(initialState, true);
  metricSeries.clear();
});

async function started(handlers: Parameters<typeof fakeConnection>[0]) {
  const fake = fakeConnection({ 'datasets.list': () => [ds], 'runs.list': () => [], ...handlers });
  stop = startWorkbench(fake.connection);
  await settle();
  await settle();
  return fake;
}

describe('training from the Model screen', () => {
  it('starts with the chosen preset, the typed settings and the Settings backend, then shows Training', async () => {
    const newRun = run('run-7', 'ds-1', '2024-06-01T00:00:00Z', { status: 'queued' });
    const { recorded } = await started({ 'runs.start': () => newRun });
    store().presetChosen('standard');
    store().configEdited('steps', '12');
    store().defaultBackendChosen('wasm');
    await startTraining();
    expect(recorded.find((c) => c.name === 'runs.start')?.input).toEqual({
      datasetId: 'ds-1',
      preset: 'standard',
      overrides: { steps: 12, backend: 'wasm' },
    });
    expect(store().runs.currentId).toBe('run-7');
    expect(store().nav.screen).toBe('training');
    expect(store().model.rejected).toBeNull();
  });

  it('does not call main with an invalid draft: it opens the Model screen and says which setting to fix', async () => {
    const { calls } = await started({});
    store().configEdited('nLayer', '0');
    await startTraining();
    expect(calls).not.toContain('runs.start');
    expect(store().nav.screen).toBe('model');
    expect(store().model.rejected?.message).toMatch(/nLayer/);
  });

  it('puts main’s refusal beside the field it names, and clears it when that field is edited', async () => {
    await started({
      'runs.start': () => ({ ok: false, error: { kind: 'bad-input', message: "Training setting 'dModel' is invalid: too wide for this machine." } }),
    });
    store().screenShown('model');
    await startTraining();
    expect(store().model.rejected).toEqual({ field: 'dModel', message: "Training setting 'dModel' is invalid: too wide for this machine." });
    expect(store().nav.screen).toBe('model');
    expect(store().runs.pending).toBeNull();
    store().configEdited('dModel', '32');
    expect(store().model.rejected).toBeNull();
  });
});

describe('runs history', () => {
  const older = run('run-1', 'ds-1', '2024-06-01T00:00:00Z', { metrics: { loss: 2 } });
  const newer = run('run-2', 'ds-1', '2024-06-02T00:00:00Z', { metrics: { loss: 1.5 } });
  const detail = (r: typeof older) => ({ ...r, series: { loss: [{ step: 5, value: 3 }, { step: 10, value: 2 }] }, checkpoints: [] });

  it('loads a compared run’s series once, and opens a run in Training', async () => {
    const { calls } = await started({ 'runs.list': () => [older, newer], 'runs.get': ({ runId }: { runId: string }) => detail(runId === 'run-1' ? older : newer) });
    const gets = () => calls.filter((c) => c === 'runs.get').length;
    const initialGets = gets(); // the newest run, shown on Training
    await toggleCompared('run-1');
    await toggleCompared('run-2');
    expect(store().comparison.selected).toEqual(['run-1', 'run-2']);
    expect(metricSeries.get('run-1', 'loss')?.length).toBe(2);
    expect(gets()).toBe(initialGets + 1); // run-2 was already loaded
    await toggleCompared('run-1');
    await toggleCompared('run-1');
    expect(gets()).toBe(initialGets + 1);

    await openRun('run-1');
    expect(store().runs.currentId).toBe('run-1');
    expect(store().nav.screen).toBe('training');
  });

  it('deletes a run with its series and comparison tick; a refusal comes back as the sentence to show', async () => {
    let refuse = true;
    await started({
      'runs.list': () => [older, newer],
      'runs.get': ({ runId }: { runId: string }) => detail(runId === 'run-1' ? older : newer),
      'runs.delete': ({ runId }: { runId: string }) =>
        refuse ? { ok: false, error: { kind: 'conflict', message: `Run ${runId} is still training; cancel it before deleting it.` } } : { deleted: runId },
    });
    await toggleCompared('run-2');
    expect(await deleteRun('run-2')).toBe('Run run-2 is still training; cancel it before deleting it.');
    expect(store().runs.list).toHaveLength(2);
    refuse = false;
    expect(await deleteRun('run-2')).toBeNull();
    expect(store().runs.list.map((r) => r.id)).toEqual(['run-1']);
    expect(store().runs.currentId).toBe('run-1');
    expect(store().comparison.selected).toEqual([]);
    expect(metricSeries.get('run-2', 'loss')).toBeUndefined();
  });
});
