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
export { startTraining, pauseRun, resumeRun, cancelRun, openRun, deleteRun } from './runActions';
export { toggleCompared } from './comparisonActions';
export { showScreen } from './navigationActions';
export { bindConnection } from './boundConnection';
