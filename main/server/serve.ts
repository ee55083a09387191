// `tunebench serve`: the UI in a browser, with the same services behind a WebSocket speaking the contract. Bound to
// 127.0.0.1 unless told otherwise; every API request and socket needs the session's token.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { badInput, toFailure } from '../../common/result';
import { createDispatcher, type Dispatch } from '../ipc/dispatcher';
import { createHandlers } from '../ipc/handlers';
import type { Services } from '../services';
import { VERSION } from '../version';
import { allowedHosts, hostAllowed, newToken, originAllowed, requestToken, SECURITY_HEADERS, tokenMatches } from './security';
import { serveStatic } from './staticFiles';
import { UploadStore } from './uploads';

export interface ServeOptions {
  host: string;
  port: number;
  rendererDir: string;
  token?: string;
}

export interface RunningServer {
  url: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

const MAX_MESSAGE_BYTES = 1024 * 1024;

export async function startServer(services: Services, options: ServeOptions): Promise<RunningServer> {
  const token = options.token ?? newToken();
  const uploads = new UploadStore(services.dataDir);
  const dispatch = createDispatcher(
    createHandlers(services, {
      mode: 'browser',
      version: VERSION,
      resolveImportSource: (source) => {
        if (source.kind !== 'upload') throw badInput('The browser-mode host imports uploaded files only; upload the file first.');
        return uploads.take(source.uploadId, source.fileName);
      },
    }),
  );
  let allowed = new Set<string>();

  const server: Server = createServer((req, res) => {
    handleHttp(req, res).catch((err) => {
      const failure = toFailure(err);
      sendJson(res, failure.error.kind === 'bad-input' ? 400 : 500, failure);
    });
  });

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!hostAllowed(req, allowed)) {
      res.writeHead(421, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain' }).end('Misdirected request: unknown Host header.');
      return;
    }
    if (url.pathname.startsWith('/api/')) {
      if (!originAllowed(req, allowed) || !tokenMatches(token, requestToken(req, url))) {
        sendJson(res, 401, { ok: false, error: { kind: 'bad-input', message: 'Missing or wrong token: open the URL that `tunebench serve` printed.' } });
        return;
      }
      if (url.pathname === '/api/upload' && req.method === 'POST') {
        const uploadId = await uploads.receive(req);
        sendJson(res, 200, { ok: true, value: { uploadId } });
        return;
      }
      sendJson(res, 404, { ok: false, error: { kind: 'not-found', message: `No API route ${req.method} ${url.pathname}.` } });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, SECURITY_HEADERS).end();
      return;
    }
    serveStatic(options.rendererDir, url.pathname, res);
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const ok = url.pathname === '/ws' && hostAllowed(req, allowed) && originAllowed(req, allowed) && tokenMatches(token, requestToken(req, url));
    if (!ok) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attachSocket(ws, dispatch));
  });

  const unsubscribe = services.events.onAny((event, payload) => {
    const text = JSON.stringify({ event, payload });
    for (const client of wss.clients) if (client.readyState === client.OPEN) client.send(text);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  allowed = allowedHosts(options.host, port);
  const hostInUrl = options.host.includes(':') ? `[${options.host}]` : options.host;

  return {
    url: `http://${hostInUrl}:${port}/?token=${token}`,
    token,
    port,
    close: async () => {
      unsubscribe();
      for (const client of wss.clients) client.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      uploads.clear();
    },
  };
}

function attachSocket(ws: WebSocket, dispatch: Dispatch): void {
  ws.on('message', async (data) => {
    let request: { id?: unknown; call?: unknown; input?: unknown };
    try {
      request = JSON.parse(data.toString());
    } catch {
      ws.send(JSON.stringify({ id: null, result: { ok: false, error: { kind: 'bad-input', message: 'Messages must be JSON.' } } }));
      return;
    }
    const id = typeof request.id === 'number' ? request.id : null;
    const result = await dispatch(String(request.call), request.input);
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id, result }));
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

