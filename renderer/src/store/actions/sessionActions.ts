// Start-up and resynchronisation: subscribe to the services' events, load what exists, and reload after the
// browser-mode socket comes back (events sent while it was down are lost).
import type { RunDetail } from '../../../../common/domain';
import type { WorkbenchConnection } from '../../api';
import { metricSeries } from '../metricSeries';
import { useWorkbenchStore } from '../store';
import { bindConnection, connection } from './boundConnection';

const store = () => useWorkbenchStore.getState();

/** Binds the connection, wires its events into the store and loads the initial state. Returns a stop function. */
export function startWorkbench(conn: WorkbenchConnection): () => void {
  bindConnection(conn);
  store().connectionChanged(conn.mode, conn.state);
  const { api } = conn;
  let everOpened = conn.state === 'open';
  let loading: Promise<void> | null = null;
  let loadedOk = false;
  const load = () => {
    loading ??= loadInitialState().then((ok) => {
      loadedOk = ok;
      loading = null;
    });
    return loading;
  };

  const stops = [
    api.on('runs.onDidUpdate', (run) => store().runUpdated(run)),
    api.on('runs.onDidMetrics', ({ runId, points }) => {
      metricSeries.append(runId, points);
      store().metricsChanged();
    }),
    api.on('datasets.onDidProgress', (progress) => store().importProgressed(progress)),
    conn.onStateChange((state) => {
      const previous = useWorkbenchStore.getState().system.connection;
      store().connectionChanged(conn.mode, state);
      if (state !== 'open' || previous === 'open') return;
      const reconnected = everOpened;
      everOpened = true;
      if (reconnected || (!loading && !loadedOk)) void load();
    }),
  ];
  void load();
  return () => {
    for (const stop of stops) stop();
    bindConnection(null);
  };
}

/** system.info, datasets.list and runs.list, then the current run's full series. True when all answered. */
export async function loadInitialState(): Promise<boolean> {
  const { api } = connection();
  const [info, datasets, runs] = await Promise.all([
    api.call('system.info', {}),
    api.call('datasets.list', {}),
    api.call('runs.list', {}),
  ]);
  const failure = [info, datasets, runs].find((r) => !r.ok);
  store().loadFailed(failure && !failure.ok ? failure.error.message : null);
  if (info.ok) store().systemInfoLoaded(info.value);
  if (runs.ok) store().runsLoaded(runs.value);
  const currentRun = store().runs.list.find((r) => r.id === store().runs.currentId);
  if (datasets.ok) store().datasetsLoaded(datasets.value, currentRun?.datasetId);
  if (currentRun) await loadRun(currentRun.id);
  return !failure;
}

/** Fetches one run's summary and every metric series, merged with live points already received. */
export async function loadRun(runId: string): Promise<void> {
  const result = await connection().api.call('runs.get', { runId });
  if (!result.ok) {
    store().loadFailed(result.error.message);
    return;
  }
  const { series, checkpoints: _checkpoints, ...summary }: RunDetail = result.value;
  metricSeries.merge(runId, series);
  store().runUpdated(summary);
  store().metricsChanged();
}
