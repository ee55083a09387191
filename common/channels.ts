// Channel names only, with no zod import, so the sandboxed preload bundle stays tiny. One list per domain; a test
// checks they name exactly the calls and events in contracts/.
export const CHANNEL_PREFIX = 'tunebench:';

const SYSTEM_CALLS = ['system.info'] as const;
const DATASET_CALLS = [
  'datasets.import',
  'datasets.list',
  'datasets.inspect',
  'datasets.previewRecipe',
  'datasets.show',
  'datasets.attachTest',
  'datasets.cancelImport',
] as const;
const RUN_CALLS = [
  'runs.start',
  'runs.estimate',
  'runs.list',
  'runs.get',
  'runs.pause',
  'runs.resume',
  'runs.cancel',
  'runs.delete',
  'runs.continue',
  'runs.evaluate',
  'runs.evaluations',
  'runs.export',
] as const;
const MODEL_CALLS = ['models.list', 'models.import', 'models.pull', 'models.search', 'models.cancelPull', 'playground.generate', 'playground.classify'] as const;

const DATASET_EVENTS = ['datasets.onDidProgress'] as const;
const RUN_EVENTS = ['runs.onDidUpdate', 'runs.onDidMetrics', 'runs.onDidLog', 'runs.onDidEvalProgress'] as const;
const MODEL_EVENTS = ['playground.onDidToken', 'models.onDidPullProgress'] as const;

export const CALL_CHANNELS = [...SYSTEM_CALLS, ...DATASET_CALLS, ...RUN_CALLS, ...MODEL_CALLS] as const;
export const EVENT_CHANNELS = [...RUN_EVENTS, ...DATASET_EVENTS, ...MODEL_EVENTS] as const;
