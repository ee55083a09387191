// Which run a picker (Evaluate, Playground, Export) starts on: the run the app has selected when it qualifies,
// else the newest that does. Pure.
import type { RunSummary } from '../../../common/domain';

export const isUsableRun = (run: Pick<RunSummary, 'status'>): boolean => run.status === 'completed';

/** `runs` newest first; null when none qualifies. */
export function defaultRunId(runs: readonly RunSummary[], currentId: string | null, usable = isUsableRun): string | null {
  const current = runs.find((r) => r.id === currentId);
  if (current && usable(current)) return current.id;
  return runs.find(usable)?.id ?? null;
}

/** "reviews · few-shot · run-abc" — how a picker names a run. */
export const runLabel = (run: Pick<RunSummary, 'id' | 'datasetName' | 'preset' | 'task'>): string =>
  `${run.datasetName} · ${run.preset} · ${run.task} · ${run.id}`;
