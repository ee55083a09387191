// Honest numbers for a handful of examples: when the validation split is too small to measure anything (a 10% split
// of 8 examples per class holds out one or two of each), the classifier trains on every row and its accuracy is
// estimated by k-fold cross-validation instead: each row is predicted by a model trained on the other folds, with
// the same config and recipe. Those out-of-fold predictions are stored with the checkpoint and become the run's
// evaluation (evaluationService.ts).
import type { TrainConfig } from '../../../common/config';
import { rngFor, shuffle } from '../rng';
import { trainFewShot, type FewShotTrainOptions } from './train';

/** Below this many validation rows per label the split cannot measure the model; cross-validate instead. */
export const MIN_VALIDATION_PER_LABEL = 5;
const MAX_FOLDS = 5;

export interface CrossValidation {
  folds: number;
  texts: string[];
  labels: number[]; // true label of each text
  probs: number[][]; // out-of-fold class probabilities
}

type Example = { text: string; label: number };

/** Folds for `rows` (2..5, no more than the smallest label has rows), or 0 when a label has a single row. */
export function foldCount(rows: readonly Example[], labels: number): number {
  const counts = new Array<number>(labels).fill(0);
  for (const r of rows) counts[r.label]++;
  const smallest = Math.min(...counts.filter((n) => n > 0));
  return smallest >= 2 ? Math.min(MAX_FOLDS, smallest) : 0;
}

/** True when the validation rows are too few to report on and the training rows can be cross-validated. */
export function shouldCrossValidate(train: readonly Example[], validation: readonly Example[], labels: number): boolean {
  return validation.length < MIN_VALIDATION_PER_LABEL * labels && foldCount([...train, ...validation], labels) >= 2;
}

/** Stratified fold of each row (0..folds-1), seeded. */
function assignFolds(rows: readonly Example[], folds: number, config: TrainConfig): number[] {
  const rng = rngFor(config.seed, 'cross-validation');
  const fold = new Array<number>(rows.length).fill(0);
  const byLabel = new Map<number, number[]>();
  rows.forEach((r, i) => byLabel.set(r.label, [...(byLabel.get(r.label) ?? []), i]));
  let next = 0; // labels continue where the last one stopped, so fold sizes stay even
  for (const label of [...byLabel.keys()].sort((a, b) => a - b)) {
    for (const i of shuffle(byLabel.get(label)!, rng)) fold[i] = next++ % folds;
  }
  return fold;
}

/**
 * Out-of-fold probabilities for every row of `o.train`; null when cancelled. The folds train side by side, a step of
 * each in turn (trainFewShot yields to the event loop every step), so a run that trains its own model beside them
 * moves its progress and ETA at the pace of all the work.
 */
export async function crossValidateFewShot(o: FewShotTrainOptions): Promise<CrossValidation | null> {
  const folds = foldCount(o.train, o.labels.length);
  if (folds < 2) throw new Error('Cross-validation needs at least two rows of every label.');
  const fold = assignFolds(o.train, folds, o.config);
  const runs = await Promise.allSettled(
    Array.from({ length: folds }, (_, f) => trainFewShot({ ...o, train: o.train.filter((_, i) => fold[i] !== f), validation: [], onMetrics: undefined, onLog: undefined })),
  );
  const probs: number[][] = new Array(o.train.length);
  let cancelled = false;
  try {
    runs.forEach((run, f) => {
      if (run.status === 'rejected') throw run.reason;
      if (run.value.status === 'cancelled') cancelled = true;
      if (cancelled) return;
      const held = o.train.flatMap((_, i) => (fold[i] === f ? [i] : []));
      run.value.model.predictProba(held.map((i) => o.train[i].text)).forEach((p, k) => (probs[held[k]] = p));
    });
  } finally {
    for (const run of runs) if (run.status === 'fulfilled') run.value.model.dispose();
  }
  return cancelled ? null : { folds, texts: o.train.map((e) => e.text), labels: o.train.map((e) => e.label), probs };
}
