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
