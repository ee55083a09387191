// One line above the screen when the services cannot be reached or a load failed.
import { useWorkbenchStore } from '../../store/store';

export function StatusBanner() {
  const mode = useWorkbenchStore((s) => s.system.mode);
  const connection = useWorkbenchStore((s) => s.system.connection);
  const loadError = useWorkbenchStore((s) => s.system.loadError);
  const reconnecting = mode === 'browser' && connection === 'reconnecting';
  if (!reconnecting && !loadError) return null;
  return (
    <div className={`banner ${loadError && !reconnecting ? 'banner-error' : 'banner-warn'}`} role="status" data-testid="status-banner">
      {reconnecting ? 'Lost the connection to the Tunebench server; reconnecting…' : loadError}
    </div>
  );
}
