// The Hugging Face cache and `models pull`, through the built CLI against a local stand-in for the Hub
// (tests/helpers/fakeHub.ts, 127.0.0.1 only) serving a random-weight SmolLM2-layout model (make_hf_model.py, one block,
// 640 tokens, two bf16 shards) with its tokenizer files, beside files Tunebench must not fetch (pytorch_model.bin,
// onnx/, a .gguf). Checked: the cache layout file by file as Python writes it (blobs by sha256 / git sha1, relative
// snapshot symlinks, refs/main), the pulled model in `models list` and in a short training run read in place; a
// download resumed after the process is killed and after the server drops the connection; a cache written by hand the
// way Python tools write it, listed and used without a copy, with the models it cannot run listed with the reason;
// and the refusals: offline, unknown repository or revision, gated without / with a wrong token, a family Tunebench
// does not run, weights only as .bin, a disk too small, a full disk, corrupted bytes.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubModel, ListedModel } from '../../common/contracts/models';
import { assertBuilt, CLI, tempDir } from '../helpers/cli';
import { gitBlobSha1, repoFromFolder, sha256, startFakeHub, type FakeHub, type FakeRepo } from '../helpers/fakeHub';
import { familyTokenizer, GPT2_BPE_DIR, writeFamilyTokenizer } from '../helpers/familyTokenizers';
import { corpusLines, writeFixture } from '../helpers/fixtures';
import { makeHfModel, NO_TORCH, torchAvailable } from '../helpers/hfReference';

const ready = torchAvailable && existsSync(GPT2_BPE_DIR);
if (!torchAvailable) console.warn(`hfCache.test: ${NO_TORCH}`);
else if (!ready) console.warn(`hfCache.test: ${GPT2_BPE_DIR} is absent (the tokenizer files are built from it); skipping.`);

