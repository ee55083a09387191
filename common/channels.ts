// Channel names only, with no zod import, so the sandboxed preload bundle stays tiny.
export const CHANNEL_PREFIX = 'tunebench:';
export const CALL_CHANNELS = [
  'system.info',
  'datasets.import',
  'datasets.list',
  'runs.start',
  'runs.list',
  'runs.get',
  'runs.pause',
  'runs.resume',
  'runs.cancel',
] as const;
export const EVENT_CHANNELS = ['runs.onDidUpdate', 'runs.onDidMetrics', 'runs.onDidLog', 'datasets.onDidProgress'] as const;
