// Few-shot training on the frozen GloVe encoder, steps 1..config.steps across two stages:
//   setfit: stage 1 (contrastive): pairs of training examples, SetFit's CosineSimilarityLoss
//           mean((cos(u_a, u_b) − target)²), trains the word deltas and the adapter if the recipe has one (Adam,
//           decoupled weight decay); stage 2 (head): softmax regression on the adapted vectors, full batch,
//           L2 = recipe.headL2 · |W|².
//   head:   stage 2 only, on the pooled vectors: the linear probe.
// Each stage has its own warmup + cosine learning-rate schedule (loop.ts). Tensors stay flat across steps.
import * as tf from '../tfjs';
import type { TrainConfig } from '../../../common/config';
import { badInput } from '../../../common/result';
import { learningRateAt } from '../gpt/loop';
import { rngFor } from '../rng';
import { GloveFewShotClassifier, type FewShotClassifier } from './classifier';
import { channelBags, channelCount, poolChannels, principalDirection } from './encoder';
import { loadGlove } from './glove';
import { bagTensors, FewShotModel, type DeltaBags } from './model';
import { drawPairs, type Pair } from './pairs';
import { recipeFor, type FewShotRecipe } from './recipe';
import { contrastiveStep, evaluateHead, headStep, oneHot, type HeadData } from './steps';

export interface FewShotTrainOptions {
  basePath: string; // absolute resources/models/glove-6b-100d
  labels: string[];
  train: { text: string; label: number }[];
  validation: { text: string; label: number }[];
  config: TrainConfig; // method 'head' | 'setfit'
  onMetrics?(step: number, values: Record<string, number>): void;
  onLog?(level: 'info' | 'warn', message: string): void;
  shouldStop?(): boolean;
  waitWhilePaused?(): Promise<void>;
  /** Replaces the measured recipe (benchmarks). */
  recipe?: FewShotRecipe;
}

export interface FewShotTrainResult {
  status: 'completed' | 'cancelled';
  step: number;
  model: FewShotClassifier;
}

/** Validation rows used for val_loss / val_accuracy (the first ones). */
const MAX_VALIDATION = 2000;
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function checkExamples(labels: string[], rows: { label: number }[], split: string): void {
  rows.forEach((r, i) => {
    if (!Number.isInteger(r.label) || r.label < 0 || r.label >= labels.length) {
      throw badInput(`${split} example ${i + 1} has label ${r.label}; expected 0..${labels.length - 1}.`);
    }
  });
}

