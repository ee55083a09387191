// The handler of every call in common/contracts.ts, over the services. Transport-specific pieces (where an import's
// file comes from) are passed in by the transport.
import type { ImportSource } from '../../common/contracts';
import type { Handlers } from './dispatcher';
import type { Services } from '../services';

export interface HandlerOptions {
  mode: 'electron' | 'browser';
  version: string;
  /** Turns an import source into a file path on this machine, or throws a bad-input error. */
  resolveImportSource(source: ImportSource): { path: string; fileName: string; release?: () => void };
}

export function createHandlers(services: Services, options: HandlerOptions): Handlers {
  const { datasets, runs, events } = services;
  return {
    'system.info': () => ({ version: options.version, mode: options.mode, dataDir: services.dataDir }),
    'datasets.import': async ({ source, name }) => {
      const file = options.resolveImportSource(source);
      try {
        return await datasets.importFile(file.path, {
          name,
          sourceName: file.fileName,
          onProgress: (progress) => events.emit('datasets.onDidProgress', progress),
        });
      } finally {
        file.release?.();
      }
    },
    'datasets.list': () => datasets.list(),
    'runs.start': ({ datasetId, preset, overrides }) => runs.start({ datasetId, preset, overrides }),
    'runs.list': () => runs.list(),
    'runs.get': ({ runId }) => runs.get(runId),
    'runs.pause': ({ runId }) => runs.pause(runId),
    'runs.resume': ({ runId }) => runs.resume(runId),
    'runs.cancel': ({ runId }) => runs.cancel(runId),
  };
}
