// A local stand-in for the Hugging Face Hub, bound to 127.0.0.1 on a free port, speaking as much of its file API as
// @huggingface/hub (and huggingface_hub) use to download a model:
//   GET  /api/models?search=…&limit=…                        the search: repositories whose name contains it
//   GET  /api/models/{repo}/revision/{rev}?expand=…         model info with its commit `sha`
//   GET  /api/models/{repo}/tree/{rev}[/{path}]?recursive=…  the file listing (oid, size, lfs {oid: sha256, size}),
//                                                           paginated with a Link: <…>; rel="next" header
//   GET|HEAD /{repo}/resolve/{rev}/{file}                   small files directly (ETag: git blob sha1), LFS files as
//                                                           a 302 to /cdn/{sha256} (X-Linked-Etag, X-Linked-Size,
//                                                           X-Repo-Commit), both with Range requests (206)
// Errors as the Hub gives them: 401 + X-Error-Code RepoNotFound for an unknown repository, 404 RevisionNotFound,
// 404 EntryNotFound, 401/403 GatedRepo without / with the wrong token. Knobs let a test slow a file down, drop the
// connection part-way through, corrupt the bytes or ignore Range; every request is recorded.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface FakeRepo {
  files: Map<string, Buffer>; // path in the repository → bytes (sub-folders as 'onnx/model.onnx')
  commit: string;
  /** Files stored with LFS (sha256 blob names, served through a redirect); default: .safetensors, .bin, .onnx, .gguf, ≥ 1 MB. */
  lfs?: (path: string) => boolean;
  /** The token (hf_…) a gated repository needs. */
  gatedToken?: string;
  /** Extra refs besides main. */
  refs?: Record<string, string>;
}

export interface RecordedRequest {
  method: string;
  path: string;
  range: string | null;
  authorization: string | null;
}

export interface Knobs {
  /** Bytes per second for LFS bodies (0: as fast as possible). */
  bytesPerSecond: number;
  /** Destroy the socket after this many bytes of the next LFS body longer than that, once (then reset to null). */
  dropAfterBytes: number | null;
  /** Flip a byte in LFS bodies of 64 KiB or more (a corrupting proxy). */
  corrupt: boolean;
  /** Answer Range requests with the whole file (200). */
  ignoreRange: boolean;
  /** Report this size for LFS files in the tree listing instead of the real one (a repository too large for the disk). */
  fakeLfsSize: number | null;
}

export interface FakeHub {
  url: string;
  port: number;
  requests: RecordedRequest[];
  knobs: Knobs;
  close(): Promise<void>;
}

const PAGE = 4; // tree entries per page, so pagination is exercised

export const gitBlobSha1 = (data: Buffer): string => createHash('sha1').update(`blob ${data.length}\0`).update(data).digest('hex');
export const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

const defaultLfs = (path: string, size: number) => /\.(safetensors|bin|onnx|gguf|pt)$/.test(path) || size >= 1_000_000;

/** Every file of `folder` (recursively) keyed by its path inside it, plus `extra` files. */
export function repoFromFolder(folder: string, commit: string, extra: Record<string, Buffer | string> = {}): FakeRepo {
  const files = new Map<string, Buffer>();
  const walk = (dir: string, prefix: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path, `${prefix}${name}/`);
      else files.set(`${prefix}${name}`, readFileSync(path));
    }
  };
  walk(folder, '');
  for (const [k, v] of Object.entries(extra)) files.set(k, Buffer.isBuffer(v) ? v : Buffer.from(v));
  return { files, commit };
}

