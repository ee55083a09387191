import type { datasetCalls } from '../../../common/contracts/datasets';
import type { DomainHandlers, HandlerContext } from './types';

export function datasetHandlers({ services, options }: HandlerContext): DomainHandlers<typeof datasetCalls> {
  const { datasets, events } = services;
  return {
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
  };
}
