// The handler of every call in common/contracts.ts, one module per domain under handlers/. Transport-specific
// pieces (where an import's file comes from) are passed in by the transport.
import type { Services } from '../services';
import type { Handlers } from './dispatcher';
import { datasetHandlers } from './handlers/datasets';
import { modelHandlers } from './handlers/models';
import { runHandlers } from './handlers/runs';
import { systemHandlers } from './handlers/system';
import type { HandlerOptions } from './handlers/types';

export type { HandlerOptions } from './handlers/types';

export function createHandlers(services: Services, options: HandlerOptions): Handlers {
  const context = { services, options };
  return { ...systemHandlers(context), ...datasetHandlers(context), ...runHandlers(context), ...modelHandlers(context) };
}
