// How a dataset comes in: drop a file anywhere in the window (features/app/WindowDropTarget) or "Choose file…".
// Shows the import's progress and, on failure, the service's error sentence.
import { useId, useRef } from 'react';
import { reviewDatasetFile } from '../../store/actions';
import { useWorkbenchStore } from '../../store/store';
import { formatBytes, percent } from '../../lib/format';

export const ACCEPTED_EXTENSIONS = '.txt,.csv,.tsv,.jsonl,.json,.parquet';

const PHASE_WORDS = { uploading: 'Uploading', reading: 'Reading', writing: 'Writing' } as const;

export function ImportCard() {
  const importing = useWorkbenchStore((s) => s.datasets.importing);
  const error = useWorkbenchStore((s) => s.datasets.error);
  const inputRef = useRef<HTMLInputElement>(null);
  const hintId = useId();
  const progress = importing ? percent(importing.bytesRead, importing.totalBytes) : null;

  return (
    <div className={`import-card${importing ? ' is-busy' : ''}`}>
      <div className="import-card-text">
        <p className="import-card-title">Drop a dataset file anywhere in this window</p>
        <p className="import-card-hint muted" id={hintId}>
          A text corpus (.txt) to generate text like it, or .csv / .tsv / .jsonl / .json / .parquet records; you review
          the detected columns, preprocessing and split before importing.
        </p>
      </div>
      <input
        ref={inputRef}
        className="visually-hidden"
        type="file"
        accept={ACCEPTED_EXTENSIONS}
        aria-label="Dataset file"
        aria-describedby={hintId}
        tabIndex={-1}
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          if (file) void reviewDatasetFile(file);
          e.currentTarget.value = ''; // choosing the same file again still imports
        }}
      />
      <button
        type="button"
        className="button"
        disabled={!!importing}
        aria-describedby={hintId}
        onClick={() => inputRef.current?.click()}
      >
        Choose file…
      </button>

      {importing && (
        <div className="import-progress" role="status">
          <span>
            {PHASE_WORDS[importing.phase]} <strong>{importing.fileName}</strong>
            {importing.totalBytes > 0 && ` (${formatBytes(importing.totalBytes)})`}
            {importing.phase === 'writing' ? ' into the database…' : '…'}
          </span>
          <progress max={100} value={importing.phase === 'writing' ? undefined : (progress ?? undefined)} aria-label={`Import progress of ${importing.fileName}`} />
        </div>
      )}
      {error && !importing && (
        <p className="error-text import-error" role="alert" data-testid="import-error">
          {error}
        </p>
      )}
    </div>
  );
}
