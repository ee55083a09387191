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
  if (profile.task === 'classify') return fewShotClassifyConfig(profile.rows);
  return { base: 'stories260k', method: 'full', ...FEWSHOT_GENERATE };
}

/** Bases above this many parameters fine-tune with LoRA in the one-click preset. */
export const LARGE_BASE = 50_000_000;

/**
 * The one-click choice for text on a pretrained folder base of `parameters`: the text recipe on that base, and over
 * LARGE_BASE LoRA at LoRA's usual learning rate (a full fine-tune would need several times the base's size in memory).
 */
export function fewShotOnBase(chosen: Partial<TrainConfig>, base: string, parameters: number): Partial<TrainConfig> {
  return parameters > LARGE_BASE ? { ...chosen, base, method: 'lora', learningRate: 2e-4 } : { ...chosen, base };
}

/** Share of the texts whose whole length the one-click preset's context covers. */
export const CONTEXT_COVERAGE = 0.95;

/**
 * The one-click preset's context for texts of these token lengths (BOS and end token included): the smallest power of
 * two from 32 that holds CONTEXT_COVERAGE of them whole, at most the model's context. A longer text trains in windows.
 */
export function contextForLengths(lengths: readonly number[], modelContext: number): number {
  if (lengths.length === 0) return Math.min(FEWSHOT_GENERATE.contextLength!, modelContext);
  const sorted = [...lengths].sort((a, b) => a - b);
  const covered = sorted[Math.min(sorted.length - 1, Math.ceil(CONTEXT_COVERAGE * sorted.length) - 1)];
  let context = 32;
  while (context < covered) context *= 2;
  return Math.min(context, modelContext);
}

/** The one-click preset's batch is the largest up to this that the memory estimate fits (more makes a step slow on CPU cores). */
export const FEWSHOT_MAX_BATCH = 16;

/** The share of a setfit run's steps spent on the head, after the contrastive stage (fewshot/recipe.ts uses it). */
export const SETFIT_HEAD_SHARE = 0.3;

/**
 * SetFit on GloVe, measured with `npm run bench:fewshot` (k = 8, 3–5 seeds, 4 sets): lr 3e-3 beat 1e-2 and
 * 5e-2; 40 pairs per example or twice the steps did not beat 20; weightDecay 1e-2 tied 1e-3. Steps: one pass over
 * the pairs (at least 20) plus the head stage; e.g. 2 × 8 examples → 120 steps, 4 × 64 → 260.
 */
function fewShotClassifyConfig(rows: number): Partial<TrainConfig> {
  const pairsPerExample = 20;
  const batchSize = 32;
  const contrastSteps = Math.max(20, Math.ceil((rows * pairsPerExample) / batchSize));
  const steps = Math.min(3000, Math.max(contrastSteps + 100, Math.round(contrastSteps / (1 - SETFIT_HEAD_SHARE))));
  return {
    base: 'glove-6b-100d',
    method: 'setfit',
    steps,
    batchSize,
    learningRate: 3e-3, // the word deltas'; the head uses 10× (fewshot recipe's headLrScale)
    warmupSteps: 5,
    pairsPerExample,
    weightDecay: 1e-3,
    evalEvery: Math.max(10, Math.round(steps / 10)),
    logEvery: 5,
  };
}

// Measured on 200 short texts (TinyStories, Jane Austen): 50 steps at 5e-4 lowered validation loss on both; 1e-3
// made TinyStories-style text worse. About 20–40 s of training on two cores.
const FEWSHOT_GENERATE: Partial<TrainConfig> = { steps: 50, batchSize: 8, contextLength: 64, learningRate: 5e-4, warmupSteps: 5, evalEvery: 25 };
