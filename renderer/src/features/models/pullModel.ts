// Downloading a model by name (models.pull) from the app: the call, its progress events (only this request's), the
// cancel, and the model list reloaded when it lands. Kept beside the panel rather than in the store: one panel uses it.
import type { HubModel, ListedModel, PullProgress } from '../../../../common/contracts/models';
import { loadModels } from '../../store/actions/catalogActions';
import { connection } from '../../store/actions/boundConnection';

export type PullOutcome = { ok: true; model: ListedModel } | { ok: false; cancelled: boolean; error: string };

/** `org/name` or `org/name@revision`, as typed; null when it cannot be a Hub name (the server checks again). */
export function parseModelName(text: string): { repo: string; revision?: string } | null {
  const m = text.trim().match(/^((?:[A-Za-z0-9][\w.-]{0,95}\/)?[A-Za-z0-9][\w.-]{0,95})(?:@([\w][\w./-]{0,127}))?$/);
  if (!m || m[0].includes('..') || m[1].includes('--')) return null;
  return m[2] ? { repo: m[1], revision: m[2] } : { repo: m[1] };
}

let counter = 0;

/** Starts a pull; `onProgress` sees its progress events; `cancel()` stops it (what arrived stays in the cache). */
export function startPull(name: { repo: string; revision?: string }, onProgress: (p: PullProgress) => void): { requestId: string; done: Promise<PullOutcome>; cancel: () => Promise<void> } {
  const requestId = `pull-${Date.now().toString(36)}-${(counter++).toString(36)}`;
  const { api } = connection();
  const off = api.on('models.onDidPullProgress', (p) => {
    if (p.requestId === requestId) onProgress(p);
  });
  const done = (async (): Promise<PullOutcome> => {
    try {
      const result = await api.call('models.pull', { requestId, ...name });
      if (!result.ok) return { ok: false, cancelled: result.error.kind === 'cancelled', error: result.error.message };
      await loadModels();
      return { ok: true, model: result.value };
    } catch (err) {
      return { ok: false, cancelled: false, error: err instanceof Error ? err.message : String(err) };
    } finally {
      off();
    }
  })();
  return {
    requestId,
    done,
    cancel: async () => {
      await api.call('models.cancelPull', { requestId });
    },
  };
}

/** Text-generation models on the Hub whose name contains `query` (models.search), or the sentence saying why not. */
export async function searchHub(query: string): Promise<{ ok: true; models: HubModel[] } | { ok: false; error: string }> {
  try {
    const result = await connection().api.call('models.search', { query });
    return result.ok ? { ok: true, models: result.value } : { ok: false, error: result.error.message };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}
