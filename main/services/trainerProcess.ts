// Starting the trainer as its own process. The app uses Electron's utilityProcess (main/index.ts supplies that
// launcher); the CLI, the browser-mode host and the tests use child_process.fork. Both look the same to the host.
import { fork } from 'node:child_process';

export interface TrainerConnection {
  readonly pid: number | undefined;
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called once when the process has gone, with the last lines it wrote to stderr. */
  onExit(listener: (exit: TrainerExit) => void): void;
  kill(): void;
}

export interface TrainerExit {
  code: number | null;
  signal: string | null;
  stderrTail: string;
}

export type TrainerLauncher = () => TrainerConnection;

const STDERR_TAIL_BYTES = 4000;

/** Keeps the end of a stream, for the error message of a crashed process. */
export class TailBuffer {
  private text = '';
  push(chunk: Buffer | string): void {
    this.text = (this.text + chunk.toString()).slice(-STDERR_TAIL_BYTES);
  }
  toString(): string {
    return this.text.trim();
  }
}

export function forkLauncher(entry: string): TrainerLauncher {
  return () => {
    const child = fork(entry, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'advanced' });
    const tail = new TailBuffer();
    child.stderr?.on('data', (chunk: Buffer) => tail.push(chunk));
    const exitListeners: ((exit: TrainerExit) => void)[] = [];
    let exited: TrainerExit | null = null;
    const finish = (code: number | null, signal: string | null) => {
      if (exited) return;
      exited = { code, signal, stderrTail: tail.toString() };
      for (const listener of exitListeners) listener(exited);
    };
    // 'close' fires after stdio has drained, so the stderr tail is complete.
    child.on('close', (code, signal) => finish(code, signal));
    child.on('error', (err) => {
      tail.push(err.message);
      if (child.exitCode === null && child.pid === undefined) finish(null, null);
    });
    return {
      pid: child.pid,
      send: (message) => {
        if (child.connected) child.send(message as never);
      },
      onMessage: (listener) => child.on('message', listener),
      onExit: (listener) => {
        if (exited) listener(exited);
        else exitListeners.push(listener);
      },
      kill: () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      },
    };
  };
}
