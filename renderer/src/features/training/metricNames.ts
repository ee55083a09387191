// Metric names the trainer emits (see the brief): train loss every logEvery steps, validation loss every evalEvery.
export const LOSS = 'loss';
export const VAL_LOSS = 'val_loss';
