import type { DatasetReview } from '../datasetsSlice';
import type { DatasetTask, Mapping, MappingRole, RecipeInput } from '../../../../common/datasetTypes';
import { DEFAULT_SPLIT } from '../../../../common/datasetTypes';
import { useWorkbenchStore } from '../store';
import { connection } from './boundConnection';

const store = () => useWorkbenchStore.getState();

/** Imports a dropped or chosen file; the outcome lands in the datasets slice (summary or error sentence). */
export async function importDatasetFile(file: File): Promise<void> {
  if (store().datasets.importing) return;
  const conn = connection();
  store().importStarted(file.name, file.size, conn.mode === 'browser' ? 'uploading' : 'reading');
  let result;
  try {
    result = await conn.importFile(file);
  } catch (err) {
    store().importFailed(`Could not import ${file.name}: ${err instanceof Error ? err.message : String(err)}`);
    return;
  }
  if (result.ok) store().importSucceeded(result.value);
  else store().importFailed(result.error.message);
}

export function selectDataset(id: string): void {
  store().datasetSelected(id);
}

// ---- Review before import: inspect, mapping, preprocessing preview, split, then import with an importId. ----

const review = () => store().datasets.review;
const parseOptions = (r: DatasetReview) => ({
  source: r.source,
  ...(r.task !== 'auto' ? { task: r.task } : {}),
  ...(Object.keys(r.map).length ? { map: r.map } : {}),
});
const errorText = (fileName: string, err: unknown) => `Could not read ${fileName}: ${err instanceof Error ? err.message : String(err)}`;

/** A dropped or chosen file: upload it once (browser) and show what an import would make of it. */
export async function reviewDatasetFile(file: File): Promise<void> {
  if (store().datasets.importing) return;
  const conn = connection();
  if (!conn.prepareSource) return importDatasetFile(file);
  store().reviewUpdated(null);
  store().importStarted(file.name, file.size, conn.mode === 'browser' ? 'uploading' : 'reading');
  try {
    const source = await conn.prepareSource(file);
    if (!source.ok) return store().importFailed(source.error.message);
    const inspected = await conn.api.call('datasets.inspect', { source: source.value });
    if (!inspected.ok) return store().importFailed(inspected.error.message);
    useWorkbenchStore.setState((s) => ({ datasets: { ...s.datasets, importing: null, error: null } }));
    store().reviewUpdated({
      fileName: file.name,
      bytes: file.size,
      source: source.value,
      inspect: inspected.value,
      map: {},
      task: 'auto',
      recipe: {},
      recipePreview: null,
      split: { ...DEFAULT_SPLIT },
      seed: null,
      importId: null,
      busy: false,
      error: null,
    });
    void refreshRecipePreview();
  } catch (err) {
    store().importFailed(errorText(file.name, err));
  }
}

async function reinspect(): Promise<void> {
  const r = review();
  if (!r) return;
  store().reviewUpdated({ busy: true, error: null });
  const result = await connection().api.call('datasets.inspect', parseOptions(r));
  if (review()?.source !== r.source) return;
  if (!result.ok) return store().reviewUpdated({ busy: false, error: result.error.message });
  store().reviewUpdated({ busy: false, inspect: result.value });
  await refreshRecipePreview();
}

export async function refreshRecipePreview(): Promise<void> {
  const r = review();
  if (!r) return;
  const result = await connection().api.call('datasets.previewRecipe', { ...parseOptions(r), recipe: r.recipe });
  if (review()?.source !== r.source) return;
  if (!result.ok) return store().reviewUpdated({ error: result.error.message, recipePreview: null });
  store().reviewUpdated({ recipePreview: result.value, error: null });
}

export function setReviewTask(task: DatasetTask | 'auto'): void {
  if (!review()) return;
  store().reviewUpdated({ task, map: {} });
  void reinspect();
}

export function setReviewMapping(role: MappingRole, column: string): void {
  const r = review();
  if (!r || !r.inspect) return;
  // keep the columns inspect chose for the other roles, so one change does not undo the rest
  const map: Mapping = { ...r.inspect.mapping, ...r.map, [role]: column || undefined };
  if (!column) delete map[role];
  store().reviewUpdated({ map, task: r.task === 'auto' ? r.inspect.task : r.task });
  void reinspect();
}

export function setReviewRecipe(change: Partial<RecipeInput>): void {
  const r = review();
  if (!r) return;
  store().reviewUpdated({ recipe: { ...r.recipe, ...change } });
  void refreshRecipePreview();
}

export function setReviewSplit(split: DatasetReview['split'], seed: number | null): void {
  if (review()) store().reviewUpdated({ split, seed });
}

export function discardReview(): void {
  store().reviewUpdated(null);
}

/** Imports the reviewed file with the chosen mapping, task, recipe, split and seed. */
export async function importReviewed(name?: string): Promise<void> {
  const r = review();
  if (!r || store().datasets.importing) return;
  const importId = `imp-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  store().reviewUpdated({ importId, error: null });
  store().importStarted(r.fileName, r.bytes, 'reading');
  try {
    const result = await connection().api.call('datasets.import', {
      ...parseOptions(r),
      importId,
      ...(name ? { name } : {}),
      recipe: r.recipe,
      split: r.split,
      ...(r.seed !== null ? { seed: r.seed } : {}),
    });
    if (result.ok) return store().importSucceeded(result.value);
    store().importFailed(result.error.message);
    store().reviewUpdated({ importId: null });
  } catch (err) {
    store().importFailed(errorText(r.fileName, err));
    store().reviewUpdated({ importId: null });
  }
}

export async function cancelReviewedImport(): Promise<void> {
  const importId = review()?.importId;
  if (importId) await connection().api.call('datasets.cancelImport', { importId });
}
