import type { StateCreator } from 'zustand';
import { DEFAULT_SCREEN, type ScreenId } from '../navigation/screens';
import type { State } from './state';

export interface NavigationSlice {
  /** The screen shown; persisted across reloads (store/persistence.ts). */
  nav: { screen: ScreenId };
  screenShown(screen: ScreenId): void;
}

export const createNavigationSlice: StateCreator<State, [], [], NavigationSlice> = (set) => ({
  nav: { screen: DEFAULT_SCREEN },
  screenShown: (screen) => set((s) => (s.nav.screen === screen ? {} : { nav: { screen } })),
});
