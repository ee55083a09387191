// The one-click few-shot preset: read the dataset, choose base, method and hyperparameters. Pure, so the CLI, the
// services and the UI's preview agree; every value it picks can still be overridden.
import type { TrainConfig } from './config';
import type { TrainData } from './protocol';

export interface DatasetProfile {
  task: TrainData['task'];
  rows: number; // training rows
  classes: number; // 0 for generation
  minPerClass: number;
  medianPerClass: number;
  meanWords: number;
}

export function profileTrainData(data: TrainData): DatasetProfile {
  const texts = data.task === 'classify' ? data.train.map((e) => e.text) : data.train;
  const words = texts.reduce((sum, t) => sum + t.split(/\s+/).filter(Boolean).length, 0);
  const profile: DatasetProfile = { task: data.task, rows: texts.length, classes: 0, minPerClass: 0, medianPerClass: 0, meanWords: texts.length ? words / texts.length : 0 };
  if (data.task === 'classify') {
    const counts = data.labels.map((_, i) => data.train.filter((e) => e.label === i).length).sort((a, b) => a - b);
    profile.classes = counts.length;
    profile.minPerClass = counts[0] ?? 0;
    profile.medianPerClass = counts[Math.floor(counts.length / 2)] ?? 0;
  }
  return profile;
}

/**
 * Classification → the GloVe encoder with the SetFit-style recipe; generation → stories260K fine-tuned on the texts.
 * Step counts grow with the data but stay within about a minute on two CPU cores.
 */
export function fewShotConfig(profile: DatasetProfile): Partial<TrainConfig> {
  if (profile.task === 'classify') {
    return { base: 'glove-6b-100d', method: 'setfit', ...FEWSHOT_CLASSIFY };
  }
  return { base: 'stories260k', method: 'full', ...FEWSHOT_GENERATE };
}

// Measured on the four classification sets in ../shared/data (bench/fewshot.ts) and on short texts for stories260K.
const FEWSHOT_CLASSIFY: Partial<TrainConfig> = { steps: 200, batchSize: 32, learningRate: 1e-2, pairsPerExample: 20, weightDecay: 1e-4, evalEvery: 50, warmupSteps: 10 };
const FEWSHOT_GENERATE: Partial<TrainConfig> = { steps: 50, batchSize: 8, contextLength: 64, learningRate: 5e-4, warmupSteps: 5, evalEvery: 25 };
