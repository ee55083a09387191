// Where a dataset file comes in: drag and drop onto the zone, or "Choose file". Shows the import's progress and,
// on failure, the service's error sentence.
import { useId, useRef, useState, type DragEvent } from 'react';
import { importDatasetFile } from '../../store/actions';
import { useWorkbenchStore } from '../../store/store';
import { formatBytes, percent } from '../../lib/format';

export const ACCEPTED_EXTENSIONS = '.txt,.csv,.tsv,.jsonl';

const hasFiles = (event: DragEvent) => Array.from(event.dataTransfer?.types ?? []).includes('Files');

export function DropZone() {
  const importing = useWorkbenchStore((s) => s.datasets.importing);
  const error = useWorkbenchStore((s) => s.datasets.error);
  const [dragDepth, setDragDepth] = useState(0); // nested dragenter/leave pairs while a file hovers
  const inputRef = useRef<HTMLInputElement>(null);
  const hintId = useId();

  const take = (files: FileList | null | undefined) => {
    const file = files?.[0];
    if (file) void importDatasetFile(file);
  };

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragDepth(0);
    if (!importing) take(event.dataTransfer?.files);
  };

  const progress = importing ? percent(importing.bytesRead, importing.totalBytes) : null;
  const className = ['dropzone', dragDepth > 0 && 'is-dragging', importing && 'is-busy'].filter(Boolean).join(' ');

  return (
    <div
      className={className}
      data-testid="dataset-dropzone"
      onDragEnter={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        setDragDepth((d) => d + 1);
      }}
      onDragOver={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = importing ? 'none' : 'copy';
      }}
      onDragLeave={() => setDragDepth((d) => Math.max(0, d - 1))}
      onDrop={onDrop}
    >
      <p className="dropzone-title">{dragDepth > 0 ? 'Release to import' : 'Drop a dataset file here'}</p>
      <p className="dropzone-hint" id={hintId}>
        Text corpus (.txt) for generation, or .csv / .tsv / .jsonl with a text and an optional label column.
      </p>
      <input
        ref={inputRef}
        className="visually-hidden"
        type="file"
        accept={ACCEPTED_EXTENSIONS}
        aria-label="Dataset file"
        aria-describedby={hintId}
        tabIndex={-1}
        onChange={(e) => {
          take(e.currentTarget.files);
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
            {importing.phase === 'uploading' ? 'Uploading' : 'Importing'} <strong>{importing.fileName}</strong>
            {importing.totalBytes > 0 && ` (${formatBytes(importing.totalBytes)})`}…
          </span>
          <progress
            max={100}
            value={progress ?? undefined}
            aria-label={`Import progress of ${importing.fileName}`}
          />
        </div>
      )}
      {error && !importing && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
