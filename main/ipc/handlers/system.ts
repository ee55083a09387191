import type { systemCalls } from '../../../common/contracts/system';
import type { DomainHandlers, HandlerContext } from './types';

export function systemHandlers({ services, options }: HandlerContext): DomainHandlers<typeof systemCalls> {
  return {
    'system.info': () => ({ version: options.version, mode: options.mode, dataDir: services.dataDir }),
  };
}
