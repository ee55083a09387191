// Delay before the n-th reconnect attempt (0-based): 0.5 s doubling to a 10 s ceiling, with ±20 % jitter so many
// tabs do not reconnect in lockstep. `random` is injectable for tests.
export const RECONNECT_BASE_MS = 500;
export const RECONNECT_MAX_MS = 10_000;

export function reconnectDelayMs(attempt: number, random: () => number = Math.random): number {
  const exponential = Math.min(RECONNECT_MAX_MS, RECONNECT_BASE_MS * 2 ** Math.max(0, attempt));
  const jitter = 1 + (random() * 0.4 - 0.2);
  return Math.round(Math.min(RECONNECT_MAX_MS, exponential * jitter));
}
