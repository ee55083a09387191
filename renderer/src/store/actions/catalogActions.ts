// The built-in models (models.list), loaded once the services answer; a failure is kept for the Model screen, not
// the banner (the app works without the list: the fallbacks in lib/baseModels.ts describe the bases).
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
