import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import 'uplot/dist/uPlot.min.css';
import './styles/base.css';
import './styles/layout.css';
import './features/datasets/datasets.css';
import './features/training/training.css';
import { connectWorkbench } from './api';
import { App } from './App';
import { startWorkbench } from './store/actions';

// A file dropped outside the drop zone would otherwise replace the page (or, in Electron, open the file).
for (const type of ['dragover', 'drop'] as const) {
  window.addEventListener(type, (event) => {
    if (event.defaultPrevented) return;
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'none';
  });
}

startWorkbench(connectWorkbench());

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
