import { describe, expect, it, vi } from 'vitest';
import { SocketClient, type SocketLike } from '../../../renderer/src/api/socketClient';

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: Array<{ id: number; call: string; input: unknown }> = [];
  onopen: SocketLike['onopen'] = null;
  onclose: SocketLike['onclose'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onerror: SocketLike['onerror'] = null;
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.drop();
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  drop() {
    this.readyState = 3;
    this.onclose?.({});
  }
  receive(message: unknown) {
    this.onmessage?.({ data: typeof message === 'string' ? message : JSON.stringify(message) });
  }
}

function setup() {
  const sockets: FakeSocket[] = [];
  const timers: Array<() => void> = [];
  const client = new SocketClient({
    url: 'ws://host/ws?token=t',
    createSocket: () => {
      const s = new FakeSocket();
      sockets.push(s);
      return s;
    },
    delayMs: () => 10,
    setTimer: (fn) => timers.push(fn),
    clearTimer: () => {},
  });
  const states: string[] = [];
  client.onStateChange((s) => states.push(s));
  const fireTimers = () => timers.splice(0).forEach((fn) => fn());
  return { client, sockets, states, fireTimers };
}

describe('SocketClient', () => {
  it('sends calls made before the socket opened once it opens, and resolves each by id', async () => {
    const { client, sockets } = setup();
    const info = client.call('system.info', {});
    const list = client.call('datasets.list', {});
    expect(sockets[0].sent).toEqual([]);
    sockets[0].open();
    expect(sockets[0].sent.map((m) => m.call)).toEqual(['system.info', 'datasets.list']);
    const [a, b] = sockets[0].sent;
    sockets[0].receive({ id: b.id, result: { ok: true, value: [] } });
    sockets[0].receive({ id: a.id, result: { ok: false, error: { kind: 'internal', message: 'boom' } } });
    expect(await list).toEqual({ ok: true, value: [] });
    expect(await info).toEqual({ ok: false, error: { kind: 'internal', message: 'boom' } });
  });

  it('delivers pushed events to listeners until they unsubscribe', () => {
    const { client, sockets } = setup();
    sockets[0].open();
    const seen: unknown[] = [];
    const stop = client.on('runs.onDidMetrics', (p) => seen.push(p));
    const payload = { runId: 'run-1', points: [{ step: 5, name: 'loss', value: 3.2 }] };
    sockets[0].receive({ event: 'runs.onDidMetrics', payload });
    stop();
    sockets[0].receive({ event: 'runs.onDidMetrics', payload });
    expect(seen).toEqual([payload]);
  });

  it('fails unanswered calls as unavailable when the socket drops, then reconnects and works again', async () => {
    const { client, sockets, states, fireTimers } = setup();
    sockets[0].open();
    const lost = client.call('runs.list', {});
    sockets[0].drop();
    const result = await lost;
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.kind).toBe('unavailable');
    expect(states).toEqual(['open', 'reconnecting']);

    const later = client.call('runs.list', {}); // made while waiting to reconnect
    fireTimers();
    expect(sockets).toHaveLength(2);
    sockets[1].open();
    expect(states).toEqual(['open', 'reconnecting', 'connecting', 'open']);
    sockets[1].receive({ id: sockets[1].sent[0].id, result: { ok: true, value: [] } });
    expect(await later).toEqual({ ok: true, value: [] });
  });

  it('ignores messages that are not JSON objects or answer no pending call', () => {
    const { client, sockets } = setup();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    sockets[0].open();
    sockets[0].receive('not json');
    sockets[0].receive({ id: 999, result: { ok: true, value: 1 } });
    expect(warn).toHaveBeenCalledTimes(1);
    warn.mockRestore();
    expect(client.state).toBe('open');
  });

  it('after close() answers calls with an error and does not reconnect', async () => {
    const { client, sockets, fireTimers } = setup();
    sockets[0].open();
    const pending = client.call('runs.list', {});
    client.close();
    expect((await pending).ok).toBe(false);
    expect((await client.call('runs.list', {})).ok).toBe(false);
    fireTimers();
    expect(sockets).toHaveLength(1);
  });
});
