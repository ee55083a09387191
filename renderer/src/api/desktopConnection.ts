// Electron: the preload exposes `window.workbench` (a DesktopBridge); files are imported by their path on disk.
import type { DesktopBridge } from '../../../common/contracts';
import type { WorkbenchConnection } from './connection';

/** The preload's bridge, or null outside Electron. */
export function findDesktopBridge(): DesktopBridge | null {
  const bridge = (window as Window & { workbench?: DesktopBridge }).workbench;
  return bridge && typeof bridge.call === 'function' ? bridge : null;
}

export function createDesktopConnection(bridge: DesktopBridge): WorkbenchConnection {
  return {
    mode: 'electron',
    api: bridge,
    state: 'open',
    onStateChange: () => () => {},
    async prepareSource(file) {
      let path: string;
      try {
        path = bridge.pathForFile(file);
      } catch {
        path = '';
      }
      if (!path) {
        return { ok: false, error: { kind: 'bad-input', message: `${file.name} is not a file on this computer; drop a file from a folder instead.` } };
      }
      return { ok: true, value: { kind: 'path' as const, path } };
    },
    async importFile(file, name) {
      const source = await this.prepareSource!(file);
      if (!source.ok) return source;
      return bridge.call('datasets.import', { source: source.value, ...(name ? { name } : {}) });
    },
  };
}
