// The whole window takes dropped files: a file dropped on any screen is imported and the Datasets screen opens to
// show its progress and summary. While a file hovers, an overlay says so. Drags that carry no files are refused
// (a dropped link or text would otherwise navigate the page away, or in Electron open the file).
import { useEffect, useState } from 'react';
import { reviewDatasetFile, showScreen } from '../../store/actions';
import { useWorkbenchStore } from '../../store/store';

const carriesFiles = (event: DragEvent) => Array.from(event.dataTransfer?.types ?? []).includes('Files');

export function WindowDropTarget() {
  const [hovering, setHovering] = useState(false);
  const busy = useWorkbenchStore((s) => s.datasets.importing !== null);

  useEffect(() => {
    let depth = 0; // nested dragenter/dragleave pairs as the pointer crosses elements
    const onEnter = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      depth++;
      setHovering(true);
    };
    const onOver = (event: DragEvent) => {
      event.preventDefault();
      if (!event.dataTransfer) return;
      const canImport = carriesFiles(event) && !useWorkbenchStore.getState().datasets.importing;
      event.dataTransfer.dropEffect = canImport ? 'copy' : 'none';
    };
    const onLeave = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setHovering(false);
    };
    const onDrop = (event: DragEvent) => {
      event.preventDefault();
      depth = 0;
      setHovering(false);
      const file = event.dataTransfer?.files?.[0];
      if (!file || useWorkbenchStore.getState().datasets.importing) return;
      showScreen('datasets');
      void reviewDatasetFile(file);
    };
    window.addEventListener('dragenter', onEnter);
    window.addEventListener('dragover', onOver);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragenter', onEnter);
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('drop', onDrop);
    };
  }, []);

  if (!hovering) return null;
  return (
    <div className="drop-overlay" aria-hidden="true">
      <div className="drop-overlay-card">
        <p className="drop-overlay-title">{busy ? 'An import is already running' : 'Drop to import this dataset'}</p>
        <p className="muted">.txt, .csv, .tsv or .jsonl</p>
      </div>
    </div>
  );
}
