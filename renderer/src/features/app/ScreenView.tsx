// The current screen. New screens (Evaluate, Playground, Export) add their component here and their entry in
// navigation/screens.ts.
import type { JSX } from 'react';
import type { ScreenId } from '../../navigation/screens';
import { useWorkbenchStore } from '../../store/store';
import { DatasetsScreen } from '../datasets/DatasetsScreen';
import { ModelScreen } from '../model/ModelScreen';
import { RunsScreen } from '../runs/RunsScreen';
import { SettingsScreen } from '../settings/SettingsScreen';
import { TrainingScreen } from '../training/TrainingScreen';

const SCREEN_COMPONENTS: Record<ScreenId, () => JSX.Element> = {
  datasets: DatasetsScreen,
  model: ModelScreen,
  training: TrainingScreen,
  runs: RunsScreen,
  settings: SettingsScreen,
};

export function ScreenView() {
  const screen = useWorkbenchStore((s) => s.nav.screen);
  const Screen = SCREEN_COMPONENTS[screen];
  return <Screen />;
}
