// The Hugging Face cache that Python tools (and `tunebench models pull`) fill, read in place: no copy, the trainer
// loads a snapshot folder. Layout, as huggingface_hub writes it:
//   <cache>/models--<org>--<name>/refs/<revision>            a commit hash (refs/main for the default branch)
//   <cache>/models--<org>--<name>/snapshots/<commit>/<file>  a symlink to ../../blobs/<sha256, or git sha1 of a small file>
//   <cache>/models--<org>--<name>/blobs/<etag>[.incomplete]   the bytes (.incomplete while a download is under way)
// The cache is <HF_HUB_CACHE>, else <HF_HOME>/hub, else ~/.cache/huggingface/hub (XDG_CACHE_HOME honoured as Python
// does). Every snapshot a ref names (and every one no ref names) is an entry: runnable when inspectHfFolder accepts
// it, otherwise listed with the one sentence why.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { isCachedModel } from '../../common/config';
import type { ListedModel } from '../../common/contracts/models';
import { badInput, notFound } from '../../common/result';
import { inspectHfFolder, type HfFolderInfo } from './hfFolder';

/** Where the cache is, by the same variables and order as Python's huggingface_hub. */
export function hubCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const set = (name: string) => (env[name] && env[name]!.trim() !== '' ? env[name]! : undefined);
  const home = set('HF_HOME') ?? join(set('XDG_CACHE_HOME') ?? join(homedir(), '.cache'), 'huggingface');
  return set('HF_HUB_CACHE') ?? set('HUGGINGFACE_HUB_CACHE') ?? join(home, 'hub');
}

/** A model repository's name on the Hub: `org/name` (or a legacy bare `name`), as the Hub allows them. */
export const REPO_NAME = /^(?:[A-Za-z0-9][\w.-]{0,95}\/)?[A-Za-z0-9][\w.-]{0,95}$/;
/** A branch, tag or commit. */
export const REVISION = /^[\w][\w./-]{0,127}$/;
export const COMMIT = /^[0-9a-f]{40}$/;

export function checkRepoName(repo: string): void {
  if (!REPO_NAME.test(repo) || repo.includes('..') || repo.includes('--')) {
    throw badInput(`'${repo}' is not a model name on the Hub: expected org/name, for example HuggingFaceTB/SmolLM2-135M.`);
  }
}

export function checkRevision(revision: string): void {
  if (!REVISION.test(revision) || revision.includes('..') || revision.endsWith('/')) {
    throw badInput(`'${revision}' is not a revision: expected a branch, tag or commit hash, for example main.`);
  }
}

/** models--org--name, the repository's folder in the cache. */
export const repoFolderName = (repo: string): string => `models--${repo.split('/').join('--')}`;

/** The id a base setting takes: hf:org/name for refs/main, hf:org/name@revision for any other. */
export const cachedModelId = (repo: string, revision = 'main'): string => `hf:${repo}${revision === 'main' ? '' : `@${revision}`}`;

export function parseCachedModelId(id: string): { repo: string; revision: string } {
  if (!isCachedModel(id)) throw badInput(`'${id}' is not a cached model's id: expected hf:org/name or hf:org/name@revision.`);
  const rest = id.slice(3);
  const at = rest.indexOf('@');
  return at < 0 ? { repo: rest, revision: 'main' } : { repo: rest.slice(0, at), revision: rest.slice(at + 1) };
}

interface Entry {
  id: string;
  repo: string;
  revision: string; // a ref name, or the commit when no ref names the snapshot
  commit: string;
  path: string;
}

type Checked = { ok: true; info: HfFolderInfo } | { ok: false; reason: string };

const MAX_REPOS = 10_000;
const MAX_REFS = 1_000;

/** Every file under refs/ (refs/main, refs/v1.0, refs/refs/pr/1 …): its name relative to refs/ and the commit it holds. */
function readRefs(refsDir: string): Map<string, string> {
  const refs = new Map<string, string>();
  const walk = (dir: string, prefix: string, depth: number) => {
    if (depth > 4 || refs.size >= MAX_REFS) return;
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of names) {
      const path = join(dir, name);
      const ref = prefix ? `${prefix}/${name}` : name;
      try {
        if (statSync(path).isDirectory()) walk(path, ref, depth + 1);
        else refs.set(ref, readFileSync(path, 'utf8').trim());
      } catch {
        // unreadable: not a ref
      }
    }
  };
  walk(refsDir, '', 0);
  return refs;
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