export async function startFakeHub(repos: Record<string, FakeRepo>): Promise<FakeHub> {
  const requests: RecordedRequest[] = [];
  const knobs: Knobs = { bytesPerSecond: 0, dropAfterBytes: null, corrupt: false, ignoreRange: false, fakeLfsSize: null };
  const isLfs = (repo: FakeRepo, path: string) => (repo.lfs ? repo.lfs(path) : defaultLfs(path, repo.files.get(path)!.length));
  const blobsBySha = new Map<string, Buffer>();
  for (const repo of Object.values(repos)) for (const [p, data] of repo.files) if (isLfs(repo, p)) blobsBySha.set(sha256(data), data);

  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  const hubError = (res: ServerResponse, status: number, code: string, message: string) => json(res, status, { error: message }, { 'X-Error-Code': code, 'X-Error-Message': message });

  /** The repository and the rest of the path, for `org/name/...` or a bare `name/...`. */
  const findRepo = (parts: string[]): { id: string; repo: FakeRepo; rest: string[] } | null => {
    if (parts.length >= 2 && repos[`${parts[0]}/${parts[1]}`]) return { id: `${parts[0]}/${parts[1]}`, repo: repos[`${parts[0]}/${parts[1]}`], rest: parts.slice(2) };
    if (parts.length >= 1 && repos[parts[0]]) return { id: parts[0], repo: repos[parts[0]], rest: parts.slice(1) };
    return null;
  };
  const commitOf = (repo: FakeRepo, rev: string): string | null => {
    if (rev === 'main' || rev === 'HEAD') return repo.commit;
    if (rev === repo.commit) return rev;
    return repo.refs?.[rev] ?? null;
  };
  /** null when allowed; otherwise the response has been sent. */
  const gate = (req: IncomingMessage, res: ServerResponse, repo: FakeRepo): boolean => {
    if (!repo.gatedToken) return false;
    const auth = req.headers.authorization ?? null;
    if (auth === `Bearer ${repo.gatedToken}`) return false;
    if (!auth) hubError(res, 401, 'GatedRepo', 'Access to this model is restricted. You must be authenticated to access it.');
    else hubError(res, 403, 'GatedRepo', 'Access to this model is restricted and you are not in the authorized list.');
    return true;
  };

  /** Sends data[start..end] (inclusive), throttled, dropped or corrupted as the knobs say. */
  const sendBody = (res: ServerResponse, data: Buffer, start: number, end: number, lfs: boolean) => {
    let body = data.subarray(start, end + 1);
    // only whole-file bodies (not the few bytes of a header read by range) are corrupted or dropped
    if (lfs && knobs.corrupt && body.length >= 65_536) {
      body = Buffer.from(body);
      body[body.length >> 1] ^= 0xff;
    }
    const drop = lfs && knobs.dropAfterBytes !== null && body.length > knobs.dropAfterBytes ? knobs.dropAfterBytes : null;
    if (drop !== null) knobs.dropAfterBytes = null;
    const rate = lfs ? knobs.bytesPerSecond : 0;
    if (!rate && drop === null) return void res.end(body);
    const chunk = rate ? Math.max(1024, Math.floor(rate / 20)) : 64 * 1024;
    let sent = 0;
    const next = () => {
      if (res.destroyed) return;
      if (drop !== null && sent >= drop) return void res.socket?.destroy();
      if (sent >= body.length) return void res.end();
      const piece = body.subarray(sent, Math.min(body.length, sent + chunk, drop ?? Infinity));
      sent += piece.length;
      res.write(piece);
      if (rate) setTimeout(next, 50);
      else setImmediate(next);
    };
    next();
  };

  const serveBytes = (req: IncomingMessage, res: ServerResponse, data: Buffer, headers: Record<string, string>, lfs: boolean) => {
    const total = data.length;
    const range = knobs.ignoreRange ? undefined : req.headers.range;
    const m = range?.match(/^bytes=(\d+)-(\d*)$/);
    if (m) {
      const start = Number(m[1]);
      const end = m[2] === '' ? total - 1 : Math.min(total - 1, Number(m[2]));
      if (start >= total || start > end) {
        res.writeHead(416, { 'Content-Range': `bytes */${total}` });
        return void res.end();
      }
      res.writeHead(206, { ...headers, 'Accept-Ranges': 'bytes', 'Content-Range': `bytes ${start}-${end}/${total}`, 'Content-Length': String(end - start + 1) });
      if (req.method === 'HEAD') return void res.end();
      return sendBody(res, data, start, end, lfs);
    }
    res.writeHead(200, { ...headers, 'Accept-Ranges': 'bytes', 'Content-Length': String(total) });
    if (req.method === 'HEAD') return void res.end();
    sendBody(res, data, 0, total - 1, lfs);
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({ method: req.method ?? 'GET', path: url.pathname + url.search, range: (req.headers.range as string) ?? null, authorization: req.headers.authorization ?? null });
    if (requests.length > 5000) return hubError(res, 429, 'TooManyRequests', 'too many requests in one test');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);

    // the CDN behind LFS redirects
    if (parts[0] === 'cdn' && parts.length === 2) {
      const data = blobsBySha.get(parts[1]);
      if (!data) return hubError(res, 404, 'EntryNotFound', 'no such blob');
      return serveBytes(req, res, data, { 'Content-Type': 'application/octet-stream', ETag: `"${parts[1]}"` }, true);
    }

    if (parts[0] === 'api' && parts[1] === 'models' && parts.length === 2) {
      // the search: names containing ?search=, at most ?limit=
      const query = (url.searchParams.get('search') ?? '').toLowerCase();
      const limit = Number(url.searchParams.get('limit') ?? 500);
      const matches = Object.entries(repos).filter(([id]) => id.toLowerCase().includes(query)).slice(0, limit);
      return json(res, 200, matches.map(([id, repo], i) => ({ _id: `id-${id}`, id, private: false, gated: repo.gatedToken ? 'manual' : false, downloads: 1000 - i, likes: 0, lastModified: '2025-01-01T00:00:00.000Z', pipeline_tag: 'text-generation' })));
    }
    if (parts[0] === 'api' && parts[1] === 'models') {
      const found = findRepo(parts.slice(2));
      if (!found) return hubError(res, 401, 'RepoNotFound', 'Repository not found');
      const { id, repo, rest } = found;
      if (rest[0] === 'revision' && rest.length >= 2) {
        const commit = commitOf(repo, rest.slice(1).join('/'));
        if (!commit) return hubError(res, 404, 'RevisionNotFound', `Invalid rev id: ${rest.slice(1).join('/')}`);
        return json(res, 200, { _id: `id-${id}`, id, sha: commit, private: false, gated: repo.gatedToken ? 'manual' : false, downloads: 0, likes: 0, lastModified: '2025-01-01T00:00:00.000Z', pipeline_tag: 'text-generation', siblings: [...repo.files.keys()].map((rfilename) => ({ rfilename })) });
      }
      if (rest[0] === 'tree' && rest.length >= 2) {
        if (gate(req, res, repo)) return;
        const commit = commitOf(repo, rest[1]);
        if (!commit) return hubError(res, 404, 'RevisionNotFound', `Invalid rev id: ${rest[1]}`);
        const prefix = rest.slice(2).join('/');
        const recursive = url.searchParams.get('recursive') === 'true';
        const entries: Record<string, unknown>[] = [];
        const dirs = new Set<string>();
        for (const [p, data] of [...repo.files].sort(([a], [b]) => a.localeCompare(b))) {
          if (prefix && !p.startsWith(`${prefix}/`)) continue;
          const rel = prefix ? p.slice(prefix.length + 1) : p;
          if (!recursive && rel.includes('/')) {
            const dir = (prefix ? `${prefix}/` : '') + rel.split('/')[0];
            if (!dirs.has(dir)) entries.push({ type: 'directory', oid: gitBlobSha1(Buffer.from(dir)), size: 0, path: dir });
            dirs.add(dir);
            continue;
          }
          const lfs = isLfs(repo, p);
          const size = lfs && knobs.fakeLfsSize !== null ? knobs.fakeLfsSize : data.length;
          entries.push({ type: 'file', oid: gitBlobSha1(lfs ? Buffer.from(`version https://git-lfs.github.com/spec/v1\noid sha256:${sha256(data)}\nsize ${data.length}\n`) : data), size, path: p, ...(lfs ? { lfs: { oid: sha256(data), size, pointerSize: 134 } } : {}) });
        }
        const cursor = Number(url.searchParams.get('cursor') ?? 0);
        const page = entries.slice(cursor, cursor + PAGE);
        const headers: Record<string, string> = {};
        if (cursor + PAGE < entries.length) {
          const next = new URL(url.toString());
          next.searchParams.set('cursor', String(cursor + PAGE));
          headers.Link = `<http://127.0.0.1:${(server.address() as AddressInfo).port}${next.pathname}${next.search}>; rel="next"`;
        }
        return json(res, 200, page, headers);
      }
      return hubError(res, 404, 'EntryNotFound', `unknown API path ${url.pathname}`);
    }

    // /{repo}/resolve/{rev}/{file}
    const found = findRepo(parts);
    if (!found || found.rest[0] !== 'resolve' || found.rest.length < 3) return hubError(res, 401, 'RepoNotFound', 'Repository not found');
    const { repo, rest } = found;
    if (gate(req, res, repo)) return;
    const commit = commitOf(repo, rest[1]);
    if (!commit) return hubError(res, 404, 'RevisionNotFound', `Invalid rev id: ${rest[1]}`);
    const file = rest.slice(2).join('/');
    const data = repo.files.get(file);
    if (!data) return hubError(res, 404, 'EntryNotFound', `${file} does not exist`);
    if (isLfs(repo, file)) {
      const oid = sha256(data);
      res.writeHead(302, { Location: `/cdn/${oid}`, 'X-Linked-Etag': `"${oid}"`, 'X-Linked-Size': String(data.length), 'X-Repo-Commit': commit, ETag: `"${oid}"` });
      return void res.end();
    }
    serveBytes(req, res, data, { 'Content-Type': 'text/plain; charset=utf-8', ETag: `"${gitBlobSha1(data)}"`, 'X-Repo-Commit': commit }, false);
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    knobs,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
