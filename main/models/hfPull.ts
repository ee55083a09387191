// `tunebench models pull org/name[@revision]`: a model downloaded by name through the official @huggingface/hub
// client (modelInfo for the commit, listFiles for the tree, fileDownloadInfo + downloadFile for each file) into the
// Hugging Face cache in the layout Python tools write (blobs/<sha256 or git sha1>, snapshots/<commit>/<file>
// symlinks, refs/<revision>), so Python and Tunebench share it. HF_ENDPOINT and HF_TOKEN are honoured.
//
// Only the files a model needs (config, tokenizer files, the safetensors weights and their index, licences) are
// fetched, and only after the repository is known to be runnable: config.json is checked by its family and every
// weight file's safetensors header (read by range) against the tensors that config implies, before any weights.
// Each file goes to blobs/<etag>.incomplete, is resumed from where an earlier pull stopped (a Range request), hashed
// (sha256 for LFS files, git's blob sha1 for small ones) and checked against the tree's and the server's ETag, then
// renamed; the snapshot's symlinks are made only when every blob is complete, config.json last, so the cache never
// shows a half-downloaded model.
import { createHash, type Hash } from 'node:crypto';
import { copyFileSync, createReadStream, existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, renameSync, rmSync, statfsSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { downloadFile, fileDownloadInfo, HubApiError, listFiles, listModels, modelInfo, type FileDownloadInfoOutput, type ListFileEntry } from '@huggingface/hub';
import type { HubModel, PullProgress } from '../../common/contracts/models';
import { badInput, notFound, TunebenchError } from '../../common/result';
import { SHARD_INDEX, SINGLE_FILE } from '../trainer/decoder/weightFiles';
import { familyOfConfig, type HfConfig } from '../trainer/families';
import { formatBytes } from '../cli/progress';
import { cachedModelId, checkRepoName, checkRevision, COMMIT, hubCacheDir, repoFolderName } from './hfCache';
import { inspectHfFolder, type HfFolderInfo } from './hfFolder';

export const DEFAULT_HUB = 'https://huggingface.co';

/** Files beside the weights that a model needs or carries (its licence), by exact name. */
const COMPANIONS = new Set(['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer.model', 'tokenizer_config.json', 'special_tokens_map.json', 'chat_template.jinja', 'chat_template.json', 'README.md']);
const NOTICE = /^(LICEN[CS]E|NOTICE|COPYING)(\.(txt|md))?$/i;
const SAFE_DTYPES = new Set(['F32', 'F16', 'BF16']);
const MAX_TREE_ENTRIES = 100_000;
const MAX_REQUESTS = 20_000;
const MAX_SMALL_FILE = 256 * 1024 ** 2; // a tokenizer.json is tens of MB at most
const MAX_HEADER = 100_000_000;

export interface PullOptions {
  repo: string;
  revision?: string;
  cacheDir?: string; // default: HF_HUB_CACHE / HF_HOME/hub / ~/.cache/huggingface/hub
  hubUrl?: string; // default: HF_ENDPOINT, else https://huggingface.co
  accessToken?: string; // default: HF_TOKEN, else the token file huggingface-cli login writes
  signal?: AbortSignal;
  onProgress?: (p: Omit<PullProgress, 'requestId'>) => void;
  idleTimeoutMs?: number; // no byte and no answer for this long: the connection is given up (default 60 s)
}

export interface PullResult {
  id: string; // hf:org/name[@revision]
  repo: string;
  revision: string;
  commit: string;
  path: string; // the snapshot folder
  files: { name: string; bytes: number; downloaded: number }[];
  totalBytes: number;
  downloadedBytes: number;
  info: HfFolderInfo;
}

/** HF_ENDPOINT without a trailing slash, checked. */
export function hubUrlOf(env: NodeJS.ProcessEnv = process.env): string {
  const raw = env.HF_ENDPOINT?.trim() || DEFAULT_HUB;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw badInput(`HF_ENDPOINT '${raw}' is not a URL; set it to the Hub's address, for example https://huggingface.co.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw badInput(`HF_ENDPOINT '${raw}' is not an http(s) URL.`);
  return raw.replace(/\/+$/, '');
}

/** HF_TOKEN, else HUGGING_FACE_HUB_TOKEN, else the file `huggingface-cli login` writes (HF_TOKEN_PATH or HF_HOME/token). */
export function hubTokenOf(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const token = env.HF_TOKEN?.trim() || env.HUGGING_FACE_HUB_TOKEN?.trim();
  if (token) return token;
  const file = env.HF_TOKEN_PATH || join(env.HF_HOME || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'huggingface'), 'token');
  try {
    const saved = readFileSync(file, 'utf8').trim();
    return saved || undefined;
  } catch {
    return undefined;
  }
}

/** Parses `org/name[@revision]`. */
export function parsePullName(spec: string): { repo: string; revision: string } {
  const at = spec.indexOf('@');
  const repo = at < 0 ? spec : spec.slice(0, at);
  const revision = at < 0 ? 'main' : spec.slice(at + 1);
  checkRepoName(repo);
  checkRevision(revision);
  return { repo, revision };
}

// ---------------------------------------------------------------------------------------------------------------
// One pull's connection to the Hub: every request goes through this fetch, which counts them (bounded), shares one
// abort signal (the caller's cancel, or the idle watchdog), and remembers the last failure so a thrown error can be
// explained in one sentence (the client's errors lose the X-Error-Code header and the network cause).

interface Failure {
  status?: number;
  code?: string | null; // X-Error-Code: RepoNotFound, RevisionNotFound, EntryNotFound, GatedRepo
  message?: string | null;
  network?: string; // ECONNREFUSED, ENOTFOUND, …
}

class HubSession {
  readonly controller = new AbortController();
  lastFailure: Failure | null = null;
  lastStatus = 0;
  requests = 0;
  lastActivity = Date.now();
  abortReason: 'cancelled' | 'stalled' | null = null;
  private readonly watchdog: NodeJS.Timeout;

  constructor(
    readonly hubUrl: string,
    readonly accessToken: string | undefined,
    private readonly userSignal: AbortSignal | undefined,
    idleMs: number,
  ) {
    const onAbort = () => this.abort('cancelled');
    if (userSignal?.aborted) onAbort();
    userSignal?.addEventListener('abort', onAbort, { once: true });
    this.watchdog = setInterval(() => {
      if (Date.now() - this.lastActivity > idleMs) this.abort('stalled');
    }, Math.min(1000, idleMs));
    this.watchdog.unref();
  }

  abort(reason: 'cancelled' | 'stalled'): void {
    if (this.controller.signal.aborted) return;
    this.abortReason = reason;
    this.controller.abort(new Error(reason));
  }

  close(): void {
    clearInterval(this.watchdog);
  }

  touch(): void {
    this.lastActivity = Date.now();
  }

  readonly fetch: typeof fetch = async (input, init) => {
    if (++this.requests > MAX_REQUESTS) throw new TunebenchError('internal', `Gave up after ${MAX_REQUESTS} requests to ${this.hubUrl}.`);
    if (this.controller.signal.aborted) throw this.controller.signal.reason;
    this.lastFailure = null;
    this.touch();
    let response: Response;
    try {
      response = await fetch(input, { ...init, signal: this.controller.signal });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      this.lastFailure = { network: cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err)) };
      throw err;
    }
    this.touch();
    this.lastStatus = response.status;
    if (!response.ok) this.lastFailure = { status: response.status, code: response.headers.get('x-error-code'), message: response.headers.get('x-error-message') };
    return response;
  };

  params() {
    return { hubUrl: this.hubUrl, fetch: this.fetch, ...(this.accessToken ? { accessToken: this.accessToken } : {}) };
  }
}

// ---------------------------------------------------------------------------------------------------------------

/** What a failed request means for the user, in one sentence. */
function explain(err: unknown, session: HubSession, o: { repo: string; revision: string; file?: string; partial?: { done: number; size: number } }): TunebenchError {
  if (err instanceof TunebenchError) return err;
  const code = (err as NodeJS.ErrnoException)?.code;
  const name = `${o.repo}${o.revision === 'main' ? '' : `@${o.revision}`}`;
  const resume = `what arrived is kept: \`tunebench models pull ${name}\` resumes it`;
  if (code === 'ENOSPC') return new TunebenchError('unavailable', `The disk holding the Hugging Face cache is full (writing ${o.file ?? 'a file'} of ${o.repo}); free some space or set HF_HUB_CACHE to a folder on a larger disk, then pull again: ${resume}.`);
  if (code === 'EACCES' || code === 'EROFS' || code === 'EPERM') return new TunebenchError('unavailable', `Cannot write to the Hugging Face cache (${(err as Error).message}); set HF_HUB_CACHE to a folder you can write.`);
  if (session.abortReason === 'cancelled') return new TunebenchError('cancelled', `The download of ${o.repo} was cancelled; ${resume}.`);
  if (session.abortReason === 'stalled') return new TunebenchError('unavailable', `${session.hubUrl} stopped answering while ${o.file ? `downloading ${o.file}` : 'looking up the model'}; ${resume}.`);
  const f = session.lastFailure;
  const status = err instanceof HubApiError ? err.statusCode : f?.status;
  if (status !== undefined && status >= 400) {
    const hubCode = f?.status === status ? f.code : null;
    const page = `${session.hubUrl}/${o.repo}`;
    if (hubCode === 'GatedRepo' || status === 403) {
      return badInput(`${o.repo} is gated or private: ${session.accessToken ? 'the token in HF_TOKEN has no access to it — ' : ''}accept its terms at ${page} and set HF_TOKEN to an access token (hf_…) of that account.`);
    }
    if (hubCode === 'RevisionNotFound') return notFound(`${o.repo} has no revision '${o.revision}' (a branch, tag or commit) on ${session.hubUrl}.`);
    if (hubCode === 'EntryNotFound') return notFound(`${o.repo} has no file ${o.file ?? ''} at ${o.revision} on ${session.hubUrl}.`);
    if (hubCode === 'RepoNotFound' || status === 404) {
      return notFound(`There is no model ${o.repo}${o.revision === 'main' ? '' : ` at revision '${o.revision}'`} on ${session.hubUrl}${session.accessToken ? '' : ' (if it is private, set HF_TOKEN to an access token that can read it)'}.`);
    }
    if (status === 401) {
      return badInput(session.accessToken ? `${session.hubUrl} refused the token in HF_TOKEN (invalid or expired) for ${o.repo}; set HF_TOKEN to a valid access token (hf_…).` : `${o.repo} needs you to log in: set HF_TOKEN to an access token (hf_…) that can read it.`);
    }
    if (status === 429) return new TunebenchError('unavailable', `${session.hubUrl} is limiting requests (429 Too Many Requests); try again in a few minutes: ${resume}.`);
    return new TunebenchError('unavailable', `${session.hubUrl} answered ${status}${f?.message ? ` (${f.message})` : ''} for ${o.file ?? o.repo}; try again later: ${resume}.`);
  }
  if (f?.network) {
    const why = f.network === 'ECONNREFUSED' ? 'connection refused' : f.network === 'ENOTFOUND' || f.network === 'EAI_AGAIN' ? 'the name does not resolve' : f.network;
    return new TunebenchError('unavailable', `Cannot reach ${session.hubUrl} (${why}): check the network, or set HF_ENDPOINT to a mirror you can reach${o.file ? `; ${resume}` : ''}.`);
  }
  if (o.partial) {
    return new TunebenchError('unavailable', `The connection to ${session.hubUrl} dropped while downloading ${o.file} (${formatBytes(o.partial.done)} of ${formatBytes(o.partial.size)}); ${resume}.`);
  }
  if (err instanceof TypeError && /access token/i.test(err.message)) return badInput(`HF_TOKEN is not a Hugging Face access token: ${err.message.replace(/\.$/, '')} (hf_…).`);
  const message = err instanceof Error ? err.message : String(err);
  return new TunebenchError('internal', `Downloading ${o.repo} failed: ${message}`);
}

/** The blob name Python gives a file: its sha256 for LFS files, git's blob sha1 otherwise. */
function blobNameOf(entry: ListFileEntry): string {
  const name = entry.lfs?.oid ?? entry.oid;
  if (!name || !/^[0-9a-f]{40}$|^[0-9a-f]{64}$/.test(name)) throw new TunebenchError('internal', `The Hub's listing gives ${entry.path} no usable hash (${String(name)}).`);
  return name;
}

const normalizeEtag = (etag: string): string => etag.replace(/^W\//, '').replace(/^"|"$/g, '');

interface Planned {
  entry: ListFileEntry;
  name: string; // path in the repository (top level)
  blob: string; // blob file name
  size: number;
}

/** sha256 of the content (LFS) or git's sha1 of "blob <size>\0" + content (a small file's git oid). */
function hasherFor(p: Planned): Hash {
  if (p.entry.lfs) return createHash('sha256');
  const h = createHash('sha1');
  h.update(`blob ${p.size}\0`);
  return h;
}

async function hashFile(path: string, hash: Hash): Promise<void> {
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
}

class Meter {
  private readonly started = Date.now();
  private readonly samples: { t: number; bytes: number }[] = [];
  done: number;
  filesDone = 0;
  file: string | null = null;

  constructor(
    readonly repo: string,
    readonly total: number,
    already: number,
    readonly files: number,
    private readonly onProgress?: PullOptions['onProgress'],
  ) {
    this.done = already;
    this.samples.push({ t: this.started, bytes: already });
  }

  add(n: number): void {
    this.done += n;
    this.report('downloading');
  }

  report(phase: PullProgress['phase']): void {
    const now = Date.now();
    this.samples.push({ t: now, bytes: this.done });
    while (this.samples.length > 2 && now - this.samples[0].t > 5000) this.samples.shift();
    const first = this.samples[0];
    const seconds = (now - first.t) / 1000;
    const speed = seconds > 0.2 ? Math.max(0, (this.done - first.bytes) / seconds) : 0;
    const left = Math.max(0, this.total - this.done);
    this.onProgress?.({ repo: this.repo, phase, file: this.file, bytes: this.done, totalBytes: this.total, bytesPerSecond: speed, etaSeconds: speed > 0 ? left / speed : left === 0 ? 0 : null, filesDone: this.filesDone, files: this.files });
  }
}

/** Downloads `org/name[@revision]` into the cache; see the file's header. */
/**
 * Models on the Hub whose name contains `query` (its /api/models search), most downloaded first: what the Settings
 * panel offers to download. Text-generation models and those without a task; errors in one sentence as for a pull.
 */
export async function searchModels(o: { query: string; limit?: number; hubUrl?: string; accessToken?: string; signal?: AbortSignal }): Promise<HubModel[]> {
  const query = o.query.trim();
  if (query.length < 2 || query.length > 100) throw badInput('A Hub search needs 2 to 100 characters.');
  const session = new HubSession(o.hubUrl ?? hubUrlOf(), o.accessToken ?? hubTokenOf(), o.signal, 30_000);
  try {
    const found: HubModel[] = [];
    for await (const m of listModels({ search: { query }, sort: 'downloads', limit: o.limit ?? 20, ...session.params() })) {
      if (m.task && m.task !== 'text-generation') continue;
      found.push({ repo: m.name, downloads: m.downloads ?? 0, likes: m.likes ?? 0, gated: Boolean(m.gated), task: m.task ?? null });
    }
    return found;
  } catch (err) {
    throw explain(err, session, { repo: `models matching '${query}'`, revision: 'main' });
  } finally {
    session.close();
  }
}

export async function pullModel(o: PullOptions): Promise<PullResult> {
  const repo = o.repo;
  const revision = o.revision ?? 'main';
  checkRepoName(repo);
  checkRevision(revision);
  const cacheDir = o.cacheDir ?? hubCacheDir();
  const session = new HubSession(o.hubUrl ?? hubUrlOf(), o.accessToken ?? hubTokenOf(), o.signal, o.idleTimeoutMs ?? 60_000);
  const ctx: { repo: string; revision: string; file?: string; partial?: { done: number; size: number } } = { repo, revision };
  const repoDir = join(cacheDir, repoFolderName(repo));
  let release: (() => void) | null = null;
  try {
    // 1. the commit the revision names, and the files at that commit
    const info = await modelInfo({ name: repo, revision, additionalFields: ['sha'], ...session.params() });
    const commit = (info as { sha?: string }).sha;
    if (!commit || !COMMIT.test(commit)) throw new TunebenchError('internal', `${session.hubUrl} gave no commit hash for ${repo} at ${revision}.`);
    const tree: ListFileEntry[] = [];
    for await (const entry of listFiles({ repo, revision: commit, recursive: false, ...session.params() })) {
      if (tree.length >= MAX_TREE_ENTRIES) throw new TunebenchError('internal', `${repo} lists more than ${MAX_TREE_ENTRIES} files; Tunebench stopped reading its tree.`);
      tree.push(entry);
    }
    const top = new Map(tree.filter((e) => e.type === 'file' && !e.path.includes('/')).map((e) => [e.path, e]));
    const planned = (name: string): Planned => {
      const entry = top.get(name)!;
      return { entry, name, blob: blobNameOf(entry), size: entry.lfs?.size ?? entry.size };
    };
    mkdirSync(join(repoDir, 'blobs'), { recursive: true });
    release = lockRepo(cacheDir, repo);

    // 2. runnable? config.json by its family, weights as safetensors, a tokenizer — before any weights are fetched
    const label = `${repo}/config.json`;
    if (!top.has('config.json')) throw badInput(`${repo} has no config.json at ${revision}; Tunebench runs Hugging Face transformers models (config.json, safetensors weights, a tokenizer).`);
    const small = async (name: string): Promise<string> => {
      const p = planned(name);
      if (p.size > MAX_SMALL_FILE) throw badInput(`${repo}/${name} is ${formatBytes(p.size)}, too large for a ${name}.`);
      ctx.file = name;
      await fetchBlob(session, repoDir, repo, commit, p, null, ctx);
      ctx.file = undefined;
      ctx.partial = undefined;
      return join(repoDir, 'blobs', p.blob);
    };
    let config: HfConfig;
    try {
      config = JSON.parse(readFileSync(await small('config.json'), 'utf8')) as HfConfig;
    } catch (err) {
      if (err instanceof SyntaxError) throw badInput(`${label} is not valid JSON.`);
      throw err;
    }
    if (typeof config !== 'object' || config === null || Array.isArray(config)) throw badInput(`${label} is not a JSON object.`);
    const family = familyOfConfig(config, label);
    const spec = family.toSpec(config, label);
    let weights: string[];
    if (top.has(SHARD_INDEX)) {
      const indexFile = await small(SHARD_INDEX);
      let index: { weight_map?: Record<string, unknown> };
      try {
        index = JSON.parse(readFileSync(indexFile, 'utf8')) as typeof index;
      } catch {
        throw badInput(`${repo}/${SHARD_INDEX} is not valid JSON.`);
      }
      const map = index?.weight_map;
      if (typeof map !== 'object' || map === null) throw badInput(`${repo}/${SHARD_INDEX} has no weight_map.`);
      weights = [...new Set(Object.values(map))].map(String);
      for (const w of weights) {
        if (w.includes('/') || !w.endsWith('.safetensors')) throw badInput(`${repo}/${SHARD_INDEX} names ${JSON.stringify(w)}, not a .safetensors file beside it.`);
        if (!top.has(w)) throw badInput(`${repo}/${SHARD_INDEX} names ${w}, which the repository does not have.`);
      }
    } else if (top.has(SINGLE_FILE)) weights = [SINGLE_FILE];
    else {
      const other = [...top.keys()].filter((f) => /\.(bin|pt|pth|gguf|ckpt|h5|msgpack|onnx|safetensors)$/.test(f));
      throw badInput(`${repo} has no ${SINGLE_FILE} (nor a sharded ${SHARD_INDEX})${other.length ? `, only ${other.slice(0, 4).join(', ')}${other.length > 4 ? ', …' : ''}` : ''}; Tunebench reads safetensors weights.`);
    }
    if (!top.has('tokenizer.json') && !(family.id === 'llama' && top.has('tokenizer.model'))) {
      throw badInput(`${repo} has no tokenizer.json${family.id === 'llama' ? ' (nor a SentencePiece tokenizer.model)' : ''}; Tunebench needs the model's tokenizer.`);
    }
    const complete = (p: Planned) => sizeOf(join(repoDir, 'blobs', p.blob)) === p.size;
    if (!weights.map(planned).every(complete)) await checkRemoteHeaders(session, repo, commit, weights.map(planned), family, spec, ctx);

    // 3. everything else it needs, small files first, after checking the disk can hold it
    const names = [...new Set(['config.json', ...[...top.keys()].filter((f) => COMPANIONS.has(f) || NOTICE.test(f)), ...(top.has(SHARD_INDEX) ? [SHARD_INDEX] : []), ...weights])];
    const plan = names.map(planned);
    const have = complete;
    const partialOf = (p: Planned) => Math.min(p.size, sizeOf(join(repoDir, 'blobs', `${p.blob}.incomplete`)) ?? 0);
    const total = plan.reduce((n, p) => n + p.size, 0);
    const already = plan.reduce((n, p) => n + (have(p) ? p.size : partialOf(p)), 0);
    checkFreeSpace(join(repoDir, 'blobs'), total - already, repo, cacheDir);
    const meter = new Meter(repo, total, already, plan.length, o.onProgress);
    meter.report('checking');
    const downloaded = new Map<string, number>();
    for (const p of [...plan].sort((a, b) => a.size - b.size)) {
      meter.file = p.name;
      ctx.file = p.name;
      if (have(p)) {
        meter.filesDone++;
        continue;
      }
      const before = meter.done;
      await fetchBlob(session, repoDir, repo, commit, p, meter, ctx);
      downloaded.set(p.name, meter.done - before);
      ctx.partial = undefined;
      meter.filesDone++;
    }
    ctx.file = undefined;

    // 4. the snapshot: a relative symlink per file, config.json last; then the ref
    meter.file = null;
    meter.report('verifying');
    const snapshot = join(repoDir, 'snapshots', commit);
    mkdirSync(snapshot, { recursive: true });
    for (const p of [...plan.filter((p) => p.name !== 'config.json'), planned('config.json')]) linkBlob(snapshot, p);
    if (revision !== commit) writeRef(join(repoDir, 'refs', revision), commit);
    const now = new Date();
    utimesSync(snapshot, now, now); // newer than any .incomplete blob: the cache lists it again
    let folder: HfFolderInfo;
    try {
      folder = inspectHfFolder(snapshot);
    } catch (err) {
      throw badInput(`${repo} was downloaded to ${snapshot}, but Tunebench cannot run it: ${err instanceof Error ? err.message : String(err)}`);
    }
    meter.report('done');
    const id = cachedModelId(repo, revision);
    return {
      id,
      repo,
      revision,
      commit,
      path: snapshot,
      files: plan.map((p) => ({ name: p.name, bytes: p.size, downloaded: downloaded.get(p.name) ?? 0 })),
      totalBytes: total,
      downloadedBytes: [...downloaded.values()].reduce((a, b) => a + b, 0),
      info: folder,
    };
  } catch (err) {
    throw explain(err, session, ctx);
  } finally {
    session.close();
    release?.();
  }
}

function sizeOf(path: string): number | null {
  try {
    return statSync(path).size;
  } catch {
    return null;
  }
}

/** Downloads one file into blobs/<name>: resumed from its .incomplete, hashed, checked, renamed. */
async function fetchBlob(session: HubSession, repoDir: string, repo: string, commit: string, p: Planned, meter: Meter | null, ctx: { partial?: { done: number; size: number } }): Promise<void> {
  const blobPath = join(repoDir, 'blobs', p.blob);
  if (sizeOf(blobPath) === p.size) return;
  const incomplete = `${blobPath}.incomplete`;
  let offset = sizeOf(incomplete) ?? 0;
  if (offset > p.size) {
    rmSync(incomplete, { force: true });
    offset = 0;
  }
  const info: FileDownloadInfoOutput | null = await fileDownloadInfo({ repo, path: p.name, revision: commit, ...session.params() });
  if (!info) throw notFound(`${repo} lists ${p.name}, but ${session.hubUrl} has no such file at ${commit}.`);
  if (info.size !== p.size) throw new TunebenchError('internal', `${session.hubUrl} gives ${p.name} ${info.size} bytes, its tree listing ${p.size}; try again later.`);
  // the server's ETag (X-Linked-Etag for LFS files) names the same content as the tree; xet answers carry their own hash
  if (!info.xet && /^[0-9a-f]{40}$|^[0-9a-f]{64}$/.test(normalizeEtag(info.etag)) && normalizeEtag(info.etag) !== p.blob) {
    throw new TunebenchError('internal', `${session.hubUrl} gives ${p.name} the ETag ${normalizeEtag(info.etag)}, its tree listing ${p.blob}; the file changed or a proxy altered it: try again later.`);
  }
  let hash = hasherFor(p);
  if (offset > 0) await hashFile(incomplete, hash);
  const partial = { done: offset, size: p.size };
  ctx.partial = partial;
  const file = await open(incomplete, offset > 0 ? 'a' : 'w');
  let written = offset;
  try {
    if (written < p.size) {
      const blob = await downloadFile({ repo, path: p.name, revision: commit, downloadInfo: info, ...session.params() });
      if (!blob) throw notFound(`${repo} lists ${p.name}, but ${session.hubUrl} has no such file at ${commit}.`);
      const reader = (offset > 0 ? blob.slice(offset) : blob).stream().getReader();
      let first = true;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        session.touch();
        if (first && offset > 0 && session.lastStatus === 200) {
          // the server ignored the Range header and sends the whole file: take it from the start
          await file.truncate(0);
          hash = hasherFor(p);
          meter?.add(-written);
          written = 0;
        }
        first = false;
        if (written + value.byteLength > p.size) throw new TunebenchError('internal', `${session.hubUrl} sent more than the ${p.size} bytes of ${p.name}.`);
        await file.write(value);
        hash.update(value);
        written += value.byteLength;
        partial.done = written;
        meter?.add(value.byteLength);
      }
    }
  } finally {
    await file.close();
  }
  if (written !== p.size) {
    throw Object.assign(new Error(`${p.name} ended after ${written} of ${p.size} bytes`), { code: 'ECONNRESET' });
  }
  const digest = hash.digest('hex');
  if (digest !== p.blob) {
    rmSync(incomplete, { force: true });
    throw new TunebenchError('internal', `${p.name} of ${repo} arrived with ${p.entry.lfs ? 'sha256' : 'git sha1'} ${digest}, not the ${p.blob} the Hub lists; the download was discarded: pull again.`);
  }
  renameSync(incomplete, blobPath);
}

/** Every weight file's safetensors header, read by range: the tensors config.json implies, with their shapes and dtypes. */
async function checkRemoteHeaders(
  session: HubSession,
  repo: string,
  commit: string,
  files: Planned[],
  family: ReturnType<typeof familyOfConfig>,
  spec: ReturnType<ReturnType<typeof familyOfConfig>['toSpec']>,
  ctx: { file?: string },
): Promise<void> {
  const bare = family.bareName ?? ((n: string) => n);
  const found = new Map<string, { shape: number[]; file: string }>();
  for (const p of files) {
    ctx.file = p.name;
    let header: Record<string, { dtype?: string; shape?: number[] }>;
    const info = await fileDownloadInfo({ repo, path: p.name, revision: commit, ...session.params() });
    if (!info) throw notFound(`${repo} lists ${p.name}, but ${session.hubUrl} has no such file at ${commit}.`);
    const blob = await downloadFile({ repo, path: p.name, revision: commit, downloadInfo: info, ...session.params() });
    if (!blob || blob.size < 8) throw badInput(`${repo}/${p.name} is too short to be a safetensors file.`);
    const length = Number(new DataView(await blob.slice(0, 8).arrayBuffer()).getBigUint64(0, true));
    if (length > MAX_HEADER || 8 + length > blob.size) throw badInput(`${repo}/${p.name} is not a safetensors file (a header of ${length} bytes in ${blob.size}).`);
    try {
      header = JSON.parse(await blob.slice(8, 8 + length).text()) as typeof header;
    } catch {
      throw badInput(`${repo}/${p.name} has a safetensors header that is not JSON.`);
    }
    for (const [name, t] of Object.entries(header)) {
      if (name === '__metadata__') continue;
      if (!SAFE_DTYPES.has(String(t?.dtype))) throw badInput(`${repo}/${p.name}: tensor ${name} has dtype ${String(t?.dtype)}; Tunebench reads F32, F16 and BF16 (not quantized weights).`);
      found.set(bare(name), { shape: Array.isArray(t.shape) ? t.shape : [], file: p.name });
    }
  }
  ctx.file = undefined;
  for (const [name, shape] of family.checkpointShapes(spec)) {
    const t = found.get(name);
    if (!t) throw badInput(`${repo}: the weights have no tensor ${name}, which config.json implies.`);
    if (t.shape.join() !== shape.join()) throw badInput(`${repo}/${t.file}: tensor ${name} has shape [${t.shape}], config.json implies [${shape}].`);
  }
}

function checkFreeSpace(dir: string, needed: number, repo: string, cacheDir: string): void {
  if (needed <= 0) return;
  let free: number;
  try {
    const s = statfsSync(dir);
    free = Number(s.bavail) * Number(s.bsize);
  } catch {
    return; // unknown: writing will tell
  }
  if (needed > free) {
    throw new TunebenchError('unavailable', `${repo} needs ${formatBytes(needed)} more and the disk holding ${cacheDir} has ${formatBytes(free)} free; free some space or set HF_HUB_CACHE to a folder on a larger disk.`);
  }
}

/** snapshots/<commit>/<file> → ../../blobs/<blob>, as huggingface_hub links them (a copy where links are refused). */
function linkBlob(snapshot: string, p: Planned): void {
  const link = join(snapshot, p.name);
  const target = join('..', '..', 'blobs', p.blob);
  try {
    if (lstatSync(link).isSymbolicLink() && readlinkSync(link) === target) return;
    rmSync(link, { force: true });
  } catch {
    // absent
  }
  try {
    symlinkSync(target, link);
  } catch {
    copyFileSync(join(snapshot, target), link);
  }
}

function writeRef(file: string, commit: string): void {
  mkdirSync(dirname(file), { recursive: true });
  if (existsSync(file) && readFileSync(file, 'utf8').trim() === commit) return;
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, commit);
  renameSync(tmp, file);
}

/** One pull per repository at a time, across processes: a lock file holding the pulling process's id. */
function lockRepo(cacheDir: string, repo: string): () => void {
  const file = join(cacheDir, '.locks', repoFolderName(repo), 'tunebench-pull.lock');
  mkdirSync(dirname(file), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => rmSync(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) {
        throw new TunebenchError('conflict', `Another pull of ${repo} is under way (process ${pid}); wait for it to finish, or stop it.`);
      }
      rmSync(file, { force: true }); // left by a process that is gone
    }
  }
  throw new TunebenchError('conflict', `Could not lock ${file} for the pull of ${repo}.`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
