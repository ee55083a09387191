// Keeps <html data-theme> in step with the Settings choice and, for 'system', with the OS colour scheme.
import { applyTheme, resolveTheme } from '../../lib/theme';
import { useWorkbenchStore } from '../../store/store';

export function startThemeController(win: Window): () => void {
  const query = win.matchMedia('(prefers-color-scheme: dark)');
  const update = () => {
    const resolved = resolveTheme(useWorkbenchStore.getState().settings.theme, query.matches);
    applyTheme(win.document.documentElement, resolved);
    useWorkbenchStore.getState().themeResolved(resolved);
  };
  update();
  query.addEventListener('change', update);
  const unsubscribe = useWorkbenchStore.subscribe((s, prev) => {
    if (s.settings.theme !== prev.settings.theme) update();
  });
  return () => {
    query.removeEventListener('change', update);
    unsubscribe();
  };
}
