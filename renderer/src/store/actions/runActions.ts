// Start (from the Model screen's draft), pause, resume, cancel, open and delete runs. Each call's answer updates the
// runs slice; the events that follow keep it current.
import type { Overrides } from '../../../../common/config';
import type { RunSummary } from '../../../../common/domain';
import type { Result } from '../../../../common/result';
import { fieldNamedIn } from '../../lib/configDraft';
import { selectDraft } from '../draft';
import { metricSeries } from '../metricSeries';
import type { RunAction } from '../runsSlice';
import { anyRunActive } from '../runsSlice';
import { stepClock } from '../stepClock';
import { selectCurrentDataset, selectCurrentRun, useWorkbenchStore } from '../store';
import { connection } from './boundConnection';
import { ensureRunDetail, forgetRunDetail } from './runDetails';

const store = () => useWorkbenchStore.getState();

async function settle<T>(call: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await call();
  } catch (err) {
    return { ok: false, error: { kind: 'internal', message: err instanceof Error ? err.message : String(err) } };
  }
}

async function perform(action: RunAction, call: () => Promise<Result<RunSummary>>): Promise<Result<RunSummary> | null> {
  if (store().runs.pending) return null;
  store().runActionStarted(action);
  const result = await settle(call);
  if (result.ok) store().runUpdated(result.value);
  store().runActionFinished(result.ok || action === 'start' ? null : result.error.message);
  return result;
}

/**
 * Trains on the current dataset with the Model screen's preset and edits (plus the Settings backend). An invalid
 * draft opens the Model screen instead; main's refusal lands beside the field it names. On success the Training
 * screen shows the new run.
 */
export async function startTraining(): Promise<void> {
  const s = store();
  const dataset = selectCurrentDataset(s);
  if (!dataset || anyRunActive(s.runs.list)) return;
  const { preset } = s.model;
  const draft = selectDraft(s);
  const invalid = Object.keys(draft.errors)[0];
  if (invalid) {
    store().startRejected({ field: null, message: `Fix the highlighted setting (${invalid}) before training.` });
    store().screenShown('model');
    return;
  }
  store().startRejected(null);
  const result = await perform('start', () =>
    connection().api.call('runs.start', { datasetId: dataset.id, preset, overrides: draft.overrides }),
  );
  if (!result) return;
  if (!result.ok) {
    store().startRejected({ field: fieldNamedIn(result.error.message), message: result.error.message });
    return;
  }
  store().runSelected(result.value.id);
  store().screenShown('training');
}

/**
 * The one-click few-shot fine-tune: main picks base, method and settings from the dataset (common/fewShotPreset.ts);
 * only the Settings backend goes along, when one is set. The Training screen shows the run and its chosen config.
 * Returns main's refusal, or null once the run started.
 */
export async function fineTune(datasetId: string): Promise<string | null> {
  const s = store();
  if (anyRunActive(s.runs.list)) return 'A run is training; wait for it to finish or cancel it on the Training screen.';
  const backend = s.settings.defaultBackend;
  const overrides: Overrides = backend === 'auto' ? {} : { backend };
  const result = await perform('start', () => connection().api.call('runs.start', { datasetId, preset: 'few-shot', overrides }));
  if (!result) return null;
  if (!result.ok) return result.error.message;
  store().runSelected(result.value.id);
  store().screenShown('training');
  return null;
}

const onCurrentRun = (action: 'pause' | 'resume' | 'cancel') => async (): Promise<void> => {
  const run = selectCurrentRun(store());
  if (!run) return;
  stepClock.reset(run.id);
  await perform(action, () => connection().api.call(`runs.${action}`, { runId: run.id }));
};

export const pauseRun = onCurrentRun('pause');
export const resumeRun = onCurrentRun('resume');
export const cancelRun = onCurrentRun('cancel');

/** Trains a stopped run on from its latest checkpoint and shows it on the Training screen. */
export async function continueRun(runId: string): Promise<void> {
  if (anyRunActive(store().runs.list)) return;
  stepClock.reset(runId);
  const result = await perform('start', () => connection().api.call('runs.continue', { runId }));
  if (!result?.ok) {
    if (result) store().loadFailed(result.error.message);
    return;
  }
  store().runSelected(runId);
  store().screenShown('training');
}

/** Shows a run on the Training screen, loading its series first if this page does not have them. */
export async function openRun(runId: string): Promise<void> {
  store().runSelected(runId);
  store().screenShown('training');
  const error = await ensureRunDetail(runId);
  if (error) store().loadFailed(error);
}

/** Deletes a finished run (main refuses an active one). Returns the error sentence, or null once it is gone. */
export async function deleteRun(runId: string): Promise<string | null> {
  const result = await settle(() => connection().api.call('runs.delete', { runId }));
  if (!result.ok) return result.error.message;
  store().runRemoved(runId);
  store().comparisonPruned(new Set(store().runs.list.map((r) => r.id)));
  store().logsForgotten(runId);
  metricSeries.delete(runId);
  stepClock.reset(runId);
  forgetRunDetail(runId);
  store().metricsChanged();
  const current = store().runs.currentId;
  if (current) void ensureRunDetail(current);
  return null;
}
