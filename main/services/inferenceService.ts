// Using models from the host: one long-lived trainer process in inference mode answers generate / classify / score
// requests (the model stays loaded between playground calls). It starts on the first request and is asked to close
// after a minute without requests; if it dies, pending requests fail with the reason and the next one starts anew.
import { trainerMessageSchema, type ClassifyResult, type GenerateRequest, type GenerateResult, type HostMessage, type ModelRef } from '../../common/protocol';
import { TunebenchError } from '../../common/result';
import type { TrainerConnection, TrainerLauncher } from './trainerProcess';

const IDLE_CLOSE_MS = 60_000;

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
  onToken?(text: string): void;
}

export class InferenceService {
  private conn: TrainerConnection | null = null;
  private readonly pending = new Map<string, Pending>();
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly launchTrainer: TrainerLauncher) {}

  generate(model: ModelRef, request: GenerateRequest, onToken?: (text: string) => void): Promise<GenerateResult> {
    return this.request((requestId) => ({ type: 'generate', requestId, model, request }), onToken) as Promise<GenerateResult>;
  }

  classify(model: ModelRef, texts: string[]): Promise<ClassifyResult> {
    return this.request((requestId) => ({ type: 'classify', requestId, model, texts })) as Promise<ClassifyResult>;
  }

  /** Mean next-token loss (nats) over the texts and how many tokens it covered. */
  score(model: ModelRef, texts: string[]): Promise<{ loss: number; tokens: number }> {
    return this.request((requestId) => ({ type: 'score', requestId, model, texts })) as Promise<{ loss: number; tokens: number }>;
  }

  /** Ends the model process. With `final` (Tunebench is stopping) later requests are refused instead of starting one. */
  close(final = false): void {
    if (final) this.stopped = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.conn?.send({ type: 'close' } satisfies HostMessage);
    const conn = this.conn;
    this.conn = null;
    if (conn) setTimeout(() => conn.kill(), 2000).unref();
  }

  private request(build: (requestId: string) => HostMessage, onToken?: (text: string) => void): Promise<unknown> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const requestId = `r${this.nextId++}`;
    let conn: TrainerConnection;
    try {
      conn = this.connection();
    } catch (err) {
      return Promise.reject(err);
    }
    return new Promise((resolve, reject) => {
      this.pending.set(requestId, { resolve, reject, onToken });
      conn.send(build(requestId));
    }).finally(() => {
      this.pending.delete(requestId);
      if (this.pending.size === 0) this.idleTimer = setTimeout(() => this.close(), IDLE_CLOSE_MS).unref();
    });
  }

  private connection(): TrainerConnection {
    if (this.conn) return this.conn;
    // An evaluation still running at shutdown would otherwise start a new process that outlives the host by a minute.
    if (this.stopped) throw new TunebenchError('conflict', 'Tunebench is stopping; no model can be run now.');
    const conn = this.launchTrainer();
    this.conn = conn;
    conn.onMessage((raw) => {
      const parsed = trainerMessageSchema.safeParse(raw);
      if (!parsed.success) return;
      const msg = parsed.data;
      if (!('requestId' in msg)) return;
      const waiting = this.pending.get(msg.requestId);
      if (!waiting) return;
      switch (msg.type) {
        case 'token':
          waiting.onToken?.(msg.text);
          break;
        case 'generated':
        case 'classified':
          waiting.resolve(msg.result);
          break;
        case 'scored':
          waiting.resolve({ loss: msg.loss, tokens: msg.tokens });
          break;
        case 'failed':
          waiting.reject(new TunebenchError('bad-input', msg.message));
          break;
      }
    });
    conn.onExit((exit) => {
      if (this.conn === conn) this.conn = null;
      const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
      const detail = exit.stderrTail ? `: ${exit.stderrTail.split('\n').slice(-3).join(' ')}` : '';
      for (const waiting of this.pending.values()) waiting.reject(new TunebenchError('internal', `The model process ${how}${detail}`));
      this.pending.clear();
    });
    return conn;
  }
}
