// The model families Tunebench runs, one line each: adding a family is a folder beside these and a line here.
import { badInput } from '../../../common/result';
import { gemma3 } from './gemma3';
import { gpt2 } from './gpt2';
import { llama } from './llama';
import { qwen2 } from './qwen2';
import { qwen3 } from './qwen3';
import type { Family, HfConfig } from './types';

export const FAMILIES: readonly Family[] = [llama, qwen2, qwen3, gemma3, gpt2];

export type { Family, FloatTensor, HfConfig } from './types';

/** The family by its id (DecoderSpec.family). */
export function familyById(id: string): Family {
  const family = FAMILIES.find((f) => f.id === id);
  if (!family) throw badInput(`Unknown model family '${id}' (known: ${FAMILIES.map((f) => f.id).join(', ')}).`);
  return family;
}

/** The family a config.json belongs to, by model_type (and architectures when given); one sentence when none. */
export function familyOfConfig(config: HfConfig, file: string): Family {
  const type = config.model_type;
  const family = FAMILIES.find((f) => f.modelTypes.includes(type as string));
  if (!family) {
    const known = FAMILIES.flatMap((f) => f.modelTypes).join(', ');
    throw badInput(`${file}: model_type '${String(type)}' is not a family Tunebench runs (it runs ${known}).`);
  }
  const archs = config.architectures;
  if (Array.isArray(archs) && archs.length > 0 && !archs.some((a) => family.architectures.includes(a as string))) {
    throw badInput(`${file}: architectures ${archs.join(', ')} is not one Tunebench runs for ${family.label} (it runs ${family.architectures.join(', ')}).`);
  }
  return family;
}
