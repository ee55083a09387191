// The app's download by name (renderer/src/features/models/pullModel.ts) over a fake connection: names as typed, only
// its own progress events, the model list reloaded when the model lands, cancel through models.cancelPull.
import { beforeEach, describe, expect, it } from 'vitest';
import type { PullProgress } from '../../../common/contracts/models';
import { parseModelName, startPull } from '../../../renderer/src/features/models/pullModel';
import { startWorkbench } from '../../../renderer/src/store/actions';
import { useWorkbenchStore } from '../../../renderer/src/store/store';
import { fakeConnection, settle } from '../renderer/fixtures';

const initialState = useWorkbenchStore.getState();
let stop: (() => void) | null = null;
beforeEach(() => {
  stop?.();
  useWorkbenchStore.setState(initialState, true);
});

const progress = (requestId: string, bytes: number): PullProgress => ({ requestId, repo: 'org/name', phase: 'downloading', file: 'model.safetensors', bytes, totalBytes: 100, bytesPerSecond: 10, etaSeconds: (100 - bytes) / 10, filesDone: 0, files: 3 });
const cached = { id: 'hf:org/name', name: 'org/name', kind: 'generator', tasks: ['generate'], parameters: 10, description: '', license: '', path: '/c', source: 'hf-cache', runnable: true, imported: true };

describe('downloading a model from the app', () => {
  it('reads org/name[@revision] as typed and refuses what cannot be a Hub name', () => {
    expect(parseModelName(' HuggingFaceTB/SmolLM2-135M ')).toEqual({ repo: 'HuggingFaceTB/SmolLM2-135M' });
    expect(parseModelName('org/name@v1.0')).toEqual({ repo: 'org/name', revision: 'v1.0' });
    for (const bad of ['', 'org/', 'a/b/c', 'org/na--me', '../x', 'org/name@', 'org name']) expect(parseModelName(bad), bad).toBeNull();
  });

  it('shows only its own progress, then reloads the models so the new base appears', async () => {
    let listed: unknown[] = [];
    const fake = fakeConnection({
      'datasets.list': () => [],
      'runs.list': () => [],
      'models.list': () => listed,
      'models.pull': async ({ requestId }: { requestId: string }) => {
        fake.emit('models.onDidPullProgress', progress('someone-else', 99));
        fake.emit('models.onDidPullProgress', progress(requestId, 40));
        fake.emit('models.onDidPullProgress', progress(requestId, 100));
        listed = [cached];
        return cached;
      },
    });
    stop = startWorkbench(fake.connection);
    await settle();
    const seen: number[] = [];
    const pull = startPull({ repo: 'org/name' }, (p) => seen.push(p.bytes));
    const outcome = await pull.done;
    expect(outcome).toEqual({ ok: true, model: cached });
    expect(seen).toEqual([40, 100]);
    expect(fake.recorded.find((c) => c.name === 'models.pull')?.input).toEqual({ requestId: pull.requestId, repo: 'org/name' });
    expect(useWorkbenchStore.getState().catalog.models?.map((m) => m.id)).toEqual(['hf:org/name']);
  });

  it('cancels through models.cancelPull and reports a cancelled pull as such', async () => {
    let finish: (v: unknown) => void = () => {};
    const fake = fakeConnection({
      'datasets.list': () => [],
      'runs.list': () => [],
      'models.list': () => [],
      'models.pull': () => new Promise((resolve) => (finish = resolve)),
      'models.cancelPull': () => {
        finish({ ok: false, error: { kind: 'cancelled', message: 'The download of org/name was cancelled; what arrived is kept.' } });
        return { cancelled: true };
      },
    });
    stop = startWorkbench(fake.connection);
    await settle();
    const pull = startPull({ repo: 'org/name', revision: 'main' }, () => {});
    await settle();
    await pull.cancel();
    expect(await pull.done).toEqual({ ok: false, cancelled: true, error: 'The download of org/name was cancelled; what arrived is kept.' });
    expect(fake.recorded.find((c) => c.name === 'models.cancelPull')?.input).toEqual({ requestId: pull.requestId });
  });
});
