// Left sidebar: the app's name, one control per screen (named after it), and how this window reaches the services.
import { percent } from '../../lib/format';
import { SCREENS } from '../../navigation/screens';
import { showScreen } from '../../store/actions';
import { isRunActive } from '../../store/runsSlice';
import { useWorkbenchStore } from '../../store/store';
import { ScreenIcon } from './ScreenIcon';

const CONNECTION_WORDS = { open: 'connected', connecting: 'connecting…', reconnecting: 'reconnecting…', closed: 'offline' };

/** "42%" while some run trains (the first active one), else null. */
function useTrainingProgress(): string | null {
  return useWorkbenchStore((s) => {
    const active = s.runs.list.find(isRunActive);
    if (!active) return null;
    const done = percent(active.lastStep, active.config.steps);
    return active.status === 'paused' ? 'paused' : `${done ?? 0}%`;
  });
}

export function Sidebar() {
  const screen = useWorkbenchStore((s) => s.nav.screen);
  const mode = useWorkbenchStore((s) => s.system.info?.mode ?? s.system.mode);
  const version = useWorkbenchStore((s) => s.system.info?.version);
  const connection = useWorkbenchStore((s) => s.system.connection);
  const progress = useTrainingProgress();

  return (
    <aside className="sidebar">
      <div className="sidebar-inner">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          <span className="brand-name">Tunebench</span>
        </div>
        <nav aria-label="Screens" className="nav">
          <ul>
            {SCREENS.map((entry) => (
              <li key={entry.id}>
                <button
                  type="button"
                  className="nav-item"
                  aria-current={entry.id === screen ? 'page' : undefined}
                  title={entry.purpose}
                  onClick={() => showScreen(entry.id)}
                >
                  <ScreenIcon id={entry.id} />
                  <span className="nav-label">{entry.label}</span>
                  {entry.id === 'training' && progress && (
                    <span className="nav-badge" data-testid="nav-training-progress" aria-hidden="true">
                      {progress}
                    </span>
                  )}
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <div className="sidebar-footer">
          {mode && (
            <span className="pill" data-testid="app-mode" title="How this window reaches the training services">
              {mode === 'electron' ? 'Desktop' : 'Browser'}
              {mode === 'browser' && <span className={`connection connection-${connection}`}> · {CONNECTION_WORDS[connection]}</span>}
            </span>
          )}
          {version && <span className="muted version">v{version}</span>}
        </div>
      </div>
    </aside>
  );
}
