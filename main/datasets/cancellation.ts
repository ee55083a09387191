// Cancelling a long import: callers hold an AbortController per import id; the readers check its signal between
// chunks (every 64 KiB, Parquet row group or folder file) and stop with a `cancelled` error.
import { TunebenchError } from '../../common/result';

export function cancelledError(name: string): TunebenchError {
  return new TunebenchError('cancelled', `The import of ${name} was cancelled; nothing was written.`);
}

export function throwIfCancelled(signal: AbortSignal | undefined, name: string): void {
  if (signal?.aborted) throw cancelledError(name);
}

/** The imports running now, by id, so `datasets.cancelImport` can reach them. */
export class ImportRegistry {
  private readonly running = new Map<string, AbortController>();
  private nextId = 1;

  /** Registers an import; returns its id (the caller's, or a fresh one) and its signal. */
  begin(importId?: string): { importId: string; signal: AbortSignal; end: () => void } {
    const id = importId ?? `import-${process.pid}-${this.nextId++}`;
    if (this.running.has(id)) throw new TunebenchError('conflict', `An import with id ${id} is already running.`);
    const controller = new AbortController();
    this.running.set(id, controller);
    return { importId: id, signal: controller.signal, end: () => this.running.delete(id) };
  }

  /** True when an import by that id was running and is now told to stop. */
  cancel(importId: string): boolean {
    const controller = this.running.get(importId);
    if (!controller) return false;
    controller.abort();
    return true;
  }
}