export async function trainFewShot(o: FewShotTrainOptions): Promise<FewShotTrainResult> {
  const { config, labels } = o;
  if (config.method !== 'head' && config.method !== 'setfit') throw badInput(`Few-shot training takes method 'head' or 'setfit', not '${config.method}'.`);
  if (labels.length < 2) throw badInput('Few-shot classification needs at least 2 labels.');
  if (o.train.length === 0) throw badInput('Few-shot training needs at least one training example.');
  checkExamples(labels, o.train, 'Training');
  checkExamples(labels, o.validation, 'Validation');
  const log = o.onLog ?? (() => {});
  const recipe = recipeFor(config.method, o.recipe);
  const glove = loadGlove(o.basePath);
  const d = glove.dims;

  const width = d * channelCount(recipe);
  const trainBags = o.train.map((e) => channelBags(e.text, glove, recipe));
  const validation = o.validation.slice(0, MAX_VALIDATION);
  const valBags = validation.map((e) => channelBags(e.text, glove, recipe));
  const trainPooled = poolChannels(trainBags, glove);
  const valPooled = poolChannels(valBags, glove);
  const component = recipe.removeComponent ? principalDirection(Float32Array.from([...trainPooled, ...valPooled]), d) : null;
  const deltaRows = recipe.wordDeltas ? [...new Set(trainBags.flatMap((b) => b.flatMap((bag) => bag.rows)))].sort((a, b) => a - b) : [];
  const empty = trainBags.filter((b) => b.every((bag) => bag.rows.length === 0)).length;
  if (empty > 0) log('warn', `${empty} of ${o.train.length} training texts have no word the GloVe vocabulary knows; they encode as zero vectors.`);

  const model = new FewShotModel({ labels, dims: d, recipe, component, deltaRows }, config.seed);
  const classifier = new GloveFewShotClassifier(glove, model, config);
  const pooledT = tf.tensor2d(trainPooled, [o.train.length, width]);
  const bagsT = model.deltaBags(trainBags);
  const held: tf.Tensor[] = [pooledT, ...bagTensors(bagsT)];
  let head: HeadData | null = null;
  let valHead: HeadData | null = null;
  const optimizers: tf.Optimizer[] = [];

  const pairsWanted = config.method === 'setfit' && config.pairsPerExample > 0 && o.train.length >= 2 && model.encoderVariables().length > 0;
  if (config.method === 'setfit' && !pairsWanted) log('warn', 'Nothing to train contrastively (pairsPerExample is 0, there is one example, or the recipe has no adapter and no word deltas): skipping the contrastive stage, training the head only.');
  const headSteps = pairsWanted ? Math.max(1, Math.round(config.steps * recipe.headShare)) : config.steps;
  const contrastSteps = config.steps - headSteps;
  const contrastSchedule = { learningRate: config.learningRate, warmupSteps: Math.min(config.warmupSteps, Math.floor(contrastSteps / 10)), steps: contrastSteps };
  const headSchedule = { learningRate: config.learningRate * recipe.headLrScale, warmupSteps: 0, steps: headSteps };
  log('info', `Few-shot ${config.method}: ${o.train.length} examples, ${labels.length} labels, ${model.parameterCount.toLocaleString('en-US')} trainable parameters (${deltaRows.length} word deltas); ${contrastSteps} contrastive + ${headSteps} head steps.`);

  const pairRng = rngFor(config.seed, 'pairs');
  const trainLabels = o.train.map((e) => e.label);
  let pairs: Pair[] = [];
  let pairCursor = 0;
  const nextPairs = (): Pair[] => {
    if (pairCursor >= pairs.length) {
      pairs = drawPairs(trainLabels, config.pairsPerExample, pairRng);
      pairCursor = 0;
    }
    const batch = pairs.slice(pairCursor, pairCursor + config.batchSize);
    pairCursor += config.batchSize;
    return batch;
  };

  let step = 0;
  try {
    while (step < config.steps) {
      await yieldToEventLoop();
      if (o.shouldStop?.()) return { status: 'cancelled', step, model: classifier };
      await o.waitWhilePaused?.();
      if (o.shouldStop?.()) return { status: 'cancelled', step, model: classifier };
      const s = step + 1;
      let loss: tf.Scalar;
      let lr: number;
      if (s <= contrastSteps) {
        if (s === 1) {
          const what = [recipe.adapter !== 'none' ? 'the adapter' : '', deltaRows.length > 0 ? 'the training words’ vectors' : ''].filter(Boolean).join(' and ');
          log('info', `Stage 1 of 2: contrastive training of ${what} on ${config.pairsPerExample} pairs per example (${contrastSteps} steps).`);
          optimizers.push(tf.train.adam(contrastSchedule.learningRate));
        }
        lr = learningRateAt(s, contrastSchedule);
        loss = contrastiveStep(model, optimizers[optimizers.length - 1], pooledT, bagsT, nextPairs(), lr, config.weightDecay);
      } else {
        if (!head) {
          if (contrastSteps > 0) log('info', `Stage 2 of 2: training the classification head (${headSteps} steps).`);
          head = headData(model, pooledT, bagsT, trainLabels);
          if (validation.length > 0) {
            const vp = tf.tensor2d(valPooled, [validation.length, width]);
            const vb = model.deltaBags(valBags);
            valHead = headData(model, vp, vb, validation.map((e) => e.label));
            tf.dispose([vp, ...bagTensors(vb)]);
          }
          for (const done of optimizers.splice(0)) done.dispose(); // stage 1's Adam moments
          optimizers.push(tf.train.adam(headSchedule.learningRate));
        }
        lr = learningRateAt(s - contrastSteps, headSchedule);
        loss = headStep(model, optimizers[optimizers.length - 1], head, lr, recipe.headL2 ?? config.weightDecay);
      }
      step = s;
      const isLast = s === config.steps;
      const values: Record<string, number> = {};
      try {
        if (s === 1 || s % config.logEvery === 0 || isLast || s === contrastSteps) {
          const l = (await loss.data())[0];
          if (!Number.isFinite(l)) throw new Error(`Training diverged: the loss is ${l} at step ${s}; lower learningRate (now ${config.learningRate}).`);
          Object.assign(values, { loss: l, lr });
        }
      } finally {
        loss.dispose();
      }
      if (valHead && (s % config.evalEvery === 0 || isLast)) Object.assign(values, evaluateHead(model, valHead));
      if (Object.keys(values).length > 0) o.onMetrics?.(s, values);
    }
    return { status: 'completed', step, model: classifier };
  } catch (err) {
    classifier.dispose();
    throw err;
  } finally {
    for (const opt of optimizers) opt.dispose();
    tf.dispose([...held, ...(head ? [head.inputs, head.labels] : []), ...(valHead ? [valHead.inputs, valHead.labels] : [])]);
  }
}

/** The head's fixed inputs: adapted, rescaled vectors and one-hot labels. */
function headData(model: FewShotModel, pooled: tf.Tensor2D, bags: DeltaBags[] | null, labels: number[]): HeadData {
  return {
    inputs: tf.tidy(() => model.headInput(model.features(pooled, bags))),
    labels: oneHot(labels, model.spec.labels.length),
  };
}
