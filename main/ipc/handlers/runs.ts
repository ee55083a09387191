import type { runCalls } from '../../../common/contracts/runs';
import type { DomainHandlers, HandlerContext } from './types';

export function runHandlers({ services }: HandlerContext): DomainHandlers<typeof runCalls> {
  const { runs, evaluations, exports } = services;
  return {
    'runs.start': ({ datasetId, preset, overrides }) => runs.start({ datasetId, preset, overrides }),
    'runs.estimate': ({ datasetId, preset, overrides }) => runs.estimateDraft({ datasetId, preset, overrides }),
    'runs.list': () => runs.list(),
    'runs.get': ({ runId }) => runs.get(runId),
    'runs.pause': ({ runId }) => runs.pause(runId),
    'runs.resume': ({ runId }) => runs.resume(runId),
    'runs.cancel': ({ runId }) => runs.cancel(runId),
    'runs.delete': ({ runId }) => {
      runs.delete(runId);
      return { deleted: runId };
    },
    'runs.continue': ({ runId, fromStep }) => runs.continue(runId, fromStep),
    'runs.evaluate': ({ runId, datasetId }) => evaluations.evaluate(runId, datasetId),
    'runs.evaluations': ({ runId }) => evaluations.list(runId),
    'runs.export': ({ runId, format, quant }) => exports.export(runId, format, quant ? { quant } : {}),
  };
}
