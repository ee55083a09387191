import { describe, expect, it } from 'vitest';
import { elapsedMs, estimateRemainingMs } from '../../../renderer/src/lib/eta';

describe('time left in a run', () => {
  it('uses the recent pace when the page saw steps advance', () => {
    const samples = [
      { step: 10, atMs: 0 },
      { step: 20, atMs: 5_000 },
      { step: 30, atMs: 10_000 },
    ]; // 2 steps per second
    expect(estimateRemainingMs({ samples, step: 30, totalSteps: 130, elapsedMs: 999_999 })).toBe(50_000);
  });

  it('ignores samples older than a minute', () => {
    const samples = [
      { step: 0, atMs: 0 }, // a slow start, long ago
      { step: 100, atMs: 100_000 },
      { step: 200, atMs: 110_000 }, // 10 steps per second lately
    ];
    expect(estimateRemainingMs({ samples, step: 200, totalSteps: 300, elapsedMs: 110_000 })).toBe(10_000);
  });

  it('falls back to the average pace since the start, and says nothing before the first step', () => {
    expect(estimateRemainingMs({ samples: [], step: 50, totalSteps: 150, elapsedMs: 10_000 })).toBe(20_000);
    expect(estimateRemainingMs({ samples: [], step: 0, totalSteps: 150, elapsedMs: 10_000 })).toBeNull();
    expect(estimateRemainingMs({ samples: [], step: 150, totalSteps: 150, elapsedMs: 10_000 })).toBe(0);
  });

  it('measures elapsed time from the start, or takes the recorded duration once finished', () => {
    const started = { startedAt: '2024-01-01T00:00:00.000Z', finishedAt: null, durationMs: null };
    expect(elapsedMs(started, Date.parse('2024-01-01T00:01:00.000Z'))).toBe(60_000);
    expect(elapsedMs({ ...started, finishedAt: '2024-01-01T00:02:00.000Z', durationMs: 119_000 }, 0)).toBe(119_000);
    expect(elapsedMs({ startedAt: null, finishedAt: null, durationMs: null }, 5)).toBeNull();
  });
});
