import { ScreenView } from './features/app/ScreenView';
import { Sidebar } from './features/app/Sidebar';
import { StatusBanner } from './features/app/StatusBanner';
import { WindowDropTarget } from './features/app/WindowDropTarget';

export function App() {
  return (
    <div className="app">
      <Sidebar />
      <main className="workspace">
        <StatusBanner />
        <ScreenView />
      </main>
      <WindowDropTarget />
    </div>
  );
}
