import { beforeEach, describe, expect, it, vi } from 'vitest';

const exposed: Record<string, unknown> = {};
const ipc = {
  invoke: vi.fn(async (channel: string, input: unknown) => ({ ok: true, value: { channel, input } })),
  on: vi.fn(),
  removeListener: vi.fn(),
};
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
  ipcRenderer: ipc,
  webUtils: { getPathForFile: () => '/home/user/data.csv' },
}));

interface Bridge {
  call(name: string, input: unknown): Promise<unknown>;
  on(name: string, listener: (payload: unknown) => void): () => void;
  pathForFile(file: unknown): string;
}

describe('preload', () => {
  beforeEach(async () => {
    vi.resetModules();
    await import('../../preload/index');
  });

  it('exposes one frozen API and never ipcRenderer itself', () => {
    const api = exposed.workbench as Bridge;
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.keys(api).sort()).toEqual(['call', 'on', 'pathForFile']);
    expect(Object.values(api)).not.toContain(ipc);
  });

  it('forwards allowed calls with the app prefix and refuses the rest', async () => {
    const api = exposed.workbench as Bridge;
    expect(await api.call('runs.list', {})).toEqual({ ok: true, value: { channel: 'tunebench:runs.list', input: {} } });
    expect(await api.call('fs.readFile', { path: '/etc/passwd' })).toMatchObject({ ok: false, error: { kind: 'bad-input' } });
    expect(ipc.invoke).toHaveBeenCalledTimes(1);
  });

  it('strips the IPC event from pushes and returns the unsubscribe function', () => {
    const api = exposed.workbench as Bridge;
    const seen: unknown[] = [];
    const off = api.on('runs.onDidMetrics', (payload) => seen.push(payload));
    const [channel, wrapped] = ipc.on.mock.calls.at(-1) as [string, (event: unknown, payload: unknown) => void];
    expect(channel).toBe('tunebench:runs.onDidMetrics');
    wrapped({ sender: 'secret' }, { runId: 'run-1', points: [] });
    expect(seen).toEqual([{ runId: 'run-1', points: [] }]);
    off();
    expect(ipc.removeListener).toHaveBeenCalledWith('tunebench:runs.onDidMetrics', wrapped);
    expect(() => api.on('evil.event', () => {})).toThrow(/Unknown event/);
  });
});
