// The fixed parts of the few-shot recipe (what the benchmark measured best); saved with every checkpoint so a
// model loads the way it was trained even if these defaults change later.
import { SETFIT_HEAD_SHARE } from '../../../common/fewShotPreset';
import type { Pooling } from './encoder';

export type AdapterKind = 'none' | 'linear' | 'mlp';

export interface FewShotRecipe {
  pooling: Pooling;
  /** Remove the first principal direction of the training + validation pooled vectors (Arora et al. 2017). */
  removeComponent: boolean;
  /** setfit: residual adapter over the pooled vector: x + x·A ('linear') or x + tanh(x·W1 + b1)·W2 ('mlp'). */
  adapter: AdapterKind;
  hidden: number;
  /** setfit: also learn a delta for every word seen in the training texts. */
  wordDeltas: boolean;
  /** setfit: the head sees the encoder vector x beside the adapted u (a 2d-wide input) rather than u alone. */
  headOnBoth: boolean;
  /** setfit: share of config.steps given to the head stage (the rest is the contrastive stage). */
  headShare: number;
  /** setfit: the head's learning rate is config.learningRate × this (the head is convex and likes large steps). */
  headLrScale: number;
}

// Measured at k = 8 (3 seeds, 4 data sets; bench/fewshot.ts): mean pooling beat SIF on TREC (question words
// matter) and tied elsewhere; common-component removal did not help; word deltas added ~+4 on TREC and SMS; the
// linear adapter beat the MLP; feeding the head [x, u] recovered what the adapter alone lost on SST-2 / AG News.
export const DEFAULT_RECIPE: FewShotRecipe = {
  pooling: 'mean',
  removeComponent: false,
  adapter: 'linear',
  hidden: 256,
  wordDeltas: true,
  headOnBoth: true,
  headShare: SETFIT_HEAD_SHARE,
  headLrScale: 10,
};

/** What `head` (the linear probe) uses of the recipe: the same pooled vectors, no adapter, no word deltas. */
export function recipeFor(method: 'head' | 'setfit', base: FewShotRecipe = DEFAULT_RECIPE): FewShotRecipe {
  return method === 'head' ? { ...base, adapter: 'none', wordDeltas: false, headOnBoth: false, headShare: 1, headLrScale: 1 } : base;
}
