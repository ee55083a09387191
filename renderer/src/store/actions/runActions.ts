// Start, pause, resume and cancel of the current run. Each call's answer (a RunSummary) updates the runs slice;
// the events that follow keep it current.
import type { PresetName } from '../../../../common/config';
import type { RunSummary } from '../../../../common/domain';
import type { Result } from '../../../../common/result';
import type { RunAction } from '../runsSlice';
import { isRunActive } from '../runsSlice';
import { selectCurrentDataset, selectCurrentRun, useWorkbenchStore } from '../store';
import { connection } from './boundConnection';

const store = () => useWorkbenchStore.getState();

async function perform(action: RunAction, call: () => Promise<Result<RunSummary>>): Promise<RunSummary | null> {
  if (store().runs.pending) return null;
  store().runActionStarted(action);
  let result: Result<RunSummary>;
  try {
    result = await call();
  } catch (err) {
    result = { ok: false, error: { kind: 'internal', message: err instanceof Error ? err.message : String(err) } };
  }
  if (!result.ok) {
    store().runActionFinished(result.error.message);
    return null;
  }
  store().runUpdated(result.value);
  store().runActionFinished(null);
  return result.value;
}

/** Trains on the current dataset with a preset; the new run becomes the one the panel shows. */
export async function startTraining(preset: PresetName = 'quick'): Promise<void> {
  const dataset = selectCurrentDataset(store());
  if (!dataset || isRunActive(selectCurrentRun(store()))) return;
  const run = await perform('start', () => connection().api.call('runs.start', { datasetId: dataset.id, preset }));
  if (run) store().runSelected(run.id);
}

const onCurrentRun = (action: 'pause' | 'resume' | 'cancel') => async (): Promise<void> => {
  const run = selectCurrentRun(store());
  if (!run) return;
  await perform(action, () => connection().api.call(`runs.${action}`, { runId: run.id }));
};

export const pauseRun = onCurrentRun('pause');
export const resumeRun = onCurrentRun('resume');
export const cancelRun = onCurrentRun('cancel');
