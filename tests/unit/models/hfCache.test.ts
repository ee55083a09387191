// The Hugging Face cache's location, ids and scan, and the pieces of `models pull` that need no server: where the
// cache is (HF_HUB_CACHE, HF_HOME/hub, XDG_CACHE_HOME, ~/.cache as Python has it), hf: ids in the base setting, names
// and revisions, HF_ENDPOINT and HF_TOKEN, and the reasons the scan gives for snapshots it cannot run.
import { mkdirSync, mkdtempSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isCachedModel, isFolderModel, resolveTrainConfig } from '../../../common/config';
import { modelCalls, modelSourceSchema } from '../../../common/contracts/models';
import { TunebenchError } from '../../../common/result';
import { cachedModelId, HfCache, hubCacheDir, parseCachedModelId, repoFolderName } from '../../../main/models/hfCache';
import { hubTokenOf, hubUrlOf, parsePullName } from '../../../main/models/hfPull';

const kindOf = (f: () => unknown): string => {
  try {
    f();
  } catch (err) {
    return err instanceof TunebenchError ? `${err.kind}: ${err.message}` : String(err);
  }
  return 'no error';
};

describe('the Hugging Face cache', () => {
  it('is where Python looks: HF_HUB_CACHE, HUGGINGFACE_HUB_CACHE, HF_HOME/hub, XDG_CACHE_HOME/huggingface/hub, ~/.cache/huggingface/hub', () => {
    expect(hubCacheDir({ HF_HUB_CACHE: '/a', HF_HOME: '/b' })).toBe('/a');
    expect(hubCacheDir({ HUGGINGFACE_HUB_CACHE: '/legacy', HF_HOME: '/b' })).toBe('/legacy');
    expect(hubCacheDir({ HF_HOME: '/b', XDG_CACHE_HOME: '/x' })).toBe('/b/hub');
    expect(hubCacheDir({ XDG_CACHE_HOME: '/x' })).toBe('/x/huggingface/hub');
    expect(hubCacheDir({ HF_HUB_CACHE: '' })).toBe(join(homedir(), '.cache', 'huggingface', 'hub'));
    expect(repoFolderName('HuggingFaceTB/SmolLM2-135M')).toBe('models--HuggingFaceTB--SmolLM2-135M');
    expect(repoFolderName('gpt2')).toBe('models--gpt2');
  });

  it('gives cached models hf: ids that the base setting and the playground accept', () => {
    expect(cachedModelId('org/name')).toBe('hf:org/name');
    expect(cachedModelId('org/name', 'v1.0')).toBe('hf:org/name@v1.0');
    expect(parseCachedModelId('hf:org/name')).toEqual({ repo: 'org/name', revision: 'main' });
    expect(parseCachedModelId('hf:org/name@refs/pr/1')).toEqual({ repo: 'org/name', revision: 'refs/pr/1' });
    for (const id of ['hf:org/name', 'hf:gpt2', 'hf:Qwen/Qwen2.5-0.5B-Instruct@main', `hf:o/n@${'a'.repeat(40)}`]) {
      expect(isCachedModel(id), id).toBe(true);
      expect(isFolderModel(id), id).toBe(true);
      expect(resolveTrainConfig('quick', { base: id }).base).toBe(id);
      expect(modelSourceSchema.safeParse({ kind: 'builtin', model: id }).success, id).toBe(true);
    }
    for (const id of ['hf:', 'hf:/name', 'hf:a/b/c', 'hf:org/..', 'hf:org/name@../x', 'hf:org/na me', 'org/name']) {
      expect(isCachedModel(id), id).toBe(false);
      expect(modelSourceSchema.safeParse({ kind: 'builtin', model: id }).success, id).toBe(false);
    }
    expect(isFolderModel('im-0123abcd')).toBe(true);
    expect(kindOf(() => resolveTrainConfig('quick', { base: 'hf:a/b/c' }))).toMatch(/^bad-input: Training setting 'base' is invalid: .*or a cached one \(hf:org\/name\)/);
  });

  it('checks names, revisions, HF_ENDPOINT and HF_TOKEN in one sentence each', () => {
    expect(parsePullName('org/name')).toEqual({ repo: 'org/name', revision: 'main' });
    expect(parsePullName('org/name@v2')).toEqual({ repo: 'org/name', revision: 'v2' });
    expect(kindOf(() => parsePullName('org/na--me'))).toMatch(/^bad-input: 'org\/na--me' is not a model name on the Hub/);
    expect(kindOf(() => parsePullName('../etc'))).toMatch(/^bad-input: /);
    expect(kindOf(() => parsePullName('org/name@../../x'))).toMatch(/^bad-input: '..\/..\/x' is not a revision/);
    expect(modelCalls['models.pull'].input.safeParse({ requestId: 'r1', repo: 'org/name', revision: 'main' }).success).toBe(true);
    expect(modelCalls['models.pull'].input.safeParse({ requestId: 'r1', repo: '../x' }).success).toBe(false);
    expect(hubUrlOf({})).toBe('https://huggingface.co');
    expect(hubUrlOf({ HF_ENDPOINT: 'http://127.0.0.1:8080/' })).toBe('http://127.0.0.1:8080');
    expect(kindOf(() => hubUrlOf({ HF_ENDPOINT: 'not a url' }))).toMatch(/^bad-input: HF_ENDPOINT 'not a url' is not a URL/);
    const home = mkdtempSync(join(tmpdir(), 'tb-hf-home-'));
    expect(hubTokenOf({ HF_HOME: home })).toBeUndefined();
    writeFileSync(join(home, 'token'), 'hf_fromfile\n');
    expect(hubTokenOf({ HF_HOME: home })).toBe('hf_fromfile');
    expect(hubTokenOf({ HF_HOME: home, HF_TOKEN: 'hf_env' })).toBe('hf_env');
  });

  it('lists each snapshot a ref names (or none names), and says why one cannot run', () => {
    const cache = mkdtempSync(join(tmpdir(), 'tb-cache-'));
    const repo = (name: string) => join(cache, repoFolderName(name));
    const snapshot = (name: string, commit: string, files: Record<string, string | null>, ref: string | null = 'main') => {
      const dir = join(repo(name), 'snapshots', commit);
      mkdirSync(dir, { recursive: true });
      mkdirSync(join(repo(name), 'blobs'), { recursive: true });
      for (const [file, content] of Object.entries(files)) {
        const blob = `${file.length.toString(16).padStart(2, '0')}${'0'.repeat(38)}`;
        if (content !== null) writeFileSync(join(repo(name), 'blobs', blob), content);
        symlinkSync(`../../blobs/${blob}`, join(dir, file));
      }
      if (ref) {
        mkdirSync(join(repo(name), 'refs'), { recursive: true });
        writeFileSync(join(repo(name), 'refs', ref), commit);
      }
      return dir;
    };
    const c1 = '1'.repeat(40);
    snapshot('org/bert', c1, { 'config.json': JSON.stringify({ model_type: 'bert' }) });
    snapshot('org/dangling', c1, { 'config.json': null });
    snapshot('org/loose', '2'.repeat(40), { 'config.json': '{' }, null);
    mkdirSync(join(repo('org/noref'), 'refs'), { recursive: true });
    writeFileSync(join(repo('org/noref'), 'refs', 'main'), '9'.repeat(40));
    mkdirSync(join(repo('org/badref'), 'refs'), { recursive: true });
    writeFileSync(join(repo('org/badref'), 'refs', 'main'), 'not a commit');
    const busy = snapshot('org/busy', c1, { 'config.json': JSON.stringify({ model_type: 'llama' }) });
    writeFileSync(join(repo('org/busy'), 'blobs', `${'f'.repeat(64)}.incomplete`), 'partial');
    utimesSync(busy, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    mkdirSync(join(cache, 'datasets--org--data'), { recursive: true });

    const listed = new HfCache(() => cache).list();
    const reasons = Object.fromEntries(listed.map((m) => [m.id, m.reason]));
    expect(Object.keys(reasons).sort()).toEqual(['hf:org/badref', 'hf:org/bert', 'hf:org/busy', 'hf:org/dangling', `hf:org/loose@${'2'.repeat(40)}`, 'hf:org/noref']);
    expect(listed.every((m) => m.runnable === false && m.source === 'hf-cache' && m.tasks.length === 0 && !m.imported)).toBe(true);
    expect(reasons['hf:org/bert']).toMatch(/config\.json: model_type 'bert' is not a family Tunebench runs/);
    expect(reasons['hf:org/dangling']).toBe(`config.json in ${join(repo('org/dangling'), 'snapshots', c1)} points to a missing blob; \`tunebench models pull org/dangling\` downloads it again.`);
    expect(reasons[`hf:org/loose@${'2'.repeat(40)}`]).toMatch(/config\.json is not valid JSON/);
    expect(reasons['hf:org/noref']).toMatch(/^refs\/main names commit 9{40}, which has no snapshot folder/);
    expect(reasons['hf:org/badref']).toBe("refs/main holds 'not a commit', not a commit hash.");
    expect(reasons['hf:org/busy']).toMatch(/^a download of org\/busy is under way or was interrupted \(blobs\/f{64}\.incomplete\)/);

    const cacheOf = new HfCache(() => cache);
    expect(kindOf(() => cacheOf.pathOf('hf:org/bert'))).toMatch(/^bad-input: The cached model hf:org\/bert cannot be used: /);
    expect(kindOf(() => cacheOf.pathOf('hf:org/absent'))).toBe(`not-found: The Hugging Face cache (${cache}) has no org/absent; \`tunebench models pull org/absent\` downloads it.`);
    expect(new HfCache(() => join(cache, 'nowhere')).list()).toEqual([]);
  });
});
