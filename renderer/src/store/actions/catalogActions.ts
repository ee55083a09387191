// The built-in models (models.list), loaded once the services answer; a failure is kept for the Model screen, not
// the banner (the app works without the list: the fallbacks in lib/baseModels.ts describe the bases).
import type { ModelInfo } from '../../../../common/evaluation';
import { useWorkbenchStore } from '../store';
import { connection } from './boundConnection';

const store = () => useWorkbenchStore.getState();

export async function loadModels(): Promise<void> {
  try {
    const result = await connection().api.call('models.list', {});
    if (result.ok) store().catalogLoaded(result.value);
    else store().catalogFailed(result.error.message);
  } catch (err) {
    store().catalogFailed(err instanceof Error ? err.message : String(err));
  }
}

/** Imports a model folder by path (desktop app); reloads the list on success. Returns the model or main's sentence. */
export async function importModel(path: string): Promise<{ ok: true; value: ModelInfo } | { ok: false; error: string }> {
  try {
    const result = await connection().api.call('models.import', { path });
    if (!result.ok) return { ok: false, error: result.error.message };
    await loadModels();
    return { ok: true, value: result.value };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}
