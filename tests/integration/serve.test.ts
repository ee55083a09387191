// `tunebench serve` as a browser sees it: token required, Host checked, uploads imported over the WebSocket contract.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Result } from '../../common/result';
import { assertBuilt, startServe, tempDir } from '../helpers/cli';
import { sentimentCsv } from '../helpers/fixtures';

let server: Awaited<ReturnType<typeof startServe>>;
let base: URL;
let token: string;

function rawGet(path: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: base.hostname, port: base.port, path, headers: { Host: host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

function connect(query: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://${base.host}/ws${query}`);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

function call(ws: WebSocket, id: number, name: string, input: unknown): Promise<Result<unknown>> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(data.toString());
      if (message.id !== id) return;
      ws.off('message', onMessage);
      resolve(message.result);
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ id, call: name, input }));
  });
}

describe('tunebench serve', () => {
  beforeAll(async () => {
    assertBuilt();
    server = await startServe(tempDir());
    base = new URL(server.url);
    token = base.searchParams.get('token') ?? '';
  });
  afterAll(() => server?.stop());

  it('binds 127.0.0.1 and prints a URL with a token', () => {
    expect(base.hostname).toBe('127.0.0.1');
    expect(token).toMatch(/^[a-f0-9]{48}$/);
  });

  it('serves the UI with a strict Content-Security-Policy', async () => {
    const res = await fetch(new URL('/', base));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await res.text()).toContain('<div id="root">');
  });

  it('refuses API calls and sockets without the token, and foreign Host headers', async () => {
    expect((await fetch(new URL('/api/upload?name=x.csv', base), { method: 'POST', body: 'a,b' })).status).toBe(401);
    const wrong = await fetch(new URL('/api/upload?name=x.csv', base), { method: 'POST', body: 'a,b', headers: { Authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    await expect(connect('')).rejects.toThrow(/401/);
    await expect(connect('?token=0000')).rejects.toThrow(/401/);
    expect(await rawGet('/', `evil.example:${base.port}`)).toBe(421);
  });

  it('imports an uploaded file over the WebSocket contract and refuses paths', async () => {
    const upload = await fetch(new URL('/api/upload?name=reviews.csv', base), {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/octet-stream' },
      body: sentimentCsv(30),
    });
    const uploaded = (await upload.json()) as Result<{ uploadId: string }>;
    expect(uploaded.ok).toBe(true);
    const ws = await connect(`?token=${token}`);
    try {
      const info = await call(ws, 1, 'system.info', {});
      expect(info).toMatchObject({ ok: true, value: { mode: 'browser' } });
      if (!uploaded.ok) throw new Error('upload failed');
      const imported = await call(ws, 2, 'datasets.import', { source: { kind: 'upload', uploadId: uploaded.value.uploadId, fileName: 'reviews.csv' } });
      expect(imported).toMatchObject({ ok: true, value: { rows: 30, task: 'classify', sourceName: 'reviews.csv' } });
      const byPath = await call(ws, 3, 'datasets.import', { source: { kind: 'path', path: '/etc/passwd' } });
      expect(byPath).toMatchObject({ ok: false, error: { kind: 'bad-input' } });
      const invalid = await call(ws, 4, 'runs.get', { runId: 'DROP TABLE runs' });
      expect(invalid).toMatchObject({ ok: false, error: { kind: 'bad-input' } });
      const list = await call(ws, 5, 'datasets.list', {});
      expect(list.ok && (list.value as unknown[]).length).toBe(1);
    } finally {
      ws.close();
    }
  });
});
