// Settings: where this installation keeps its data (from main), the backend new runs use unless the Model screen
// names one, and the theme. The last two are remembered by this window (localStorage).
import { useId } from 'react';
import { BACKEND_CHOICES, isBackendChoice } from '../../lib/configDraft';
import { THEME_PREFERENCES, type ThemePreference } from '../../lib/theme';
import { useWorkbenchStore } from '../../store/store';
import { ScreenHeader } from '../app/ScreenHeader';
import { ImportModelPanel } from './ImportModelPanel';

const THEME_WORDS: Record<ThemePreference, { label: string; hint: string }> = {
  system: { label: 'System', hint: 'Follow the operating system' },
  light: { label: 'Light', hint: 'Always light' },
  dark: { label: 'Dark', hint: 'Always dark' },
};

const BACKEND_HINTS: Record<string, string> = {
  auto: 'first that loads and passes a self-test: tensorflow (CUDA or native CPU) → webgpu → wasm → cpu',
  tensorflow: 'native TensorFlow (tfjs-node-gpu with CUDA, else tfjs-node)',
  webgpu: 'any GPU through Dawn (Vulkan, Metal, D3D12)',
  wasm: 'WebAssembly with SIMD; the fastest choice without a GPU or native TensorFlow',
  cpu: 'plain JavaScript; slow, always available',
};

export function SettingsScreen() {
  const info = useWorkbenchStore((s) => s.system.info);
  const theme = useWorkbenchStore((s) => s.settings.theme);
  const resolved = useWorkbenchStore((s) => s.settings.resolvedTheme);
  const backend = useWorkbenchStore((s) => s.settings.defaultBackend);
  const backendId = useId();
  const backendHintId = useId();
  const store = useWorkbenchStore.getState;

  return (
    <section className="screen" aria-labelledby="settings-heading" data-testid="settings-screen">
      <ScreenHeader id="settings" />
      <div className="settings-layout">
        <section className="panel" aria-labelledby="data-heading">
          <h2 id="data-heading" className="panel-title">
            Data
          </h2>
          <dl className="facts settings-facts">
            <div>
              <dt>Data directory</dt>
              <dd className="mono" data-testid="settings-data-dir">
                {info?.dataDir ?? '—'}
              </dd>
            </div>
            <div>
              <dt>Connection</dt>
              <dd>{info ? (info.mode === 'electron' ? 'Desktop app' : 'Browser, through tunebench serve') : '—'}</dd>
            </div>
            <div>
              <dt>Version</dt>
              <dd>{info?.version ?? '—'}</dd>
            </div>
          </dl>
          <p className="muted settings-note">
            The database, imported files and checkpoints live here. Start Tunebench with <code>--data-dir DIR</code> or set{' '}
            <code>TUNEBENCH_DATA_DIR</code> to use another folder.
          </p>
        </section>

        <section className="panel" aria-labelledby="backend-heading">
          <h2 id="backend-heading" className="panel-title">
            Default backend
          </h2>
          <div className="field">
            <label htmlFor={backendId}>Backend for new runs</label>
            <select
              id={backendId}
              value={backend}
              aria-describedby={backendHintId}
              data-testid="settings-backend"
              onChange={(e) => {
                const value = e.currentTarget.value;
                if (isBackendChoice(value)) store().defaultBackendChosen(value);
              }}
            >
              {BACKEND_CHOICES.map((b) => (
                <option key={b} value={b}>
                  {b}
                </option>
              ))}
            </select>
          </div>
          <p className="muted settings-note" id={backendHintId}>
            {backend}: {BACKEND_HINTS[backend]}. Used unless the Model screen’s Backend field names one.
          </p>
        </section>

        <ImportModelPanel />

        <section className="panel" aria-labelledby="theme-heading">
          <h2 id="theme-heading" className="panel-title">
            Appearance
          </h2>
          <fieldset className="segmented" data-testid="settings-theme">
            <legend className="visually-hidden">Theme</legend>
            {THEME_PREFERENCES.map((t) => (
              <label key={t} className={`segment${t === theme ? ' is-selected' : ''}`} title={THEME_WORDS[t].hint}>
                <input type="radio" name="theme" value={t} checked={t === theme} onChange={() => store().themeChosen(t)} />
                {THEME_WORDS[t].label}
              </label>
            ))}
          </fieldset>
          <p className="muted settings-note">
            {theme === 'system' ? `Following the system: ${resolved} now.` : `${THEME_WORDS[theme].hint}.`}
          </p>
        </section>
      </div>
    </section>
  );
}
