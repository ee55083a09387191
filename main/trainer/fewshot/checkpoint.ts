// Few-shot checkpoints: <checkpointDir>/step-NNNNNN.safetensors holding only the trained weights (adapter, word
// deltas with their vocabulary rows, common component, head); metadata { format, labels, config, recipe, step } and,
// for a model trained on every row, its cross-validation (crossValidate.ts).
// The GloVe vectors are read again from the base folder on load.
import { join } from 'node:path';
import { trainConfigSchema } from '../../../common/config';
import { badInput } from '../../../common/result';
import { readSafetensors, writeSafetensors } from '../safetensors';
import { GloveFewShotClassifier, type FewShotClassifier } from './classifier';
import { FEWSHOT_FORMAT, parseMetaJson } from './checkpointMeta';
import type { CrossValidation } from './crossValidate';
import { loadGlove } from './glove';
import { FewShotModel } from './model';
import { DEFAULT_RECIPE, RECIPE_BEFORE_FIELDS, type FewShotRecipe } from './recipe';

export function saveFewShot(model: FewShotClassifier, checkpointDir: string, step: number, crossValidation?: CrossValidation): { step: number; path: string; bytes: number } {
  if (!(model instanceof GloveFewShotClassifier)) throw new Error('saveFewShot takes a classifier made by trainFewShot or loadFewShot.');
  const path = join(checkpointDir, `step-${String(step).padStart(6, '0')}.safetensors`);
  const { spec } = model.model;
  const bytes = writeSafetensors(path, model.model.namedArrays(), {
    format: FEWSHOT_FORMAT,
    labels: JSON.stringify(spec.labels),
    config: JSON.stringify(model.config),
    recipe: JSON.stringify(spec.recipe),
    step: String(step),
    ...(crossValidation ? { crossValidation: JSON.stringify(crossValidation) } : {}),
  });
  return { step, path, bytes };
}

export function loadFewShot(checkpointPath: string, basePath: string): FewShotClassifier {
  const { tensors, metadata } = readSafetensors(checkpointPath);
  if (metadata.format !== FEWSHOT_FORMAT) {
    throw badInput(`${checkpointPath} is not a few-shot classifier (format '${metadata.format ?? 'none'}', expected '${FEWSHOT_FORMAT}').`);
  }
  const labels = parseMetaJson<string[]>(checkpointPath, 'labels', metadata.labels);
  const config = trainConfigSchema.parse(parseMetaJson(checkpointPath, 'config', metadata.config));
  const recipe: FewShotRecipe = { ...DEFAULT_RECIPE, ...RECIPE_BEFORE_FIELDS, ...parseMetaJson<Partial<FewShotRecipe>>(checkpointPath, 'recipe', metadata.recipe) };
  const byName = new Map(tensors.map((t) => [t.name, t.data]));
  const glove = loadGlove(basePath);
  const rows = byName.get('words.rows');
  const component = byName.get('encoder.component') ?? null;
  if (component && component.length !== glove.dims) throw badInput(`${checkpointPath}: encoder.component has ${component.length} values, the base has ${glove.dims} dimensions.`);
  let model: FewShotModel;
  try {
    model = new FewShotModel({ labels, dims: glove.dims, recipe, component, deltaRows: rows ? Array.from(rows) : [] }, config.seed, byName);
  } catch (err) {
    throw badInput(`${checkpointPath}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return new GloveFewShotClassifier(glove, model, config);
}
