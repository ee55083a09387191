import type { StateCreator } from 'zustand';
import type { BackendChoice } from '../lib/configDraft';
import type { ResolvedTheme, ThemePreference } from '../lib/theme';
import type { State } from './state';

export interface SettingsState {
  theme: ThemePreference;
  /** What 'system' currently means, or the explicit choice; charts rebuild their colours when it changes. */
  resolvedTheme: ResolvedTheme;
  /** Sent as the `backend` override unless the Model screen names one. */
  defaultBackend: BackendChoice;
}

export interface SettingsSlice {
  settings: SettingsState;
  themeChosen(theme: ThemePreference): void;
  themeResolved(resolved: ResolvedTheme): void;
  defaultBackendChosen(backend: BackendChoice): void;
}

export const createSettingsSlice: StateCreator<State, [], [], SettingsSlice> = (set) => ({
  settings: { theme: 'system', resolvedTheme: 'light', defaultBackend: 'auto' },
  themeChosen: (theme) => set((s) => ({ settings: { ...s.settings, theme } })),
  themeResolved: (resolvedTheme) =>
    set((s) => (s.settings.resolvedTheme === resolvedTheme ? {} : { settings: { ...s.settings, resolvedTheme } })),
  defaultBackendChosen: (defaultBackend) => set((s) => ({ settings: { ...s.settings, defaultBackend } })),
});
