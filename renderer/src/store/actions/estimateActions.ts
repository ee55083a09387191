// The Model screen's memory and time estimate: main resolves the draft as runs.start would (the few-shot preset's
// choice on the dataset included) and sizes it (common/estimate.ts). Answers to an older draft are dropped.
import { selectDraft } from '../draft';
import { selectCurrentDataset, useWorkbenchStore } from '../store';
import { connection } from './boundConnection';

const store = () => useWorkbenchStore.getState();
let latest = 0;

export async function refreshEstimate(): Promise<void> {
  const s = store();
  const draft = selectDraft(s);
  const asked = ++latest;
  if (Object.keys(draft.errors).length > 0) return store().estimateShown(null); // the field's own error says why
  const dataset = selectCurrentDataset(s);
  try {
    const result = await connection().api.call('runs.estimate', { ...(dataset ? { datasetId: dataset.id } : {}), preset: s.model.preset, overrides: draft.overrides });
    if (asked !== latest) return;
    store().estimateShown(result.ok ? { ...result.value, error: null } : { estimate: null, lines: [], error: result.error.message });
  } catch (err) {
    if (asked === latest) store().estimateShown({ estimate: null, lines: [], error: err instanceof Error ? err.message : String(err) });
  }
}
