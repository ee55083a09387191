// The trainer process entry (bundled to out/main/trainer.js). It wires a channel to the parent — Electron's
// utilityProcess (process.parentPort) or child_process.fork (process.send) — runs one session and exits: 0 after
// `done`, 1 after `error` or anything uncaught. The sessions live in session.ts (training) and inference.ts (using
// models) so tests run them in-process.
import type { TrainerMessage } from '../../common/protocol';
import { runInferenceSession } from './inference';
import { runTrainerSession, type SessionOutcome, type TrainerChannel } from './session';

const INFERENCE_TYPES = new Set(['generate', 'classify', 'score', 'close']);

/**
 * Waits for the host's first message: a training `start` (or control message) runs a training session, an inference
 * request an inference session. The chosen session sees every message, the first one included.
 */
function sessionFor(channel: TrainerChannel): Promise<SessionOutcome | void> {
  const buffered: unknown[] = [];
  let deliver: ((message: unknown) => void) | null = null;
  const replay: TrainerChannel = {
    send: (message) => channel.send(message),
    onMessage: (listener) => {
      deliver = listener;
      for (const message of buffered.splice(0)) listener(message);
    },
  };
  return new Promise((resolve) => {
    let decided = false;
    channel.onMessage((message) => {
      if (deliver) deliver(message);
      else buffered.push(message);
      if (decided) return;
      decided = true;
      const type = typeof message === 'object' && message !== null ? (message as { type?: unknown }).type : undefined;
      resolve(INFERENCE_TYPES.has(String(type)) ? runInferenceSession(replay) : runTrainerSession(replay));
    });
  });
}

interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

interface Connection {
  channel: TrainerChannel;
  /** Resolves once everything sent so far has left the process. */
  flush(): Promise<void>;
}

// Electron gives no delivery callback for parentPort.postMessage; this is time for the message to leave the process.
const PARENT_PORT_FLUSH_MS = 200;

function connect(): Connection | null {
  const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
  if (parentPort) {
    return {
      channel: {
        send: (message) => parentPort.postMessage(message),
        onMessage: (listener) => parentPort.on('message', (event) => listener(event.data)),
      },
      flush: () => new Promise((resolve) => setTimeout(resolve, PARENT_PORT_FLUSH_MS)),
    };
  }
  if (process.send) {
    let pending: Promise<void> = Promise.resolve();
    process.on('disconnect', () => process.exit(0)); // the host is gone: nobody to train for
    return {
      channel: {
        send: (message) => {
          const sent = new Promise<void>((resolve) => {
            if (!process.connected) return resolve();
            process.send!(message, undefined, {}, () => resolve());
          });
          pending = pending.then(() => sent);
        },
        onMessage: (listener) => process.on('message', listener),
      },
      flush: () => pending,
    };
  }
  return null;
}

function main(): void {
  const connection = connect();
  if (!connection) {
    process.stderr.write('The Tunebench trainer must be started by Tunebench (no parent process channel).\n');
    process.exit(2);
  }
  const { channel, flush } = connection;
  let exiting = false;
  const exit = (code: number) => {
    if (exiting) return;
    exiting = true;
    flush().then(
      () => process.exit(code),
      () => process.exit(code),
    );
  };
  const crash = (err: unknown) => {
    if (exiting) return process.exit(1);
    const message: TrainerMessage = {
      type: 'error',
      message: `The trainer crashed: ${err instanceof Error ? err.message : String(err)}`,
      ...(err instanceof Error && err.stack ? { stack: err.stack } : {}),
    };
    channel.send(message);
    exit(1);
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  sessionFor(channel).then((outcome) => exit(outcome?.kind === 'error' ? 1 : 0), crash);
}

main();
