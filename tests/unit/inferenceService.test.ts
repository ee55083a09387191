// The model process behind the playground and evaluations: a request after Tunebench has begun stopping (an
// evaluation still running at shutdown) fails at once instead of starting a process that outlives the host.
import { describe, expect, it } from 'vitest';
import type { TrainerConnection } from '../../main/services/trainerProcess';
import { InferenceService } from '../../main/services/inferenceService';

function fakeLauncher() {
  const launched: { sent: unknown[]; killed: boolean }[] = [];
  const launch = (): TrainerConnection => {
    const record = { sent: [] as unknown[], killed: false };
    launched.push(record);
    return {
      pid: 1000 + launched.length,
      send: (message) => record.sent.push(message),
      onMessage: () => {},
      onExit: () => {},
      kill: () => {
        record.killed = true;
      },
    };
  };
  return { launch, launched };
}

describe('InferenceService', () => {
  it('starts a process on the first request and asks it to close', () => {
    const { launch, launched } = fakeLauncher();
    const inference = new InferenceService(launch);
    void inference.score({ kind: 'builtin', path: '/models/stories260K' }, ['once upon a time']).catch(() => {});
    expect(launched).toHaveLength(1);
    expect(launched[0].sent[0]).toMatchObject({ type: 'score', texts: ['once upon a time'] });
    inference.close();
    expect(launched[0].sent.at(-1)).toEqual({ type: 'close' });
  });

  it('refuses requests after the final close without starting a process', async () => {
    const { launch, launched } = fakeLauncher();
    const inference = new InferenceService(launch);
    inference.close(true);
    await expect(inference.generate({ kind: 'builtin', path: '/models/stories260K' }, { prompt: 'hi', maxTokens: 4, temperature: 0, topK: 0, topP: 1, stop: [], seed: 1 })).rejects.toThrow(/Tunebench is stopping/);
    expect(launched).toHaveLength(0);
  });
});
