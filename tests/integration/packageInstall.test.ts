// The package a user installs: `npm pack` of this tree, then `npm install -g <tarball>` into an empty prefix, used
// from a folder outside the repository with no dev dependencies and no source tree: --help, models list, datasets
// import, a few-shot train and serve (the built renderer, the trainer bundle and resources/ come from the package).
// The slowest test file (pack and install take a minute or two, most of it compiling better-sqlite3); one file.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ModelInfo } from '../../common/evaluation';
import { assertBuilt, ROOT, tempDir } from '../helpers/cli';
import { sentimentCsv, writeFixture } from '../helpers/fixtures';

/** The environment of a user's shell: none of the npm_* variables `npm test` sets, node first on PATH. */
const userEnv = (): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k) && k !== 'NODE_PATH' && k !== 'INIT_CWD') env[k] = v;
  env.PATH = [dirname(process.execPath), ...(process.env.PATH ?? '').split(':').filter((p) => !p.includes('node_modules'))].join(':');
  return env;
};

function npm(args: string[], cwd: string): string {
  const out = spawnSync('npm', args, { cwd, env: userEnv(), encoding: 'utf8', timeout: 900_000 });
  if (out.status !== 0) throw new Error(`npm ${args.join(' ')} exited ${out.status}:\n${out.stdout}\n${out.stderr}`);
  return out.stdout;
}

let work: string; // cwd for every command: outside the repository
let prefix: string;
let packageDir: string;
const bin = () => join(prefix, 'bin', 'tunebench');

function tunebench(dataDir: string, args: string[]): { code: number | null; stdout: string; stderr: string } {
  const out = spawnSync(bin(), ['--data-dir', dataDir, ...args], { cwd: work, env: userEnv(), encoding: 'utf8', timeout: 300_000 });
  return { code: out.status, stdout: out.stdout, stderr: out.stderr };
}

function json<T>(dataDir: string, args: string[]): T {
  const out = tunebench(dataDir, [...args, '--json']);
  if (out.code !== 0) throw new Error(`tunebench ${args.join(' ')} exited ${out.code}: ${out.stderr}`);
  return JSON.parse(out.stdout) as T;
}

describe('the packed tarball installed into an empty prefix', () => {
  beforeAll(() => {
    assertBuilt(); // `npm test` has built out/; packing skips the prepare script so no other test sees out/ rebuilt
    work = tempDir('tunebench-pack-');
    const packed = JSON.parse(npm(['pack', ROOT, '--ignore-scripts', '--json', '--pack-destination', work], work)) as { filename: string; files: { path: string }[] }[];
    const files = packed[0].files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(['bin/tunebench.js', 'out/main/cli.js', 'out/main/trainer.js', 'out/renderer/index.html', 'resources/models/glove-6b-100d/vectors.f16', 'README.md']));
    expect(files.filter((f) => /^(main|common|renderer|tests|bench|preload)\//.test(f) || f.endsWith('.ts'))).toEqual([]);
    prefix = join(work, 'prefix');
    npm(['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', '--prefer-offline', join(work, packed[0].filename)], work);
    packageDir = join(prefix, 'lib', 'node_modules', 'tunebench');
  }, 900_000);

  it('installs the command with the runtime dependencies only and no source tree', () => {
    expect(realpathSync(bin())).toBe(join(packageDir, 'bin', 'tunebench.js'));
    const installed = readdirSync(join(packageDir, 'node_modules'));
    expect(installed).toEqual(expect.arrayContaining(['better-sqlite3', 'ws', 'zod', 'hyparquet', 'stopword', '@tensorflow']));
    for (const dev of ['electron', 'vitest', 'vite', 'react', '@playwright', 'typescript', 'electron-vite']) expect(installed, dev).not.toContain(dev);
    for (const source of ['main', 'common', 'renderer', 'tests', 'electron.vite.config.ts']) expect(existsSync(join(packageDir, source)), source).toBe(false);
  });

  it('answers --help and lists the built-in models from its own resources/', () => {
    const help = spawnSync(bin(), ['--help'], { cwd: work, env: userEnv(), encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Tunebench/);
    expect(help.stdout).toContain('datasets import');
    const models = json<ModelInfo[]>(tempDir(), ['models', 'list']);
    expect(models.map((m) => m.id)).toEqual(expect.arrayContaining(['stories260k', 'glove-6b-100d', 'scratch']));
  });

  it('imports a dataset and trains the few-shot preset (GloVe from the package, trainer bundle forked)', () => {
    const dataDir = tempDir();
    const csv = writeFixture(tempDir(), 'eight-per-class.csv', sentimentCsv(16));
    const dataset = json<{ id: string; rows: number; task: string }>(dataDir, ['datasets', 'import', csv]);
    expect(dataset).toMatchObject({ rows: 16, task: 'classify' });
    const run = json<{ status: string; config: { base: string; method: string }; evaluation: unknown }>(dataDir, ['train', '--dataset', dataset.id, '--preset', 'few-shot']);
    expect(run.status).toBe('completed');
    expect(run.config).toMatchObject({ base: 'glove-6b-100d', method: 'setfit' });
    expect(run.evaluation).toBeTruthy();
    expect(tunebench(dataDir, ['datasets', 'import', join(work, 'missing.csv')]).code).toBe(2);
  });

  it('serves the app from the package: the page is its out/renderer/index.html and the API answers over the socket', async () => {
    const child = spawn(bin(), ['--data-dir', tempDir(), 'serve', '--port', '0'], { cwd: work, env: userEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<URL>((resolve, reject) => {
        let out = '';
        let err = '';
        const timer = setTimeout(() => reject(new Error(`serve printed no URL: ${out} ${err}`)), 60_000);
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const match = out.match(/http:\/\/127\.0\.0\.1:\d+\/\?token=[a-f0-9]+/);
          if (match) {
            clearTimeout(timer);
            resolve(new URL(match[0]));
          }
        });
        child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${err}`)));
      });
      const page = await fetch(url);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toBe(readFileSync(join(packageDir, 'out', 'renderer', 'index.html'), 'utf8'));
      const script = html.match(/src="\.?\/?(assets\/[^"]+\.js)"/)?.[1];
      expect(script).toBeTruthy();
      const asset = await fetch(new URL(`/${script}`, url));
      expect(asset.status).toBe(200);
      expect(await asset.text()).toBe(readFileSync(join(packageDir, 'out', 'renderer', script as string), 'utf8'));
      const ws = new WebSocket(`ws://${url.host}/ws?token=${url.searchParams.get('token')}`);
      const answer = await new Promise<unknown>((resolve, reject) => {
        ws.once('error', reject);
        ws.once('open', () => ws.send(JSON.stringify({ id: 1, call: 'models.list', input: {} })));
        ws.on('message', (data: WebSocket.RawData) => resolve(JSON.parse(data.toString())));
      });
      ws.close();
      expect(answer).toMatchObject({ id: 1, result: { ok: true } });
      expect(JSON.stringify(answer)).toContain('glove-6b-100d');
    } finally {
      const exited = new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });
});
