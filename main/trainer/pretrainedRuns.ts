// Training runs that start from a pretrained base: few-shot classification on the GloVe encoder, and fine-tuning
// stories260K or an imported model of any decoder family on the user's texts (resumable from a checkpoint). Each
// checks the data fits its base and reports through RunHooks.
import { badInput } from '../../common/result';
import { crossValidateFewShot, saveFewShot, shouldCrossValidate, trainFewShot } from './fewshot';
import { loadDecoderFolder } from './decoder/checkpoint';
import { fineTuneDecoder } from './decoder/fineTune';
import { decoderTokenizerFor } from './decoder/folderTokenizer';
import { fineTuneLlama } from './llama/fineTune';
import { argmax } from './sampling';
import type { RunHooks, RunTrainer, StartMessage } from './session';
import type { LoopResult, SavedCheckpoint } from './trainLoop';

function basePathOf(start: StartMessage): string {
  if (!start.basePath) throw badInput(`The base model '${start.config.base}' was not found: the host sent no folder for it.`);
  return start.basePath;
}

export const trainFewShotRun: RunTrainer = async (start, hooks) => {
  const { data, config, checkpointDir } = start;
  if (start.resumeFrom) throw badInput('A few-shot run on the GloVe encoder cannot be continued from a checkpoint; start it again.');
  if (data.task !== 'classify') throw badInput('The GloVe encoder base classifies texts; this dataset is for text generation — choose the stories260k base or train from scratch.');
  // A validation split of a few rows measures nothing and costs a tenth of the examples: train on all of them and
  // cross-validate for the report instead.
  const pooled = shouldCrossValidate(data.train, data.validation, data.labels.length);
  const train = pooled ? [...data.train, ...data.validation] : data.train;
  if (pooled) {
    hooks.onLog('info', `The validation split has ${data.validation.length} rows, too few to measure the model: training on all ${train.length} rows and, beside it, a model per cross-validation fold to estimate its accuracy.`);
  }
  const options = { basePath: basePathOf(start), labels: data.labels, train, validation: [], config, shouldStop: hooks.shouldStop, waitWhilePaused: hooks.waitWhilePaused };
  // the folds train step for step beside the model, so the run's progress and ETA count their work too
  const [trained, validated] = await Promise.allSettled([
    trainFewShot({ ...options, validation: pooled ? [] : data.validation, onMetrics: hooks.onMetrics, onLog: hooks.onLog }),
    pooled ? crossValidateFewShot(options) : Promise.resolve(null),
  ]);
  if (trained.status === 'rejected') throw trained.reason;
  const result = trained.value;
  try {
    if (validated.status === 'rejected') throw validated.reason;
    const cv = validated.value;
    if (result.status !== 'completed' || (pooled && !cv)) return { status: 'cancelled', step: result.step };
    if (cv) {
      const right = cv.probs.filter((p, i) => argmax(p) === cv.labels[i]).length;
      hooks.onLog('info', `Cross-validated accuracy (${cv.folds} folds): ${((100 * right) / cv.labels.length).toFixed(1)}% of ${cv.labels.length} rows; it stands as the run's validation accuracy.`);
      hooks.onMetrics(result.step, { val_accuracy: right / cv.labels.length });
    }
    hooks.onCheckpoint(saveFewShot(result.model, checkpointDir, result.step, cv ?? undefined));
    return { status: result.status, step: result.step };
  } finally {
    result.model.dispose();
  }
};

/** What both text fine-tunes take from a start message and the session's hooks. */
function textRunOptions(start: StartMessage, hooks: RunHooks) {
  const { data, config, checkpointDir, resumeFrom } = start;
  if (data.task !== 'generate') throw badInput(`The base ${config.base} generates text; for a labelled dataset choose the glove-6b-100d base (few-shot) or train from scratch.`);
  return {
    texts: data.train,
    validation: data.validation,
    ...(data.promptChars ? { promptChars: data.promptChars } : {}),
    ...(resumeFrom ? { resume: resumeFrom } : {}),
    config,
    checkpointDir,
    onCheckpoint: (info: SavedCheckpoint) => {
      if (info.step < config.steps) hooks.onCheckpoint(info); // the last one is reported once, by finish()
    },
    onMetrics: hooks.onMetrics,
    onLog: hooks.onLog,
    shouldStop: hooks.shouldStop,
    waitWhilePaused: hooks.waitWhilePaused,
  };
}

function finish(result: LoopResult, hooks: RunHooks): { status: 'completed' | 'cancelled'; step: number } {
  if (result.status === 'completed') hooks.onCheckpoint(result.checkpoint);
  return { status: result.status, step: result.step };
}

export const fineTuneLlamaRun: RunTrainer = async (start, hooks) => finish(await fineTuneLlama({ basePath: basePathOf(start), ...textRunOptions(start, hooks) }), hooks);

/** An imported Hugging Face folder of any decoder family, fine-tuned on the user's texts. */
export const fineTuneDecoderRun: RunTrainer = async (start, hooks) => {
  const options = textRunOptions(start, hooks);
  const folder = basePathOf(start);
  const tokenizer = decoderTokenizerFor(folder);
  const loaded = loadDecoderFolder(folder);
  const base = { ...loaded, tokenizer, name: `the imported ${loaded.family.label} model in ${folder}`, id: start.config.base };
  return finish(await fineTuneDecoder({ base, ...options }), hooks);
};
