// Runs the built `tunebench` CLI as a user would: a real process, a real data directory.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..');
export const CLI = join(ROOT, 'bin', 'tunebench.js');
export const SHARED_DATA = resolve(ROOT, '..', 'shared', 'data');

export function assertBuilt(): void {
  if (!existsSync(join(ROOT, 'out', 'main', 'cli.js')) || !existsSync(join(ROOT, 'out', 'main', 'trainer.js'))) {
    throw new Error('These tests run the built app: run `npm run build` first (`npm test` does).');
  }
}

export const tempDir = (prefix = 'tunebench-test-'): string => mkdtempSync(join(tmpdir(), prefix));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function tunebench(dataDir: string, args: string[]): CliResult {
  const result = spawnSync(process.execPath, [CLI, '--data-dir', dataDir, ...args], { encoding: 'utf8', timeout: 600_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function tunebenchJson<T>(dataDir: string, args: string[]): T {
  const result = tunebench(dataDir, [...args, '--json']);
  if (result.code !== 0) throw new Error(`tunebench ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

/** Starts `tunebench serve --port 0` and resolves with the URL it prints. */
export function startServe(dataDir: string): Promise<{ url: string; process: ChildProcess; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [CLI, '--data-dir', dataDir, 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve printed no URL: ${out} ${err}`)), 30_000);
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const match = out.match(/http:\/\/127\.0\.0\.1:\d+\/\?token=[a-f0-9]+/);
      if (match) {
        clearTimeout(timer);
        resolvePromise({
          url: match[0],
          process: child,
          stop: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}: ${err}`));
    });
  });
}
