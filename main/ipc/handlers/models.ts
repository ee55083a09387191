import type { modelCalls } from '../../../common/contracts/models';
import type { DomainHandlers, HandlerContext } from './types';

export function modelHandlers({ services }: HandlerContext): DomainHandlers<typeof modelCalls> {
  const { models } = services;
  return {
    'models.list': () => models.list(),
    'playground.generate': (input) => models.generate(input),
    'playground.classify': (input) => models.classify(input),
  };
}
