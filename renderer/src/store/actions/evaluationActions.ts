// Evaluate a run (runs.evaluate, with runs.onDidEvalProgress events along the way) and load its stored reports.
import { useWorkbenchStore } from '../store';
import { connection } from './boundConnection';

const store = () => useWorkbenchStore.getState();
const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

export async function loadEvaluations(runId: string): Promise<void> {
  try {
    const result = await connection().api.call('runs.evaluations', { runId });
    if (result.ok) store().evaluationsLoaded(runId, result.value);
    else store().evaluationsFailed(runId, result.error.message);
  } catch (err) {
    store().evaluationsFailed(runId, message(err));
  }
}

/** Evaluates on the run's own held-out split, or on `datasetId`; the report lands first in the run's list. */
export async function evaluateRun(runId: string, datasetId?: string): Promise<void> {
  if (store().evaluations.running[runId]) return;
  store().evaluationStarted(runId);
  try {
    const result = await connection().api.call('runs.evaluate', { runId, ...(datasetId ? { datasetId } : {}) });
    store().evaluationFinished(runId, result.ok ? { report: result.value } : { error: result.error.message });
  } catch (err) {
    store().evaluationFinished(runId, { error: message(err) });
  }
}