function mtimeOf(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

export class HfCache {
  private readonly checked = new Map<string, { signature: string; result: Checked }>();

  /** `dir` is read on every call by default, so the environment at the time counts. */
  constructor(private readonly dirOf: () => string = () => hubCacheDir()) {}

  get dir(): string {
    return this.dirOf();
  }

  /** Every model snapshot in the cache, in repository order: runnable ones with their info, the rest with a reason. */
  list(): ListedModel[] {
    return this.entries().map((e) => this.describe(e));
  }

  /** The snapshot folder of a cached model that Tunebench can run; one sentence when it is absent or cannot run. */
  pathOf(id: string): string {
    const listed = this.get(id);
    if (listed.runnable === false) throw badInput(`The cached model ${id} cannot be used: ${listed.reason}`);
    return listed.path!;
  }

  /** The listing of one cached model (runnable or not); not-found with what to do when the cache has no such model. */
  get(id: string): ListedModel {
    const { repo, revision } = parseCachedModelId(id);
    const entry = this.entriesOf(repo).find((e) => e.id === id);
    if (!entry) {
      const exact = COMMIT.test(revision) && existsSync(join(this.dir, repoFolderName(repo), 'snapshots', revision));
      if (!exact) throw notFound(`The Hugging Face cache (${this.dir}) has no ${repo}${revision === 'main' ? '' : ` at ${revision}`}; \`tunebench models pull ${repo}${revision === 'main' ? '' : `@${revision}`}\` downloads it.`);
      return this.describe({ id, repo, revision, commit: revision, path: join(this.dir, repoFolderName(repo), 'snapshots', revision) });
    }
    return this.describe(entry);
  }

  private entries(): Entry[] {
    const dir = this.dir;
    const folders = listDir(dir).filter((f) => f.startsWith('models--') && f.length > 'models--'.length).slice(0, MAX_REPOS);
    return folders.flatMap((f) => this.entriesOf(f.slice('models--'.length).split('--').join('/')));
  }

  /** The snapshots of one repository: those refs name (by ref), then any no ref names (by commit). */
  private entriesOf(repo: string): Entry[] {
    const repoDir = join(this.dir, repoFolderName(repo));
    if (!existsSync(repoDir)) return [];
    const refs = readRefs(join(repoDir, 'refs'));
    const snapshots = listDir(join(repoDir, 'snapshots'));
    const out: Entry[] = [];
    for (const [ref, commit] of refs) {
      if (!REVISION.test(ref) || ref.includes('..')) continue;
      out.push({ id: cachedModelId(repo, ref), repo, revision: ref, commit, path: join(repoDir, 'snapshots', commit) });
    }
    const named = new Set(refs.values());
    for (const commit of snapshots) {
      if (!named.has(commit) && COMMIT.test(commit)) out.push({ id: cachedModelId(repo, commit), repo, revision: commit, commit, path: join(repoDir, 'snapshots', commit) });
    }
    return out.filter((e) => isCachedModel(e.id));
  }

  private describe(e: Entry): ListedModel {
    const checked = this.check(e);
    const name = e.revision === 'main' ? e.repo : `${e.repo}@${e.revision}`;
    const common = { id: e.id, name, path: e.path, source: 'hf-cache' as const, repo: e.repo, revision: e.revision, commit: e.commit };
    if (!checked.ok) {
      return { ...common, kind: 'generator', tasks: [], parameters: 0, description: `Not runnable: ${checked.reason}`, license: '', runnable: false, reason: checked.reason };
    }
    const { info } = checked;
    return {
      ...common,
      kind: 'generator',
      tasks: ['generate'],
      parameters: info.parameters,
      description: `A ${info.family} model from the Hugging Face cache: ${e.repo} at ${e.commit.slice(0, 12)}, used in place from ${e.path}.`,
      license: licenseOf(e.path) ?? 'as given by its model card on the Hub',
      imported: true, // a folder model: a base for fine-tuning, generation and evaluation like an imported one
      family: info.family,
      bytes: info.bytes,
      runnable: true,
    };
  }

  /** inspectHfFolder on the snapshot, remembered while its files stay the same; plus what only a cache can get wrong. */
  private check(e: Entry): Checked {
    const repoDir = join(this.dir, repoFolderName(e.repo));
    if (!COMMIT.test(e.commit)) return { ok: false, reason: `refs/${e.revision} holds '${e.commit.slice(0, 60)}', not a commit hash.` };
    if (!existsSync(e.path)) return { ok: false, reason: `refs/${e.revision} names commit ${e.commit}, which has no snapshot folder (an interrupted download?); \`tunebench models pull ${e.repo}\` completes it.` };
    const files = listDir(e.path);
    const dangling = files.filter((f) => !existsSync(join(e.path, f)));
    if (dangling.length) return { ok: false, reason: `${dangling.join(', ')} in ${e.path} point${dangling.length === 1 ? 's' : ''} to a missing blob; \`tunebench models pull ${e.repo}\` downloads ${dangling.length === 1 ? 'it' : 'them'} again.` };
    // a download under way or interrupted after this snapshot was last written
    const snapshotTime = mtimeOf(e.path);
    const incomplete = listDir(join(repoDir, 'blobs')).filter((b) => b.endsWith('.incomplete') && mtimeOf(join(repoDir, 'blobs', b)) >= snapshotTime);
    if (incomplete.length) return { ok: false, reason: `a download of ${e.repo} is under way or was interrupted (blobs/${incomplete[0]}); \`tunebench models pull ${e.repo}${e.revision === 'main' ? '' : `@${e.revision}`}\` completes it.` };
    const signature = [snapshotTime, ...files.map((f) => `${f}:${statSync(join(e.path, f)).size}:${mtimeOf(join(e.path, f))}`)].join('|');
    const known = this.checked.get(e.path);
    if (known && known.signature === signature) return known.result;
    let result: Checked;
    try {
      result = { ok: true, info: inspectHfFolder(e.path) };
    } catch (err) {
      result = { ok: false, reason: err instanceof Error ? err.message : String(err) };
    }
    this.checked.set(e.path, { signature, result });
    return result;
  }
}

/** The `license:` line of a model card's YAML header, when the snapshot has a README.md. */
function licenseOf(folder: string): string | null {
  const readme = join(folder, 'README.md');
  try {
    if (!existsSync(readme) || statSync(readme).size > 1_000_000) return null;
    const text = readFileSync(readme, 'utf8');
    if (!text.startsWith('---')) return null;
    const header = text.slice(3, text.indexOf('\n---', 3) > 0 ? text.indexOf('\n---', 3) : 4000);
    const m = header.match(/^license:\s*["']?([^"'\n]+)["']?\s*$/m);
    return m ? m[1].trim() : null;
  } catch {
    return null;
  }
}
