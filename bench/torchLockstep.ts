// A PyTorch reference (a bench/*.py script run with --lockstep) in its own process, taking one step each time
// `step()` is called: its steps alternate with ours, so a machine that is busier for a while slows both alike. Its
// warm-up steps try both of PyTorch's CPU thread settings and its timed steps use the faster (torch_threads.py).
// `finish()` gives its summary line, or the sentence saying why there is none (python3-torch missing, or it failed).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';

export const PYTHON = '/usr/bin/python3';
/** Warm-up steps the PyTorch side needs at least: one under each thread setting. */
export const TORCH_MIN_WARMUP = 2;

export interface Timing {
  /** Median wall-clock time of a step. */
  msPerStep: number;
  tokensPerSecond: number;
  /** Median CPU time of a step, all threads together: steadier than wall-clock on a busy machine. */
  cpuMsPerStep: number;
  steps: number;
}

export interface TorchSummary extends Timing {
  threads?: { openblas: number; torch: number };
  peakRssBytes?: number;
  loss0?: number;
}

export class TorchInLockstep {
  private lines: string[] = [];
  private waiting: (() => void) | null = null;
  private exited = false;
  private readonly done: Promise<number | null>;
  private readonly child: ChildProcess;

  private constructor(
    private readonly script: string,
    args: string[],
  ) {
    this.child = spawn(PYTHON, [script, ...args, '--lockstep'], { stdio: ['pipe', 'pipe', 'inherit'] });
    let buffered = '';
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      const parts = buffered.split('\n');
      buffered = parts.pop()!;
      this.lines.push(...parts.filter((l) => l.trim()));
      this.wake();
    });
    this.child.stdin!.on('error', () => {}); // it exited early; finish() says so
    this.done = new Promise((resolve) => this.child.on('close', (code) => resolve(code)));
    void this.done.then(() => {
      this.exited = true;
      this.wake();
    });
  }

  /** Starts `script args… --lockstep`, or says why PyTorch cannot be measured here. */
  static start(script: string, args: (string | number)[]): TorchInLockstep | string {
    if (!existsSync(PYTHON)) return `PyTorch not measured: ${PYTHON} does not exist (install Debian's python3-torch).`;
    const probe = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
    if (probe.status !== 0) return `PyTorch not measured: ${PYTHON} cannot import torch (install Debian's python3-torch).`;
    return new TorchInLockstep(script, args.map(String));
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.();
  }

  /** One PyTorch step; resolves when it is done, or at once once the process has gone. */
  async step(): Promise<void> {
    if (this.exited) return;
    const before = this.lines.length;
    this.child.stdin!.write('\n');
    while (this.lines.length === before && !this.exited) await new Promise<void>((resolve) => (this.waiting = resolve));
  }

  async finish(): Promise<TorchSummary | string> {
    this.child.stdin!.end();
    const code = await this.done;
    const summary = this.lines.find((l) => l.startsWith('{"msPerStep"'));
    if (code !== 0 || !summary) return `PyTorch not measured: ${this.script} exited with status ${code} (its errors are above).`;
    return JSON.parse(summary) as TorchSummary;
  }
}

/** Our step times (wall and CPU, ms) as the medians `Timing` reports. */
export function timingOf(times: number[], cpuTimes: number[], tokensPerStep: number): Timing {
  const ms = median(times);
  return { msPerStep: ms, tokensPerSecond: (tokensPerStep / ms) * 1000, cpuMsPerStep: median(cpuTimes), steps: times.length };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** This process's CPU time so far, all threads, in ms. */
export function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

export const log = (line: string): void => void process.stderr.write(`${line}\n`);

export const fmtTiming = (t: Timing): string =>
  `${t.msPerStep.toFixed(1)} ms/step, ${Math.round(t.tokensPerSecond)} tokens/s, CPU ${t.cpuMsPerStep.toFixed(1)} ms/step (medians of ${t.steps} steps)`;

export const threadText = (t: TorchSummary): string => (t.threads ? `OpenBLAS ${t.threads.openblas} + torch ${t.threads.torch} threads, the faster setting` : 'threads as set');

/** A flag's value readers, for a bench's parseArgs: the next word, a whole number ≥ min, or one of a set. */
export interface ArgValues {
  value(): string;
  count(min: number): number;
  oneOf<T extends string>(allowed: readonly T[]): T;
}

/** Calls `handle` for each flag of argv with readers that take its value from the words after it. */
export function eachArg(argv: string[], handle: (arg: string, read: ArgValues) => void): void {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value.`);
      return v;
    };
    const count = (min: number) => {
      const n = Number(value());
      if (!Number.isInteger(n) || n < min) throw new Error(`${arg} takes a whole number ≥ ${min}.`);
      return n;
    };
    const oneOf = <T extends string>(allowed: readonly T[]): T => {
      const v = value();
      if (!allowed.includes(v as T)) throw new Error(`${arg} takes ${allowed.join(' or ')}, not '${v}'.`);
      return v as T;
    };
    handle(arg, { value, count, oneOf });
  }
}
