// 18×18 line icons for the sidebar, drawn in currentColor.
import type { ScreenId } from '../../navigation/screens';

const PATHS: Record<ScreenId, string> = {
  datasets: 'M3 5c0-1.1 2.7-2 6-2s6 .9 6 2-2.7 2-6 2-6-.9-6-2Zm0 0v8c0 1.1 2.7 2 6 2s6-.9 6-2V5M3 9c0 1.1 2.7 2 6 2s6-.9 6-2',
  model: 'M4 4h3v3H4zM11 4h3v3h-3zM4 11h3v3H4zM11 11h3v3h-3zM7 5.5h4M7 12.5h4M5.5 7v4M12.5 7v4',
  training: 'M2.5 14.5 7 9l3 3 5.5-7.5M12 4.5h3.5V8',
  runs: 'M3 4.5h12M3 9h12M3 13.5h12M5.5 3v3M9 7.5v3M12.5 12v3',
  evaluate: 'M3 15V9M7.5 15V5M12 15v-4M15.5 3.5 11 8 9 6 5.5 9.5',
  playground: 'M4 3.5v11l10-5.5-10-5.5Z',
  export: 'M9 2.5v8.5M5.5 7.5 9 11l3.5-3.5M3 12.5v2h12v-2',
  settings:
    'M9 11.5a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5ZM9 2v2M9 14v2M2 9h2M14 9h2M4 4l1.4 1.4M12.6 12.6 14 14M4 14l1.4-1.4M12.6 5.4 14 4',
};

export function ScreenIcon({ id }: { id: ScreenId }) {
  return (
    <svg className="nav-icon" width="18" height="18" viewBox="0 0 18 18" fill="none" aria-hidden="true">
      <path d={PATHS[id]} stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
