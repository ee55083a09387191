export { startWorkbench, loadInitialState, loadRun } from './sessionActions';
export { importDatasetFile, selectDataset } from './datasetActions';
export { startTraining, pauseRun, resumeRun, cancelRun } from './runActions';
export { bindConnection } from './boundConnection';
