// The current screen, by the id in navigation/screens.ts.
import type { JSX } from 'react';
import type { ScreenId } from '../../navigation/screens';
import { useWorkbenchStore } from '../../store/store';
import { DatasetsScreen } from '../datasets/DatasetsScreen';
import { EvaluateScreen } from '../evaluate/EvaluateScreen';
import { ExportScreen } from '../export/ExportScreen';
import { ModelScreen } from '../model/ModelScreen';
import { PlaygroundScreen } from '../playground/PlaygroundScreen';
import { RunsScreen } from '../runs/RunsScreen';
import { SettingsScreen } from '../settings/SettingsScreen';
import { TrainingScreen } from '../training/TrainingScreen';

const SCREEN_COMPONENTS: Record<ScreenId, () => JSX.Element> = {
  datasets: DatasetsScreen,
  model: ModelScreen,
  training: TrainingScreen,
  runs: RunsScreen,
  evaluate: EvaluateScreen,
  playground: PlaygroundScreen,
  export: ExportScreen,
  settings: SettingsScreen,
};

export function ScreenView() {
  const screen = useWorkbenchStore((s) => s.nav.screen);
  const Screen = SCREEN_COMPONENTS[screen];
  return <Screen />;
}
