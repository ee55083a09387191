// The top of every screen: its name as the page heading, what it is for, and optional facts on the right.
// The heading takes focus when the screen changes, so keyboard and screen-reader users land on the new screen.
import { useEffect, useRef, type ReactNode } from 'react';
import { screenEntry, type ScreenId } from '../../navigation/screens';

let firstScreenShown = false;

export function ScreenHeader({ id, children }: { id: ScreenId; children?: ReactNode }) {
  const entry = screenEntry(id);
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (firstScreenShown) headingRef.current?.focus({ preventScroll: true });
    firstScreenShown = true;
  }, [id]);
  return (
    <header className="screen-header">
      <div className="screen-header-text">
        <h1 className="screen-title" tabIndex={-1} ref={headingRef} id={`${id}-heading`}>
          {entry.label}
        </h1>
        <p className="muted screen-purpose">{entry.purpose}</p>
      </div>
      {children && <div className="screen-header-aside">{children}</div>}
    </header>
  );
}
