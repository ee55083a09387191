import { beforeEach, describe, expect, it } from 'vitest';
import { persistUi, readPersistedUi, UI_STORAGE_KEY } from '../../../renderer/src/store/persistence';
import { useWorkbenchStore } from '../../../renderer/src/store/store';

const initialState = useWorkbenchStore.getState();

function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v), data };
}

beforeEach(() => useWorkbenchStore.setState(initialState, true));

describe('what the app remembers across reloads', () => {
  it('restores the screen, selections, settings and the Model draft, and writes them back when they change', () => {
    const saved = { screen: 'runs', datasetId: 'ds-1', runId: 'run-1', theme: 'dark', defaultBackend: 'wasm', preset: 'standard', edits: { steps: '20' } };
    const storage = memoryStorage({ [UI_STORAGE_KEY]: JSON.stringify(saved) });
    const stop = persistUi(useWorkbenchStore, storage);
    const s = useWorkbenchStore.getState();
    expect(s.nav.screen).toBe('runs');
    expect(s.datasets.currentId).toBe('ds-1');
    expect(s.runs.currentId).toBe('run-1');
    expect(s.settings).toMatchObject({ theme: 'dark', defaultBackend: 'wasm' });
    expect(s.model).toMatchObject({ preset: 'standard', edits: { steps: '20' } });

    s.screenShown('settings');
    s.configEdited('nLayer', '3');
    expect(JSON.parse(storage.data.get(UI_STORAGE_KEY)!)).toMatchObject({ screen: 'settings', edits: { steps: '20', nLayer: '3' } });
    stop();
  });

  it('remembers the Evaluate, Playground and Export screens, the few-shot preset and a chosen base model', () => {
    for (const screen of ['evaluate', 'playground', 'export']) {
      const saved = { screen, preset: 'few-shot', edits: { base: 'glove-6b-100d', method: 'head' } };
      expect(readPersistedUi(memoryStorage({ [UI_STORAGE_KEY]: JSON.stringify(saved) }))).toEqual(saved);
    }
  });

  it('ignores what it does not understand instead of trusting it', () => {
    const junk = { screen: 'evaluate-later', datasetId: '../etc', theme: 'purple', defaultBackend: 'cuda', preset: 'huge', edits: { steps: 5, bogus: '1', seed: '7' } };
    expect(readPersistedUi(memoryStorage({ [UI_STORAGE_KEY]: JSON.stringify(junk) }))).toEqual({ edits: { seed: '7' } });
    expect(readPersistedUi(memoryStorage({ [UI_STORAGE_KEY]: '{not json' }))).toEqual({});
    expect(readPersistedUi(null)).toEqual({});
  });
});
