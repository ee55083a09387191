// Browser mode (`tunebench serve`): calls and events over one WebSocket, files uploaded over HTTP.
import type { WorkbenchApi } from '../../../common/contracts';
import type { WorkbenchConnection } from './connection';
import { SocketClient } from './socketClient';
import { uploadFile } from './uploadFile';

export function socketUrl(location: Pick<Location, 'protocol' | 'host'>, token: string): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/ws?token=${encodeURIComponent(token)}`;
}

export function createBrowserConnection(token: string): WorkbenchConnection {
  const client = new SocketClient({ url: socketUrl(window.location, token) });
  return {
    mode: 'browser',
    api: client,
    get state() {
      return client.state;
    },
    onStateChange: (listener) => client.onStateChange(listener),
    async prepareSource(file) {
      const uploaded = await uploadFile(file, token);
      if (!uploaded.ok) return uploaded;
      return { ok: true, value: { kind: 'upload' as const, uploadId: uploaded.value.uploadId, fileName: file.name } };
    },
    async importFile(file, name) {
      const uploaded = await uploadFile(file, token);
      if (!uploaded.ok) return uploaded;
      const source = { kind: 'upload' as const, uploadId: uploaded.value.uploadId, fileName: file.name };
      return client.call('datasets.import', { source, ...(name ? { name } : {}) });
    },
  };
}

const NO_TOKEN_MESSAGE =
  'This page has no access token: open the full address that `tunebench serve` printed (it ends in ?token=…).';

/** A connection that answers every call with the missing-token error, so the UI can say what to do. */
export function createTokenlessConnection(): WorkbenchConnection {
  const fail = { ok: false as const, error: { kind: 'unavailable' as const, message: NO_TOKEN_MESSAGE } };
  const api: WorkbenchApi = {
    call: (() => Promise.resolve(fail)) as WorkbenchApi['call'],
    on: () => () => {},
  };
  return { mode: 'browser', api, state: 'closed', onStateChange: () => () => {}, importFile: async () => fail, prepareSource: async () => fail };
}
