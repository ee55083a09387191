// Start-up and resynchronisation: subscribe to the services' events, load what exists, and reload after the
// browser-mode socket comes back (events sent while it was down are lost).
import type { WorkbenchConnection } from '../../api';
import { metricSeries } from '../metricSeries';
import { stepClock } from '../stepClock';
import { useWorkbenchStore } from '../store';
import { bindConnection, connection } from './boundConnection';
import { loadModels } from './catalogActions';
import { fetchRunDetail, forgetFetchedDetails } from './runDetails';

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
    api.on('runs.onDidUpdate', (run) => {
      if (run.status !== 'running') stepClock.reset(run.id);
      store().runUpdated(run);
    }),
    api.on('runs.onDidMetrics', ({ runId, points }) => {
      metricSeries.append(runId, points);
      let step = 0;
      for (const p of points) step = Math.max(step, p.step);
      stepClock.record(runId, step, Date.now());
      store().metricsChanged();
    }),
    api.on('runs.onDidLog', (entry) => store().logReceived(entry, Date.now())),
    api.on('datasets.onDidProgress', (progress) => store().importProgressed(progress)),
    api.on('runs.onDidEvalProgress', (progress) => store().evalProgressed(progress)),
    api.on('playground.onDidToken', ({ requestId, text }) => store().tokenReceived(requestId, text)),
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

/** system.info, datasets.list and runs.list, then the full series of the current and the compared runs. */
export async function loadInitialState(): Promise<boolean> {
  const { api } = connection();
  forgetFetchedDetails(); // live points may have been missed while disconnected
  const [info, datasets, runs] = await Promise.all([
    api.call('system.info', {}),
    api.call('datasets.list', {}),
    api.call('runs.list', {}),
  ]);
  const failure = [info, datasets, runs].find((r) => !r.ok);
  store().loadFailed(failure && !failure.ok ? failure.error.message : null);
  if (info.ok) store().systemInfoLoaded(info.value);
  if (runs.ok) {
    store().runsLoaded(runs.value);
    store().comparisonPruned(new Set(runs.value.map((r) => r.id)));
  }
  const currentRun = store().runs.list.find((r) => r.id === store().runs.currentId);
  if (datasets.ok) store().datasetsLoaded(datasets.value, currentRun?.datasetId);
  const wanted = new Set([...(currentRun ? [currentRun.id] : []), ...store().comparison.selected]);
  await Promise.all([
    ...[...wanted].map((id) => (id === currentRun?.id ? loadRun(id) : fetchRunDetail(id))),
    ...(store().catalog.models ? [] : [loadModels()]),
  ]);
  return !failure;
}

/** Fetches one run's summary and every metric series, merged with live points already received; a failure shows in the banner. */
export async function loadRun(runId: string): Promise<void> {
  const error = await fetchRunDetail(runId);
  if (error) store().loadFailed(error);
}