const COMMIT = 'a'.repeat(8) + '0123456789abcdef0123456789abcdef';
const REPO = 'tb-test/smol';
const NEEDED = ['LICENSE', 'README.md', 'config.json', 'generation_config.json', 'model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors', 'model.safetensors.index.json', 'special_tokens_map.json', 'tokenizer.json', 'tokenizer_config.json'];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The built CLI, asynchronously (the fake Hub answers from this process), with its own environment. */
function cli(args: string[], env: Record<string, string>, o: { onSpawn?: (kill: () => void) => void; timeoutMs?: number } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(HF_|HUGGING)/.test(k)));
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...clean, HF_HOME: join(env.HF_HUB_CACHE ?? tempDir(), '..', 'hf-home'), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 240_000);
    o.onSpawn?.(() => child.kill('SIGKILL'));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const json = <T>(r: Run): T => {
  if (r.code !== 0) throw new Error(`exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
};

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const waitFor = async (what: string, test: () => boolean, ms = 60_000) => {
  const until = Date.now() + ms;
  while (!test()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

const repoDir = (cache: string, repo: string) => join(cache, `models--${repo.replace('/', '--')}`);
const incompleteBytes = (cache: string, repo: string) => {
  const blobs = join(repoDir(cache, repo), 'blobs');
  if (!existsSync(blobs)) return 0;
  return readdirSync(blobs).filter((b) => b.endsWith('.incomplete')).reduce((n, b) => n + statSync(join(blobs, b)).size, 0);
};

describe.skipIf(!ready)('the Hugging Face cache and models pull', () => {
  let folder: string;
  let hub: FakeHub;
  let repos: Record<string, FakeRepo>;
  const stories = () => writeFixture(tempDir(), 'stories.txt', `${corpusLines(40).join('\n')}\n`);
  const envFor = (cache: string, extra: Record<string, string> = {}) => ({ HF_ENDPOINT: hub.url, HF_HUB_CACHE: cache, ...extra });
  const pull = (dataDir: string, cache: string, name: string, extra: Record<string, string> = {}, o?: Parameters<typeof cli>[2]) => cli(['--data-dir', dataDir, 'models', 'pull', name, '--json'], envFor(cache, extra), o);
  const list = async (dataDir: string, cache: string) => json<ListedModel[]>(await cli(['--data-dir', dataDir, 'models', 'list', '--json'], envFor(cache)));

  beforeAll(async () => {
    assertBuilt();
    folder = makeHfModel({ shape: 'smollm2-135m', layers: 1, vocab: 640, dtype: 'bf16', shards: 2 });
    writeFamilyTokenizer(folder, familyTokenizer('smollm2', 640));
    const extra = {
      'README.md': '---\nlicense: apache-2.0\nlibrary_name: transformers\n---\n# smol\n',
      LICENSE: 'Apache License 2.0 (test copy)\n',
      '.gitattributes': '*.safetensors filter=lfs diff=lfs merge=lfs -text\n',
      'pytorch_model.bin': Buffer.alloc(300_000, 7),
      'model.gguf': Buffer.alloc(200_000, 3),
      'onnx/model.onnx': Buffer.alloc(100_000, 5),
    };
    const smol = repoFromFolder(folder, COMMIT, extra);
    const config = JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8')) as Record<string, unknown>;
    const withFiles = (commit: string, files: Record<string, Buffer | string>): FakeRepo => ({ commit, files: new Map(Object.entries(files).map(([k, v]) => [k, Buffer.isBuffer(v) ? v : Buffer.from(v)])) });
    repos = {
      [REPO]: { ...smol, refs: { v1: COMMIT } },
      'tb-test/gated': { ...repoFromFolder(folder, 'b'.repeat(40)), gatedToken: 'hf_letmein' },
      'tb-test/bert': withFiles('c'.repeat(40), { 'config.json': JSON.stringify({ model_type: 'bert', architectures: ['BertForMaskedLM'], vocab_size: 640 }), 'model.safetensors': Buffer.alloc(64) }),
      'tb-test/binonly': withFiles('d'.repeat(40), { 'config.json': JSON.stringify(config), 'pytorch_model.bin': Buffer.alloc(1000), 'tokenizer.json': readFileSync(join(folder, 'tokenizer.json')) }),
      'tb-test/copy1': repoFromFolder(folder, 'e'.repeat(40)),
      'tb-test/copy2': repoFromFolder(folder, 'f'.repeat(40)),
      'tb-test/copy3': repoFromFolder(folder, '1'.repeat(40)),
    };
    hub = await startFakeHub(repos);
  }, 120_000);
  afterAll(async () => hub?.close());

  it('pulls only the files a model needs into the cache layout Python writes, lists it, and trains on it in place', async () => {
    const cache = tempDir('tb-hub-');
    const dataDir = tempDir();
    hub.requests.length = 0;
    const result = await pull(dataDir, cache, REPO);
    expect(result.code, result.stderr).toBe(0);
    const model = JSON.parse(result.stdout) as ListedModel;
    expect(model).toMatchObject({ id: `hf:${REPO}`, source: 'hf-cache', runnable: true, family: 'Llama', kind: 'generator', commit: COMMIT, license: 'apache-2.0' });
    expect(model.bytes).toBeGreaterThan(1_000_000);
    // a progress line with bytes, speed and ETA, and a summary
    expect(result.stderr).toMatch(/checking tb-test\/smol: 10 files/);
    expect(result.stderr).toMatch(/pulled tb-test\/smol at aaaaaaaa0123: 10 files/);

    // the layout, file by file
    const dir = repoDir(cache, REPO);
    expect(readFileSync(join(dir, 'refs', 'main'), 'utf8')).toBe(COMMIT);
    const snapshot = join(dir, 'snapshots', COMMIT);
    expect(model.path).toBe(snapshot);
    expect(readdirSync(snapshot).sort()).toEqual(NEEDED);
    for (const name of NEEDED) {
      const data = repos[REPO].files.get(name)!;
      const lfs = name.endsWith('.safetensors');
      const blob = lfs ? sha256(data) : gitBlobSha1(data);
      expect(lstatSync(join(snapshot, name)).isSymbolicLink(), name).toBe(true);
      expect(readlinkSync(join(snapshot, name)), name).toBe(`../../blobs/${blob}`);
      expect(readFileSync(join(dir, 'blobs', blob)).equals(data), name).toBe(true);
    }
    expect(readdirSync(join(dir, 'blobs')).sort()).toEqual(NEEDED.map((n) => (n.endsWith('.safetensors') ? sha256 : gitBlobSha1)(repos[REPO].files.get(n)!)).sort());
    // nothing it does not need was fetched
    const fetched = hub.requests.map((r) => r.path).join('\n');
    for (const skipped of ['pytorch_model.bin', 'model.gguf', 'onnx', '.gitattributes']) expect(fetched).not.toContain(`/resolve/${COMMIT}/${skipped}`);
    // LFS files came through the redirect, and the tree was read page by page
    expect(hub.requests.some((r) => r.path.startsWith('/cdn/'))).toBe(true);
    expect(hub.requests.filter((r) => r.path.includes('/tree/')).length).toBeGreaterThan(1);

    // listed (JSON and table), and trained on without a copy
    const listed = await list(dataDir, cache);
    expect(listed.find((m) => m.id === `hf:${REPO}`)).toMatchObject({ runnable: true, imported: true, path: snapshot, family: 'Llama' });
    const table = await cli(['--data-dir', dataDir, 'models', 'list'], envFor(cache));
    expect(table.stdout).toMatch(/hf:tb-test\/smol\s+generator\s+Llama\s+[\d,]+\s+[\d.]+ MiB\s+hf cache\s+apache-2.0/);
    const run = await cli(['--data-dir', dataDir, 'train', '--dataset', stories(), '--set', `base=hf:${REPO}`, '--set', 'steps=2', '--set', 'batchSize=2', '--set', 'contextLength=16', '--set', 'evalEvery=2', '--json'], envFor(cache));
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'completed', config: { base: `hf:${REPO}` } });
    expect(existsSync(join(dataDir, 'models'))).toBe(false); // used in place: nothing was imported
    const generated = await cli(['--data-dir', dataDir, 'generate', `hf:${REPO}`, '--prompt', 'the cat', '--max-tokens', '3', '--temperature', '0', '--json'], envFor(cache));
    expect(generated.code, generated.stderr).toBe(0);

    // a second pull downloads nothing; a tag gets its own ref and id
    hub.requests.length = 0;
    const again = await pull(dataDir, cache, `${REPO}@v1`);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ id: `hf:${REPO}@v1`, runnable: true, path: snapshot });
    expect(again.stderr).toMatch(/\(0 B downloaded\)/);
    expect(hub.requests.some((r) => r.path.startsWith('/cdn/') && r.range !== 'bytes=0-0' && !/^bytes=\d+-\d+$/.test(r.range ?? ''))).toBe(false);
    expect(readFileSync(join(dir, 'refs', 'v1'), 'utf8')).toBe(COMMIT);
  }, 300_000);

  it('searches the Hub by name, most downloaded first; a search the Hub cannot answer or too short is one sentence', async () => {
    const [dataDir, cache] = [tempDir(), tempDir()];
    const found = json<HubModel[]>(await cli(['--data-dir', dataDir, 'models', 'search', 'copy', '--json'], envFor(cache)));
    expect(found.map((m) => m.repo)).toEqual(['tb-test/copy1', 'tb-test/copy2', 'tb-test/copy3']);
    expect(found.every((m) => m.task === 'text-generation' && !m.gated)).toBe(true);
    const table = await cli(['--data-dir', dataDir, 'models', 'search', 'gated'], envFor(cache));
    expect(table.stdout).toMatch(/tb-test\/gated\s+\S+\s+0\s+yes/);
    expect((await cli(['--data-dir', dataDir, 'models', 'search', 'nothing-like-it'], envFor(cache))).stdout).toContain("No text-generation model on the Hub matches 'nothing-like-it'.");
    const offline = await cli(['--data-dir', dataDir, 'models', 'search', 'copy'], envFor(cache, { HF_ENDPOINT: `http://127.0.0.1:${await closedPort()}` }));
    expect(offline.code).toBe(1);
    expect(offline.stderr).toMatch(/^tunebench: Cannot reach http:\/\/127\.0\.0\.1:\d+ \(connection refused\): check the network, or set HF_ENDPOINT to a mirror you can reach\.$/m);
    const short = await cli(['--data-dir', dataDir, 'models', 'search', 'x'], envFor(cache));
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('A Hub search needs 2 to 100 characters.');
  });

  it('resumes a download whose process was killed part-way, and one whose connection dropped', async () => {
    const cache = tempDir('tb-hub-');
    const dataDir = tempDir();
    const repo = 'tb-test/copy1';
    hub.knobs.bytesPerSecond = 1_000_000;
    let kill = () => {};
    const first = pull(dataDir, cache, repo, {}, { onSpawn: (k) => (kill = k) });
    await waitFor('a partly downloaded blob', () => incompleteBytes(cache, repo) > 600_000);
    kill();
    expect((await first).code).not.toBe(0);
    const partial = incompleteBytes(cache, repo);
    expect(partial).toBeGreaterThan(600_000);
    // nothing half-downloaded appears as a model
    expect((await list(dataDir, cache)).filter((m) => m.repo === repo && m.runnable)).toEqual([]);
    hub.requests.length = 0;
    hub.knobs.bytesPerSecond = 2_000_000; // a few seconds: long enough for a progress line
    const second = await pull(dataDir, cache, repo);
    hub.knobs.bytesPerSecond = 0;
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toMatch(/^checking tb-test\/copy1: 8 files, 7\.5 MiB \([\d.]+ [KM]iB of it already in the cache\)$/m);
    expect(second.stderr).toMatch(/^pull tb-test\/copy1 model-0000\d-of-00002\.safetensors \[[#-]{24}\] +\d+% [\d.]+ MiB \/ 7\.5 MiB {2}[\d.]+ [KM]iB\/s {2}ETA \d+s$/m);
    expect(hub.requests.some((r) => r.path.startsWith('/cdn/') && Number(r.range?.match(/^bytes=(\d+)-\d+$/)?.[1]) >= 600_000)).toBe(true);
    const blobs = join(repoDir(cache, repo), 'blobs');
    for (const b of readdirSync(blobs)) {
      expect(b.endsWith('.incomplete')).toBe(false);
      if (b.length === 64) expect(createHash('sha256').update(readFileSync(join(blobs, b))).digest('hex')).toBe(b);
    }
    expect((await list(dataDir, cache)).find((m) => m.id === `hf:${repo}`)).toMatchObject({ runnable: true });

    // the server drops the connection after 300 kB of a shard: exit 1, one sentence; the next pull completes it
    const cache2 = tempDir('tb-hub-');
    hub.knobs.dropAfterBytes = 300_000;
    const dropped = await pull(dataDir, cache2, 'tb-test/copy2');
    expect(dropped.code).toBe(1);
    expect(dropped.stderr).toMatch(/^tunebench: The connection to http:\/\/127\.0\.0\.1:\d+ dropped while downloading model-0000\d-of-00002\.safetensors \([\d.]+ KiB of [\d.]+ MiB\); what arrived is kept: `tunebench models pull tb-test\/copy2` resumes it\.\n$/m);
    const kept = incompleteBytes(cache2, 'tb-test/copy2');
    expect(kept).toBeGreaterThan(100_000);
    expect(kept).toBeLessThanOrEqual(300_000);
    hub.requests.length = 0;
    const completed = await pull(dataDir, cache2, 'tb-test/copy2');
    expect(completed.code, completed.stderr).toBe(0);
    expect(hub.requests.some((r) => r.path.startsWith('/cdn/') && (r.range ?? '').startsWith(`bytes=${kept}-`))).toBe(true);
  }, 300_000);

  it('lists a cache written the way Python tools write it and uses it without a copy; lists what it cannot run with the reason', async () => {
    const cache = tempDir('tb-hub-');
    const dataDir = tempDir();
    // huggingface_hub's layout by hand: blobs named by sha256 (LFS) or git sha1, relative symlinks, refs/main
    const writeRepo = (repo: string, commit: string, files: Record<string, Buffer>, o: { skipBlob?: string } = {}) => {
      const dir = repoDir(cache, repo);
      mkdirSync(join(dir, 'blobs'), { recursive: true });
      mkdirSync(join(dir, 'snapshots', commit), { recursive: true });
      mkdirSync(join(dir, 'refs'), { recursive: true });
      writeFileSync(join(dir, 'refs', 'main'), commit);
      for (const [name, data] of Object.entries(files)) {
        const blob = name.endsWith('.safetensors') ? sha256(data) : gitBlobSha1(data);
        if (name !== o.skipBlob) writeFileSync(join(dir, 'blobs', blob), data);
        symlinkSync(`../../blobs/${blob}`, join(dir, 'snapshots', commit, name));
      }
      return join(dir, 'snapshots', commit);
    };
    const files = Object.fromEntries(NEEDED.map((n) => [n, repos[REPO].files.get(n)!]));
    const snapshot = writeRepo('py-org/smol', '2'.repeat(40), files);
    writeRepo('py-org/bert', '3'.repeat(40), { 'config.json': Buffer.from(JSON.stringify({ model_type: 'bert', vocab_size: 10 })) });
    writeRepo('py-org/partial', '4'.repeat(40), files, { skipBlob: 'model-00002-of-00002.safetensors' });
    // a download under way: a shard still .incomplete, no snapshot link for it yet
    const { 'model-00002-of-00002.safetensors': shard, ...rest } = files;
    writeRepo('py-org/downloading', '5'.repeat(40), rest);
    writeFileSync(join(repoDir(cache, 'py-org/downloading'), 'blobs', `${sha256(shard)}.incomplete`), shard.subarray(0, 1000));
    mkdirSync(join(cache, 'datasets--someone--data'), { recursive: true }); // not a model: ignored

    const listed = await list(dataDir, cache);
    const byId = new Map(listed.map((m) => [m.id, m]));
    expect(byId.get('hf:py-org/smol')).toMatchObject({ runnable: true, source: 'hf-cache', family: 'Llama', path: snapshot, commit: '2'.repeat(40) });
    expect(byId.get('hf:py-org/bert')).toMatchObject({ runnable: false, reason: expect.stringMatching(/model_type 'bert' is not a family Tunebench runs/) });
    expect(byId.get('hf:py-org/partial')).toMatchObject({ runnable: false, reason: expect.stringMatching(/model-00002-of-00002\.safetensors .*missing blob; `tunebench models pull py-org\/partial`/) });
    expect(byId.get('hf:py-org/downloading')).toMatchObject({ runnable: false, reason: expect.stringMatching(/^a download of py-org\/downloading is under way or was interrupted \(blobs\/[0-9a-f]{64}\.incomplete\); `tunebench models pull py-org\/downloading` completes it\.$/) });
    expect(listed.some((m) => m.id.includes('someone'))).toBe(false);
    const table = await cli(['--data-dir', dataDir, 'models', 'list'], envFor(cache));
    expect(table.stdout).toContain(`in the Hugging Face cache (${cache}) but not runnable:`);
    expect(table.stdout).toMatch(/^ {2}hf:py-org\/bert {2}.*model_type 'bert'/m);

    // HF_HOME/hub when HF_HUB_CACHE is not set
    const home = tempDir('tb-hf-home-');
    cpSync(repoDir(cache, 'py-org/smol'), join(home, 'hub', 'models--py-org--smol'), { recursive: true, verbatimSymlinks: true });
    const viaHome = json<ListedModel[]>(await cli(['--data-dir', dataDir, 'models', 'list', '--json'], { HF_HOME: home }));
    expect(viaHome.find((m) => m.id === 'hf:py-org/smol')).toMatchObject({ runnable: true, path: join(home, 'hub', 'models--py-org--smol', 'snapshots', '2'.repeat(40)) });

    // trained on in place; a model it cannot run is refused as a base in one sentence
    const run = await cli(['--data-dir', dataDir, 'train', '--dataset', stories(), '--set', 'base=hf:py-org/smol', '--set', 'method=lora', '--set', 'steps=2', '--set', 'batchSize=2', '--set', 'contextLength=16', '--set', 'evalEvery=2', '--json'], envFor(cache));
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(join(dataDir, 'models'))).toBe(false);
    const refused = await cli(['--data-dir', dataDir, 'train', '--dataset', stories(), '--set', 'base=hf:py-org/bert'], envFor(cache));
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^tunebench: The cached model hf:py-org\/bert cannot be used: .*model_type 'bert'/m);
    const absent = await cli(['--data-dir', dataDir, 'train', '--dataset', stories(), '--set', 'base=hf:nobody/none'], envFor(cache));
    expect(absent.code).toBe(2);
    expect(absent.stderr).toMatch(/has no nobody\/none; `tunebench models pull nobody\/none` downloads it\./);
  }, 300_000);

  it('refuses in one sentence, with nothing half-downloaded listed: offline, unknown repo or revision, gated, unrunnable, no safetensors, no room, full disk, corrupt bytes', async () => {
    const dataDir = tempDir();
    const refusal = async (name: string, code: number, message: RegExp, env: Record<string, string> = {}, cache = tempDir('tb-hub-')) => {
      const r = await pull(dataDir, cache, name, env);
      expect(r.code, `${name}: ${r.stderr}`).toBe(code);
      expect(r.stderr, name).toMatch(message);
      expect(r.stderr.trim().split('\n').filter((l) => l.startsWith('tunebench:'))).toHaveLength(1);
      expect((await list(dataDir, cache)).filter((m) => m.source === 'hf-cache' && m.runnable), name).toEqual([]);
      return cache;
    };
    const port = await closedPort();
    await refusal(REPO, 1, /^tunebench: Cannot reach http:\/\/127\.0\.0\.1:\d+ \(connection refused\): check the network, or set HF_ENDPOINT to a mirror you can reach\.$/m, { HF_ENDPOINT: `http://127.0.0.1:${port}` });
    await refusal('tb-test/nothing', 2, /^tunebench: There is no model tb-test\/nothing on http:\/\/127\.0\.0\.1:\d+ \(if it is private, set HF_TOKEN to an access token that can read it\)\.$/m);
    await refusal(`${REPO}@nope`, 2, /^tunebench: tb-test\/smol has no revision 'nope' \(a branch, tag or commit\)/m);
    await refusal('tb-test/gated', 2, /^tunebench: tb-test\/gated is gated or private: accept its terms at http:\/\/127\.0\.0\.1:\d+\/tb-test\/gated and set HF_TOKEN to an access token \(hf_…\) of that account\.$/m);
    await refusal('tb-test/gated', 2, /the token in HF_TOKEN has no access to it/, { HF_TOKEN: 'hf_wrong' });
    await refusal('tb-test/gated', 2, /HF_TOKEN is not a Hugging Face access token/, { HF_TOKEN: 'not-a-token' });
    await refusal('tb-test/bert', 2, /^tunebench: tb-test\/bert\/config\.json: model_type 'bert' is not a family Tunebench runs/m);
    await refusal('tb-test/binonly', 2, /^tunebench: tb-test\/binonly has no model\.safetensors \(nor a sharded model\.safetensors\.index\.json\), only pytorch_model\.bin; Tunebench reads safetensors weights\.$/m);
    await refusal('not a/name', 2, /is not a model name on the Hub/);

    // no weights were fetched for a repository refused before its weights
    expect(hub.requests.some((r) => r.path.includes('tb-test/bert/resolve') && r.path.endsWith('.safetensors') && r.range !== 'bytes=0-0' && r.range !== 'bytes=0-7')).toBe(false);

    // with the right token the gated model comes down
    const gatedCache = tempDir('tb-hub-');
    const gated = await pull(dataDir, gatedCache, 'tb-test/gated', { HF_TOKEN: 'hf_letmein' });
    expect(gated.code, gated.stderr).toBe(0);
    expect(hub.requests.filter((r) => r.path.includes('/tb-test/gated/resolve/')).every((r) => r.authorization === 'Bearer hf_letmein')).toBe(true);

    // a repository larger than the free space: refused before downloading
    hub.knobs.fakeLfsSize = 2 ** 50;
    try {
      await refusal('tb-test/copy3', 1, /^tunebench: tb-test\/copy3 needs [\d.]+ GiB more and the disk holding .* has [\d.]+ [KMG]i?B free; free some space or set HF_HUB_CACHE to a folder on a larger disk\.$/m);
    } finally {
      hub.knobs.fakeLfsSize = null;
    }

    // a full disk while writing (the blob's .incomplete is /dev/full): exit 1, one sentence
    if (existsSync('/dev/full')) {
      const cache = tempDir('tb-hub-');
      const blobs = join(repoDir(cache, 'tb-test/copy3'), 'blobs');
      mkdirSync(blobs, { recursive: true });
      symlinkSync('/dev/full', join(blobs, `${sha256(repos['tb-test/copy3'].files.get('model-00001-of-00002.safetensors')!)}.incomplete`));
      await refusal('tb-test/copy3', 1, /^tunebench: The disk holding the Hugging Face cache is full \(writing model-00001-of-00002\.safetensors of tb-test\/copy3\); free some space or set HF_HUB_CACHE to a folder on a larger disk, then pull again/m, {}, cache);
      rmSync(cache, { recursive: true, force: true });
    }

    // bytes that do not hash to what the Hub lists are discarded
    hub.knobs.corrupt = true;
    try {
      const cache = await refusal('tb-test/copy3', 1, /^tunebench: model-0000\d-of-00002\.safetensors of tb-test\/copy3 arrived with sha256 [0-9a-f]{64}, not the [0-9a-f]{64} the Hub lists; the download was discarded: pull again\.$/m);
      expect(incompleteBytes(cache, 'tb-test/copy3')).toBe(0);
    } finally {
      hub.knobs.corrupt = false;
    }
  }, 300_000);
});
