// What the app remembers across reloads, in localStorage under one key: the screen, the selected dataset and run,
// the theme, the default backend and the Model screen's draft. Read defensively: a value this version does not
// understand is ignored, never trusted.
import { PRESET_NAMES, type PresetName } from '../../../common/config';
import { isBackendChoice, isConfigKey, type BackendChoice, type ConfigEdits } from '../lib/configDraft';
import { isThemePreference, type ThemePreference } from '../lib/theme';
import { isScreenId, type ScreenId } from '../navigation/screens';
import type { State } from './state';

export const UI_STORAGE_KEY = 'tunebench.ui';

export interface PersistedUi {
  screen: ScreenId;
  datasetId: string | null;
  runId: string | null;
  theme: ThemePreference;
  defaultBackend: BackendChoice;
  preset: PresetName;
  edits: ConfigEdits;
}

type StorageLike = Pick<Storage, 'getItem' | 'setItem'>;

const ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
const isId = (v: unknown): v is string => typeof v === 'string' && ID.test(v);
const isPreset = (v: unknown): v is PresetName => typeof v === 'string' && (PRESET_NAMES as readonly string[]).includes(v);

function readEdits(value: unknown): ConfigEdits | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const edits: ConfigEdits = {};
  for (const [key, raw] of Object.entries(value)) if (isConfigKey(key) && typeof raw === 'string' && raw.length <= 100) edits[key] = raw;
  return edits;
}

/** The remembered parts that are still valid; {} when nothing (or nothing readable) was stored. */
export function readPersistedUi(storage: StorageLike | null): Partial<PersistedUi> {
  let raw: unknown;
  try {
    const text = storage?.getItem(UI_STORAGE_KEY);
    raw = text ? JSON.parse(text) : null;
  } catch {
    return {};
  }
  if (!raw || typeof raw !== 'object') return {};
  const r = raw as Record<string, unknown>;
  const out: Partial<PersistedUi> = {};
  if (isScreenId(r.screen)) out.screen = r.screen;
  if (isId(r.datasetId)) out.datasetId = r.datasetId;
  if (isId(r.runId)) out.runId = r.runId;
  if (isThemePreference(r.theme)) out.theme = r.theme;
  if (isBackendChoice(r.defaultBackend)) out.defaultBackend = r.defaultBackend;
  if (isPreset(r.preset)) out.preset = r.preset;
  const edits = readEdits(r.edits);
  if (edits) out.edits = edits;
  return out;
}

export function pickPersistedUi(s: State): PersistedUi {
  return {
    screen: s.nav.screen,
    datasetId: s.datasets.currentId,
    runId: s.runs.currentId,
    theme: s.settings.theme,
    defaultBackend: s.settings.defaultBackend,
    preset: s.model.preset,
    edits: s.model.edits,
  };
}

/** Applies remembered values to a fresh state (before the services' lists arrive; those keep ids that still exist). */
export function restoredState(s: State, saved: Partial<PersistedUi>): Partial<State> {
  return {
    nav: { screen: saved.screen ?? s.nav.screen },
    datasets: { ...s.datasets, currentId: saved.datasetId ?? s.datasets.currentId },
    runs: { ...s.runs, currentId: saved.runId ?? s.runs.currentId },
    settings: { ...s.settings, theme: saved.theme ?? s.settings.theme, defaultBackend: saved.defaultBackend ?? s.settings.defaultBackend },
    model: { ...s.model, preset: saved.preset ?? s.model.preset, edits: saved.edits ?? s.model.edits },
  };
}

interface StoreLike {
  getState(): State;
  setState(partial: Partial<State>): void;
  subscribe(listener: (state: State) => void): () => void;
}

/** Restores what `storage` remembers, then writes the remembered parts whenever they change. Returns unsubscribe. */
export function persistUi(store: StoreLike, storage: StorageLike | null): () => void {
  store.setState(restoredState(store.getState(), readPersistedUi(storage)));
  let last = JSON.stringify(pickPersistedUi(store.getState()));
  return store.subscribe((state) => {
    const next = JSON.stringify(pickPersistedUi(state));
    if (next === last) return;
    last = next;
    try {
      storage?.setItem(UI_STORAGE_KEY, next);
    } catch {
      // storage full or disabled: the app still works, it just forgets on reload
    }
  });
}
