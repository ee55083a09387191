import { describe, expect, it } from 'vitest';
import { CALL_CHANNELS, EVENT_CHANNELS } from '../../common/channels';
import { CALL_NAMES, EVENT_NAMES } from '../../common/contracts';
import { TunebenchError } from '../../common/result';
import { createDispatcher, type Handlers } from '../../main/ipc/dispatcher';

describe('contracts', () => {
  it('the preload allowlist names exactly the calls and events of the contracts', () => {
    expect([...CALL_CHANNELS].sort()).toEqual([...CALL_NAMES].sort());
    expect([...EVENT_CHANNELS].sort()).toEqual([...EVENT_NAMES].sort());
  });
});

describe('dispatcher', () => {
  const handlers = {
    'system.info': () => ({ version: '1.0.0', mode: 'browser', dataDir: '/tmp/x' }),
    'runs.get': ({ runId }: { runId: string }) => {
      throw new TunebenchError('not-found', `No run '${runId}'.`);
    },
    'runs.list': () => {
      throw new Error('disk on fire');
    },
  } as unknown as Handlers;
  const dispatch = createDispatcher(handlers);

  it('answers a valid call with ok and its value', async () => {
    expect(await dispatch('system.info', {})).toEqual({ ok: true, value: { version: '1.0.0', mode: 'browser', dataDir: '/tmp/x' } });
  });

  it('refuses unknown calls and invalid input with a bad-input error naming the field', async () => {
    expect(await dispatch('shell.exec', {})).toEqual({ ok: false, error: { kind: 'bad-input', message: "Unknown call 'shell.exec'." } });
    const bad = await dispatch('runs.get', { runId: '../../etc/passwd' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error.kind).toBe('bad-input');
      expect(bad.error.message).toContain("'runId'");
    }
    const extra = await dispatch('system.info', { evil: true });
    expect(extra.ok).toBe(false);
  });

  it('validates runs.estimate input before main sizes anything: the dataset id, the preset, override values', async () => {
    for (const input of [{ datasetId: '../x' }, { preset: 'huge' }, { overrides: { batchSize: { $gt: 1 } } }, { extra: 1 }]) {
      const result = await dispatch('runs.estimate', input);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.kind).toBe('bad-input');
    }
  });

  it('turns thrown errors into envelopes instead of throwing', async () => {
    expect(await dispatch('runs.get', { runId: 'run-1' })).toEqual({ ok: false, error: { kind: 'not-found', message: "No run 'run-1'." } });
    expect(await dispatch('runs.list', {})).toEqual({ ok: false, error: { kind: 'internal', message: 'disk on fire' } });
  });
});
