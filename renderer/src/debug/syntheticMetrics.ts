// Synthetic metric points for checking that charts stay smooth with long series (the issue asks for 100k points).
// Used by a unit test and, through window.tunebenchDebug (installDebugHooks), by the Playwright screens test;
// nothing in the app calls it. Points go through the same path as live ones: metricSeries, then a version bump.
import { GRAD_NORM, LEARNING_RATE, LOSS, TOKENS_PER_S, VAL_LOSS } from '../lib/metricNames';
import { metricSeries } from '../store/metricSeries';
import { useWorkbenchStore } from '../store/store';

/** Train loss at every step from `fromStep`; val_loss every 50; lr, grad_norm and tokens_per_s every 10. */
export function syntheticPoints(fromStep: number, count: number): { step: number; name: string; value: number }[] {
  const points: { step: number; name: string; value: number }[] = [];
  for (let step = fromStep; step < fromStep + count; step++) {
    const decay = Math.exp(-step / 20_000);
    points.push({ step, name: LOSS, value: 1.2 + 3 * decay + 0.15 * Math.sin(step * 0.37) * Math.cos(step * 0.011) });
    if (step % 50 === 0) points.push({ step, name: VAL_LOSS, value: 1.35 + 3 * decay });
    if (step % 10 === 0) {
      points.push({ step, name: LEARNING_RATE, value: 3e-3 * (0.5 + 0.5 * Math.cos((Math.PI * (step % 100_000)) / 100_000)) });
      points.push({ step, name: GRAD_NORM, value: 0.4 + decay + 0.1 * Math.sin(step * 0.05) });
      points.push({ step, name: TOKENS_PER_S, value: 9_000 + 600 * Math.sin(step * 0.002) });
    }
  }
  return points;
}

/** Appends `count` steps of synthetic points to a run's series after its last step; one redraw is scheduled. */
export function pushSyntheticPoints(runId: string, count: number): number {
  const from = metricSeries.lastStep(runId) + 1;
  metricSeries.append(runId, syntheticPoints(from, count));
  useWorkbenchStore.getState().metricsChanged();
  return from + count - 1;
}

/**
 * Exposes `window.tunebenchDebug.pushSyntheticPoints(runId, count)` when localStorage `tunebench.debug` is '1'
 * (a test sets it before the page loads). Returns whether it did.
 */
export function installDebugHooks(win: Window & { tunebenchDebug?: unknown }): boolean {
  let enabled = false;
  try {
    enabled = win.localStorage.getItem('tunebench.debug') === '1';
  } catch {
    enabled = false;
  }
  if (enabled) win.tunebenchDebug = Object.freeze({ pushSyntheticPoints });
  return enabled;
}
