import type { datasetCalls } from '../../../common/contracts/datasets';
import type { ImportProgress } from '../../services/datasetService';
import type { DomainHandlers, HandlerContext } from './types';

export function datasetHandlers({ services, options }: HandlerContext): DomainHandlers<typeof datasetCalls> {
  const { datasets, events } = services;
  const onProgress = (progress: ImportProgress) => events.emit('datasets.onDidProgress', progress);
  return {
    // An import consumes an uploaded file; inspect and preview leave it for the import that follows.
    'datasets.import': async ({ source, ...rest }) => {
      const file = options.resolveImportSource(source);
      try {
        return await datasets.importFile(file.path, { ...rest, sourceName: file.fileName, onProgress });
      } finally {
        file.release?.();
      }
    },
    'datasets.list': () => datasets.list(),
    'datasets.inspect': ({ source, ...rest }) => {
      const file = options.resolveImportSource(source);
      return datasets.inspectFile(file.path, { ...rest, sourceName: file.fileName, onProgress });
    },
    'datasets.previewRecipe': ({ source, ...rest }) => {
      const file = options.resolveImportSource(source);
      return datasets.previewRecipe(file.path, { ...rest, sourceName: file.fileName, onProgress });
    },
    'datasets.show': ({ datasetId, ...rest }) => datasets.show(datasetId, rest),
    'datasets.attachTest': async ({ source, datasetId, ...rest }) => {
      const file = options.resolveImportSource(source);
      try {
        return await datasets.attachTest(datasetId, file.path, { ...rest, sourceName: file.fileName, onProgress });
      } finally {
        file.release?.();
      }
    },
    'datasets.cancelImport': ({ importId }) => ({ cancelled: datasets.cancelImport(importId) }),
  };
}
