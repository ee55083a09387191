export { startWorkbench, loadInitialState, loadRun } from './sessionActions';
export {
  importDatasetFile,
  selectDataset,
  reviewDatasetFile,
  setReviewTask,
  setReviewMapping,
  setReviewRecipe,
  setReviewSplit,
  discardReview,
  importReviewed,
  cancelReviewedImport,
} from './datasetActions';
export { startTraining, fineTune, pauseRun, resumeRun, cancelRun, openRun, continueRun, deleteRun } from './runActions';
export { loadEvaluations, evaluateRun } from './evaluationActions';
export { generate, classifyText, sourceOf, COMPARE_BASE } from './playgroundActions';
export { exportRun } from './exportActions';
export { importModel, loadModels } from './catalogActions';
export { toggleCompared } from './comparisonActions';
export { showScreen } from './navigationActions';
export { refreshEstimate } from './estimateActions';
export { bindConnection } from './boundConnection';
