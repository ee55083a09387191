import { Header } from './features/app/Header';
import { StatusBanner } from './features/app/StatusBanner';
import { DatasetPanel } from './features/datasets/DatasetPanel';
import { TrainingPanel } from './features/training/TrainingPanel';

export function App() {
  return (
    <div className="app">
      <Header />
      <StatusBanner />
      <main className="workspace">
        <DatasetPanel />
        <TrainingPanel />
      </main>
    </div>
  );
}
