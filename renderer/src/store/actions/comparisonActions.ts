// The Runs screen's comparison: ticking a run loads its full series (runs.get) so the overlay chart can draw it.
import { useWorkbenchStore } from '../store';
import { ensureRunDetail } from './runDetails';

const store = () => useWorkbenchStore.getState();

export async function toggleCompared(runId: string): Promise<void> {
  store().comparisonToggled(runId);
  if (!store().comparison.selected.includes(runId)) return;
  const error = await ensureRunDetail(runId);
  if (error) store().comparisonFailed(error);
}
