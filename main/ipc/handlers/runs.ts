import type { runCalls } from '../../../common/contracts/runs';
import type { DomainHandlers, HandlerContext } from './types';

export function runHandlers({ services }: HandlerContext): DomainHandlers<typeof runCalls> {
  const { runs } = services;
  return {
    'runs.start': ({ datasetId, preset, overrides }) => runs.start({ datasetId, preset, overrides }),
    'runs.list': () => runs.list(),
    'runs.get': ({ runId }) => runs.get(runId),
    'runs.pause': ({ runId }) => runs.pause(runId),
    'runs.resume': ({ runId }) => runs.resume(runId),
    'runs.cancel': ({ runId }) => runs.cancel(runId),
    'runs.delete': ({ runId }) => {
      runs.delete(runId);
      return { deleted: runId };
    },
  };
}
