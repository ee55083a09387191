// What a few-shot checkpoint's header says, read without loading tfjs or the GloVe vectors: the main process reads
// a run's cross-validation here (evaluationService.ts), and the CLI and the app start without the trainer's tfjs.
import { badInput } from '../../../common/result';
import { readSafetensorsHeader } from '../safetensors';
import type { CrossValidation } from './crossValidate';

export const FEWSHOT_FORMAT = 'tunebench-fewshot-v1';

/** A metadata field of checkpoint `path` as JSON; a missing or broken one is bad input naming the file and field. */
export function parseMetaJson<T>(path: string, field: string, raw: string | undefined): T {
  if (raw === undefined) throw badInput(`${path}: the metadata field '${field}' is missing.`);
  try {
    return JSON.parse(raw) as T;
  } catch {
    throw badInput(`${path}: the metadata field '${field}' is not valid JSON.`);
  }
}

/** The out-of-fold predictions saved with a few-shot checkpoint, or null (another kind of checkpoint, or none). */
export function readCrossValidation(checkpointPath: string): CrossValidation | null {
  const { metadata } = readSafetensorsHeader(checkpointPath);
  if (metadata.format !== FEWSHOT_FORMAT || !metadata.crossValidation) return null;
  return parseMetaJson<CrossValidation>(checkpointPath, 'crossValidation', metadata.crossValidation);
}
