// The renderer's only door into main: a small frozen API built from the channel lists. It never hands out
// ipcRenderer, refuses channels outside the allowlist and strips the IPC event (it carries `sender`).
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { CALL_CHANNELS, CHANNEL_PREFIX, EVENT_CHANNELS } from '../common/channels';

const callNames = new Set<string>(CALL_CHANNELS);
const eventNames = new Set<string>(EVENT_CHANNELS);

const workbench = Object.freeze({
  call(name: string, input: unknown): Promise<unknown> {
    if (!callNames.has(name)) return Promise.resolve({ ok: false, error: { kind: 'bad-input', message: `Unknown call '${name}'.` } });
    return ipcRenderer.invoke(CHANNEL_PREFIX + name, input);
  },
  on(name: string, listener: (payload: unknown) => void): () => void {
    if (!eventNames.has(name)) throw new Error(`Unknown event '${name}'.`);
    const channel = CHANNEL_PREFIX + name;
    const wrapped = (_event: Electron.IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(channel, wrapped);
    return () => {
      ipcRenderer.removeListener(channel, wrapped);
    };
  },
  pathForFile(file: File): string {
    return webUtils.getPathForFile(file);
  },
});

contextBridge.exposeInMainWorld('workbench', workbench);
