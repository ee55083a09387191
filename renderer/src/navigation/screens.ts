// The app's screens in sidebar order. Pure data (no React) so the store can persist the current one.
// Later screens slot in after 'runs' in workflow order — evaluate, playground, export — each by adding its id here,
// its entry in SCREENS and its component in features/app/ScreenView.tsx.
export const SCREEN_IDS = ['datasets', 'model', 'training', 'runs', 'settings'] as const;
export type ScreenId = (typeof SCREEN_IDS)[number];

export interface ScreenEntry {
  id: ScreenId;
  /** The control's accessible name and the screen's heading. */
  label: string;
  /** One line under the heading: what this screen is for. */
  purpose: string;
}

export const SCREENS: readonly ScreenEntry[] = [
  { id: 'datasets', label: 'Datasets', purpose: 'Bring in the text a model learns from.' },
  { id: 'model', label: 'Model', purpose: 'Choose a preset and adjust the model and training settings.' },
  { id: 'training', label: 'Training', purpose: 'Watch a run learn: losses, learning rate, speed and the trainer’s log.' },
  { id: 'runs', label: 'Runs', purpose: 'Every run so far: compare curves and settings, open or delete them.' },
  { id: 'settings', label: 'Settings', purpose: 'Where data lives, the default backend and the look of the app.' },
];

export const DEFAULT_SCREEN: ScreenId = 'datasets';

export const isScreenId = (value: unknown): value is ScreenId =>
  typeof value === 'string' && (SCREEN_IDS as readonly string[]).includes(value);

export const screenEntry = (id: ScreenId): ScreenEntry => SCREENS.find((s) => s.id === id)!;
