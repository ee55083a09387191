import { describe, expect, it } from 'vitest';
import { takeTokenFromSearch } from '../../../renderer/src/api/browserToken';
import { socketUrl } from '../../../renderer/src/api/browserConnection';
import { RECONNECT_MAX_MS, reconnectDelayMs } from '../../../renderer/src/api/backoff';

describe('browser-mode address', () => {
  it('takes the token out of the query and keeps the other parameters', () => {
    expect(takeTokenFromSearch('?token=abc123')).toEqual({ token: 'abc123', rest: '' });
    expect(takeTokenFromSearch('?view=runs&token=abc&x=1')).toEqual({ token: 'abc', rest: '?view=runs&x=1' });
    expect(takeTokenFromSearch('?token=')).toEqual({ token: null, rest: '' });
    expect(takeTokenFromSearch('')).toEqual({ token: null, rest: '' });
  });

  it('builds the WebSocket address on the page host, secure when the page is', () => {
    expect(socketUrl({ protocol: 'http:', host: '127.0.0.1:8123' }, 'a b')).toBe('ws://127.0.0.1:8123/ws?token=a%20b');
    expect(socketUrl({ protocol: 'https:', host: 'box:443' }, 't')).toBe('wss://box:443/ws?token=t');
  });

  it('waits longer after each failed reconnect, up to a ceiling', () => {
    const mid = () => 0.5; // no jitter
    expect(reconnectDelayMs(0, mid)).toBe(500);
    expect(reconnectDelayMs(3, mid)).toBe(4000);
    expect(reconnectDelayMs(20, mid)).toBe(RECONNECT_MAX_MS);
    expect(reconnectDelayMs(20, () => 0.999)).toBeLessThanOrEqual(RECONNECT_MAX_MS);
  });
});
