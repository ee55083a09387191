// The trainer's log lines for the run: the stored ones (runs.get), then each as it arrives (runs.onDidLog). Follows
// the newest line while scrolled to the bottom; scrolling up holds the view still. The store keeps the last
// MAX_LOG_LINES lines per run.
import { useLayoutEffect, useRef } from 'react';
import { formatCount } from '../../lib/format';
import { MAX_LOG_LINES } from '../../store/logsSlice';
import { useWorkbenchStore } from '../../store/store';

const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
const FOLLOW_SLACK_PX = 24; // "at the bottom" within this distance

export function LogPane({ runId, live }: { runId: string; live: boolean }) {
  const log = useWorkbenchStore((s) => s.logs[runId]);
  const listRef = useRef<HTMLOListElement>(null);
  const follow = useRef(true);

  useLayoutEffect(() => {
    const list = listRef.current;
    if (list && follow.current) list.scrollTop = list.scrollHeight;
  }, [log]);

  const lines = log?.lines ?? [];
  return (
    <section className="panel log-panel" aria-labelledby="log-heading">
      <div className="panel-heading">
        <h2 id="log-heading" className="panel-title">
          Log
        </h2>
        <span className="muted log-count">
          {formatCount(lines.length)} line{lines.length === 1 ? '' : 's'}
          {log && log.dropped > 0 && ` · ${formatCount(log.dropped)} older dropped (keeps the last ${MAX_LOG_LINES})`}
        </span>
      </div>
      {lines.length === 0 ? (
        <p className="muted empty-note log-empty" data-testid="run-log-empty">
          {live
            ? 'Waiting for the trainer’s first message…'
            : 'This run has no log lines.'}
        </p>
      ) : (
        <ol
          className="log-lines"
          role="log"
          aria-label="Trainer log"
          data-testid="run-log"
          tabIndex={0}
          ref={listRef}
          onScroll={(e) => {
            const el = e.currentTarget;
            follow.current = el.scrollHeight - el.scrollTop - el.clientHeight < FOLLOW_SLACK_PX;
          }}
        >
          {lines.map((line) => (
            <li key={line.seq} className={`log-line log-${line.level}`}>
              <time className="log-time muted" dateTime={new Date(line.receivedAt).toISOString()}>
                {time.format(line.receivedAt)}
              </time>
              <span className="log-level">{line.level}</span>
              <span className="log-message">{line.message}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
