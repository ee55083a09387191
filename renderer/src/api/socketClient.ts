// WorkbenchApi over the browser-mode WebSocket (`tunebench serve`).
// Wire: client→server `{ id, call, input }`; server→client `{ id, result }` (a Result) or `{ event, payload }`.
// Calls made while the socket is not open wait for the next successful open; when a socket closes, every call it
// has not answered fails with an 'unavailable' Result, and the client reconnects after a growing delay.
import type { AppError, Result } from '../../../common/result';
import type { CallInput, CallName, CallOutput, EventName, EventPayload, WorkbenchApi } from '../../../common/contracts';
import { reconnectDelayMs } from './backoff';

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** The part of the DOM WebSocket this client uses; tests pass a fake. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export interface SocketClientOptions {
  url: string;
  createSocket?: (url: string) => SocketLike;
  /** Delay before reconnect attempt n (0-based), in ms. */
  delayMs?: (attempt: number) => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

interface PendingCall {
  wire: string; // the serialised request, sent on open
  sent: boolean;
  resolve: (result: Result<unknown>) => void;
}

const OPEN = 1; // WebSocket.OPEN

const LOST: AppError = {
  kind: 'unavailable',
  message: 'Lost the connection to the Tunebench server before it answered; reconnecting, try again in a moment.',
};
const UNREACHABLE: AppError = {
  kind: 'unavailable',
  message: 'Could not reach the Tunebench server; retrying, check that `tunebench serve` is still running.',
};
const CLOSED: AppError = { kind: 'unavailable', message: 'The connection to the Tunebench server was closed.' };

export class SocketClient implements WorkbenchApi {
  private readonly options: Required<SocketClientOptions>;
  private socket: SocketLike | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, PendingCall>();
  private readonly eventListeners = new Map<string, Set<(payload: unknown) => void>>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private attempt = 0;
  private timer: unknown = null;
  private current: ConnectionState = 'connecting';

  constructor(options: SocketClientOptions) {
    this.options = {
      createSocket: (url) => new WebSocket(url) as unknown as SocketLike,
      delayMs: (attempt) => reconnectDelayMs(attempt),
      setTimer: (fn, ms) => setTimeout(fn, ms),
      clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
      ...options,
    };
    this.connect();
  }

  get state(): ConnectionState {
    return this.current;
  }

  call<C extends CallName>(name: C, input: CallInput<C>): Promise<Result<CallOutput<C>>> {
    if (this.current === 'closed') return Promise.resolve({ ok: false, error: CLOSED });
    const id = this.nextId++;
    const wire = JSON.stringify({ id, call: name, input });
    return new Promise((resolve) => {
      const entry: PendingCall = { wire, sent: false, resolve: resolve as (r: Result<unknown>) => void };
      this.pending.set(id, entry);
      if (this.socket && this.socket.readyState === OPEN) this.send(entry);
    });
  }

  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void {
    let set = this.eventListeners.get(name);
    if (!set) this.eventListeners.set(name, (set = new Set()));
    const fn = listener as (payload: unknown) => void;
    set.add(fn);
    return () => set.delete(fn);
  }

  onStateChange(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Stops reconnecting and fails every unanswered call. */
  close(): void {
    this.setState('closed');
    if (this.timer !== null) this.options.clearTimer(this.timer);
    this.timer = null;
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onclose = null;
      socket.close();
    }
    this.failPending(CLOSED);
  }

  private connect(): void {
    this.timer = null;
    let socket: SocketLike;
    try {
      socket = this.options.createSocket(this.options.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    let opened = false;
    socket.onopen = () => {
      opened = true;
      this.attempt = 0;
      this.setState('open');
      for (const entry of this.pending.values()) if (!entry.sent) this.send(entry);
    };
    socket.onmessage = (ev) => this.receive(ev.data);
    socket.onerror = () => {
      // the close event that always follows carries the handling
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.failPending(opened ? LOST : UNREACHABLE);
      this.scheduleReconnect();
    };
  }

  private scheduleReconnect(): void {
    if (this.current === 'closed') return;
    this.setState('reconnecting');
    const delay = this.options.delayMs(this.attempt++);
    this.timer = this.options.setTimer(() => {
      this.setState('connecting');
      this.connect();
    }, delay);
  }

  private send(entry: PendingCall): void {
    entry.sent = true;
    this.socket!.send(entry.wire);
  }

  private receive(data: unknown): void {
    let message: unknown;
    try {
      message = typeof data === 'string' ? JSON.parse(data) : null;
    } catch {
      message = null;
    }
    if (!message || typeof message !== 'object') {
      console.warn('Tunebench: ignored a server message that is not a JSON object.');
      return;
    }
    const m = message as { id?: unknown; result?: unknown; event?: unknown; payload?: unknown };
    if (typeof m.id === 'number' && m.result && typeof m.result === 'object') {
      const entry = this.pending.get(m.id);
      if (!entry) return;
      this.pending.delete(m.id);
      entry.resolve(m.result as Result<unknown>);
    } else if (typeof m.event === 'string') {
      for (const listener of this.eventListeners.get(m.event) ?? []) {
        try {
          listener(m.payload);
        } catch (err) {
          console.error(`Tunebench: a listener of ${m.event} failed:`, err);
        }
      }
    }
  }

  private failPending(error: AppError): void {
    const entries = [...this.pending.values()];
    this.pending.clear();
    for (const entry of entries) entry.resolve({ ok: false, error });
  }

  private setState(state: ConnectionState): void {
    if (state === this.current) return;
    this.current = state;
    for (const listener of this.stateListeners) listener(state);
  }
}
