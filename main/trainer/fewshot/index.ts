// Few-shot text classification on the built-in GloVe encoder (base 'glove-6b-100d'): methods 'head' (linear probe)
// and 'setfit' (contrastive word deltas, then head). The trainer process and the CLI code against this file only.
export { trainFewShot, type FewShotTrainOptions, type FewShotTrainResult } from './train';
export { saveFewShot, loadFewShot } from './checkpoint';
export { readCrossValidation, FEWSHOT_FORMAT } from './checkpointMeta';
export { crossValidateFewShot, shouldCrossValidate, type CrossValidation } from './crossValidate';
export type { FewShotClassifier } from './classifier';
export { recommendFewShotConfig, type DatasetProfile } from './recommend';
export { buildGloveResource, type GloveBuildResult } from './buildGloveResource';
export { DEFAULT_RECIPE, type FewShotRecipe } from './recipe';
