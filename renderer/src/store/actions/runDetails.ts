// A run's full metric series (runs.get), merged into metricSeries with the live points already held. Each run is
// fetched once per connection; live events keep it current after that.
import type { RunDetail } from '../../../../common/domain';
import { metricSeries } from '../metricSeries';
import { useWorkbenchStore } from '../store';
import { connection } from './boundConnection';

const store = () => useWorkbenchStore.getState();
const fetched = new Set<string>();

/** Loads the run's series; returns the error sentence, or null on success. */
export async function fetchRunDetail(runId: string): Promise<string | null> {
  const result = await connection().api.call('runs.get', { runId });
  if (!result.ok) return result.error.message;
  const { series, checkpoints: _checkpoints, logs, ...summary }: RunDetail = result.value;
  metricSeries.merge(runId, series);
  store().logsLoaded(runId, logs ?? []);
  fetched.add(runId);
  store().runUpdated(summary);
  store().metricsChanged();
  return null;
}

/** Loads the run's series unless this page already has them. */
export async function ensureRunDetail(runId: string): Promise<string | null> {
  return fetched.has(runId) ? null : fetchRunDetail(runId);
}

/** After a reconnect, live points may have been missed: fetch again on next use. */
export function forgetFetchedDetails(): void {
  fetched.clear();
}

export function forgetRunDetail(runId: string): void {
  fetched.delete(runId);
}
