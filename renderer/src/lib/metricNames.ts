// Metric names the trainer emits (common contract, see the brief): train loss every logEvery steps, validation loss
// every evalEvery steps and at the end, learning rate, global gradient norm (before clipping) and throughput.
export const LOSS = 'loss';
export const VAL_LOSS = 'val_loss';
export const LEARNING_RATE = 'lr';
export const GRAD_NORM = 'grad_norm';
export const TOKENS_PER_S = 'tokens_per_s';
export const VAL_ACCURACY = 'val_accuracy';

/** Human names for metrics, in the order pickers list them. */
export const METRIC_LABELS: Readonly<Record<string, string>> = {
  [LOSS]: 'train loss',
  [VAL_LOSS]: 'validation loss',
  [VAL_ACCURACY]: 'validation accuracy',
  [LEARNING_RATE]: 'learning rate',
  [GRAD_NORM]: 'gradient norm',
  [TOKENS_PER_S]: 'tokens per second',
};

export const metricLabel = (name: string): string => METRIC_LABELS[name] ?? name;
