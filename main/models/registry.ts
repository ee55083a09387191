// The built-in base models: what the app can start training from. Each pretrained base is a folder
// resources/models/<id>/ holding its files and a model.json; 'scratch' (random weights) has no folder. Descriptions
// here are the fallback when a model.json lacks a field; a base whose folder is absent is not listed.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BaseModel } from '../../common/config';
import type { ModelInfo } from '../../common/evaluation';
import { notFound } from '../../common/result';

type Described = Omit<ModelInfo, 'path'>;

const BUILTIN: Record<BaseModel, Described> = {
  scratch: {
    id: 'scratch',
    name: 'From scratch',
    kind: 'scratch',
    tasks: ['generate', 'classify'],
    parameters: 0, // depends on the chosen nLayer, dModel and vocabulary
    description: 'A small GPT-2-layout transformer with random weights and a character vocabulary, trained only on your data.',
    license: 'Yours: the weights come only from your data.',
  },
  stories260k: {
    id: 'stories260k',
    name: 'stories260K (TinyStories Llama)',
    kind: 'generator',
    tasks: ['generate'],
    parameters: 260_032,
    description:
      "A 260K-parameter Llama-2-layout model by Andrej Karpathy, trained on TinyStories (simple English children's stories) with a 512-token SentencePiece vocabulary and a 512-token context; it continues text in that style.",
    license: 'MIT (weights and tokenizer); trained on TinyStories, CDLA-Sharing-1.0',
  },
  'glove-6b-100d': {
    id: 'glove-6b-100d',
    name: 'GloVe 6B 100d (50,000 words)',
    kind: 'encoder',
    tasks: ['classify'],
    parameters: 5_000_000, // 50,000 words × 100 dimensions
    description:
      'Word vectors for the 50,000 most frequent words of GloVe 6B (Wikipedia 2014 + Gigaword 5), 100 dimensions each; a text is the mean of its word vectors, a base for few-shot classification.',
    license: 'ODC-PDDL 1.0 (public domain)',
  },
};

/** Fields a model.json may set over the built-in description, when they have the right type. */
function fromModelJson(described: Described, file: string): Described {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return described; // unreadable: the built-in description still holds
  }
  const text = (key: string, fallback: string) => (typeof json[key] === 'string' && json[key] !== '' ? (json[key] as string) : fallback);
  const parameters = Number.isInteger(json.parameters) && (json.parameters as number) > 0 ? (json.parameters as number) : described.parameters;
  return { ...described, name: text('name', described.name), description: text('description', described.description), license: text('license', described.license), parameters };
}

/** The folder of a pretrained base, whether or not it exists. */
const folderOf = (resourcesDir: string, id: BaseModel) => join(resourcesDir, 'models', id);

/**
 * Base models available in `resourcesDir` (the app's resources folder, holding models/<id>/): scratch first, then
 * each pretrained base whose folder has a model.json.
 */
export function listBuiltinModels(resourcesDir: string): ModelInfo[] {
  const models: ModelInfo[] = [{ ...BUILTIN.scratch, path: null }];
  for (const id of ['stories260k', 'glove-6b-100d'] as const) {
    const folder = folderOf(resourcesDir, id);
    const manifest = join(folder, 'model.json');
    if (existsSync(manifest)) models.push({ ...fromModelJson(BUILTIN[id], manifest), path: folder });
  }
  return models;
}

/** The folder of base model `id`; throws not-found when it is unknown, is 'scratch', or its folder is missing. */
export function builtinModelPath(resourcesDir: string, id: string): string {
  if (!(id in BUILTIN)) throw notFound(`There is no built-in model '${id}' (known: ${Object.keys(BUILTIN).join(', ')}).`);
  if (id === 'scratch') throw notFound("The base 'scratch' starts from random weights and has no model folder.");
  const folder = folderOf(resourcesDir, id as BaseModel);
  if (!existsSync(join(folder, 'model.json'))) throw notFound(`The built-in model '${id}' is missing: ${folder} has no model.json; reinstall the app or restore that folder.`);
  return folder;
}
