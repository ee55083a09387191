// Time left in a run from its recent pace: steps per ms over the last samples this page saw (up to WINDOW_MS), or,
// before there are two such samples, the run's average pace since it started.
export interface StepSample {
  step: number;
  atMs: number; // wall clock, ms
}

const WINDOW_MS = 60_000;
const MIN_SPAN_MS = 1_500; // shorter spans give noisy rates

export function estimateRemainingMs(input: {
  samples: readonly StepSample[];
  step: number;
  totalSteps: number;
  /** Time the run has trained so far, for the fallback average; null when unknown. */
  elapsedMs: number | null;
}): number | null {
  const { samples, step, totalSteps, elapsedMs } = input;
  const left = totalSteps - step;
  if (left <= 0) return 0;
  const last = samples[samples.length - 1];
  if (last) {
    const first = samples.find((s) => last.atMs - s.atMs <= WINDOW_MS) ?? last;
    const span = last.atMs - first.atMs;
    const advanced = last.step - first.step;
    if (span >= MIN_SPAN_MS && advanced > 0) return (left * span) / advanced;
  }
  if (elapsedMs !== null && elapsedMs > 0 && step > 0) return (left * elapsedMs) / step;
  return null;
}

/** Training time so far: the recorded duration once finished, else now − startedAt; null before it started. */
export function elapsedMs(run: { startedAt: string | null; finishedAt: string | null; durationMs: number | null }, nowMs: number): number | null {
  if (run.finishedAt && run.durationMs !== null) return run.durationMs;
  if (!run.startedAt) return null;
  const started = Date.parse(run.startedAt);
  return Number.isFinite(started) ? Math.max(0, nowMs - started) : null;
}
