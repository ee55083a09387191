import type { modelCalls } from '../../../common/contracts/models';
import { badInput } from '../../../common/result';
import type { DomainHandlers, HandlerContext } from './types';

export function modelHandlers({ services, options }: HandlerContext): DomainHandlers<typeof modelCalls> {
  const { models } = services;
  return {
    'models.list': () => models.list(),
    'models.import': ({ path, name }) => {
      // a folder path names files on the machine running main: only the desktop app's own user may pass one
      if (options.mode !== 'electron') throw badInput('Importing a model folder by path works in the desktop app or with `tunebench models import <folder>`.');
      return models.import(path, name);
    },
    // a download by name into the Hugging Face cache of the machine running main (any mode: no path comes in)
    'models.pull': async (input) => (await models.pull(input)).model,
    'models.search': ({ query }) => models.search(query),
    'models.cancelPull': ({ requestId }) => models.cancelPull(requestId),
    'playground.generate': (input) => models.generate(input),
    'playground.classify': (input) => models.classify(input),
  };
}
