import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import 'uplot/dist/uPlot.min.css';
import './styles/base.css';
import './styles/layout.css';
import './features/charts/charts.css';
import './features/datasets/datasets.css';
import './features/model/model.css';
import './features/training/training.css';
import './features/runs/runs.css';
import './features/settings/settings.css';
import './styles/workbench.css';
import './features/evaluate/evaluate.css';
import './features/playground/playground.css';
import { connectWorkbench } from './api';
import { App } from './App';
import { installDebugHooks } from './debug/syntheticMetrics';
import { startThemeController } from './features/app/themeController';
import { startWorkbench } from './store/actions';
import { persistUi } from './store/persistence';
import { useWorkbenchStore } from './store/store';

function localStorageOrNull(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

persistUi(useWorkbenchStore, localStorageOrNull());
startThemeController(window);
installDebugHooks(window);
startWorkbench(connectWorkbench());

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
