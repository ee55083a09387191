// Moving between screens. Opening Training makes sure the shown run's full series is loaded.
import type { ScreenId } from '../../navigation/screens';
import { useWorkbenchStore } from '../store';
import { ensureRunDetail } from './runDetails';

const store = () => useWorkbenchStore.getState();

export function showScreen(screen: ScreenId): void {
  store().screenShown(screen);
  const runId = store().runs.currentId;
  if (screen === 'training' && runId) void ensureRunDetail(runId);
}
