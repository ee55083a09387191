// App bar: name, how this page reaches the services (desktop / browser), version, and the current run's backend.
import { selectCurrentRun, useWorkbenchStore } from '../../store/store';

const CONNECTION_WORDS = { open: 'connected', connecting: 'connecting…', reconnecting: 'reconnecting…', closed: 'offline' };

export function Header() {
  const mode = useWorkbenchStore((s) => s.system.info?.mode ?? s.system.mode);
  const version = useWorkbenchStore((s) => s.system.info?.version);
  const connection = useWorkbenchStore((s) => s.system.connection);
  const backend = useWorkbenchStore((s) => selectCurrentRun(s)?.backend ?? null);
  return (
    <header className="app-header">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        <h1 className="brand-name">Tunebench</h1>
        <span className="brand-tagline muted">fine-tune small language models locally</span>
      </div>
      <div className="header-facts">
        {mode && (
          <span className="pill" data-testid="app-mode" title="How this window reaches the training services">
            {mode === 'electron' ? 'Desktop' : 'Browser'}
            {mode === 'browser' && (
              <>
                {' · '}
                <span className={`connection connection-${connection}`}>{CONNECTION_WORDS[connection]}</span>
              </>
            )}
          </span>
        )}
        {backend && (
          <span className="pill" data-testid="header-backend" title="Compute backend of the current run">
            backend: {backend}
          </span>
        )}
        {version && <span className="muted version">v{version}</span>}
      </div>
    </header>
  );
}
