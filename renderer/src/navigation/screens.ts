// The app's screens in sidebar order (the workflow's order). Pure data (no React) so the store can persist the current
// one. A screen is its id here, its entry in SCREENS, its icon in features/app/ScreenIcon.tsx and its component in
// features/app/ScreenView.tsx.
export const SCREEN_IDS = ['datasets', 'model', 'training', 'runs', 'evaluate', 'playground', 'export', 'settings'] as const;
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
  { id: 'evaluate', label: 'Evaluate', purpose: 'Measure a trained model on held-out or other data: scores, confusions, samples.' },
  { id: 'playground', label: 'Playground', purpose: 'Try a model: continue a prompt, or classify a text.' },
  { id: 'export', label: 'Export', purpose: 'Write a run’s model to a folder other tools can load.' },
  { id: 'settings', label: 'Settings', purpose: 'Where data lives, the default backend and the look of the app.' },
];

export const DEFAULT_SCREEN: ScreenId = 'datasets';

export const isScreenId = (value: unknown): value is ScreenId =>
  typeof value === 'string' && (SCREEN_IDS as readonly string[]).includes(value);

export const screenEntry = (id: ScreenId): ScreenEntry => SCREENS.find((s) => s.id === id)!;
