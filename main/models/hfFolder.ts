// Checking a Hugging Face model folder before it is used, from its config.json, the headers of its safetensors (one
// file or sharded) and its tokenizer files, without reading the weights: the family (main/trainer/families) reads
// config.json, every tensor that config implies must be there with its shape, and a tokenizer must load —
// tokenizer.json for any family, or a SentencePiece tokenizer.model for a Llama.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { badInput, TunebenchError } from '../../common/result';
import { folderTensorEntries, SHARD_INDEX, weightFilesOf } from '../trainer/decoder/weightFiles';
import { specParameters, type DecoderSpec } from '../trainer/decoder/spec';
import { familyOfConfig, type HfConfig } from '../trainer/families';
import { loadSentencePieceModel } from '../trainer/llama/sentencePieceModel';
import { tokenizerFromJson } from '../trainer/tokenizers';

export interface HfFolderInfo {
  arch: string; // the family's id
  family: string; // its label
  config: HfConfig;
  parameters: number;
  bytes: number; // weight files on disk
  files: string[]; // what an import copies, relative to the folder
}

/** Files beside the weights that a model folder may carry and an import keeps. */
const COMPANIONS = ['tokenizer.json', 'tokenizer.model', 'tokenizer_config.json', 'special_tokens_map.json', 'generation_config.json', 'chat_template.jinja', 'LICENSE', 'NOTICE', 'README.md'];

function readConfig(folder: string): HfConfig {
  const file = join(folder, 'config.json');
  if (!existsSync(file)) throw badInput(`${folder} has no config.json; a model folder needs config.json, safetensors weights and a tokenizer.`);
  let config: unknown;
  try {
    config = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw badInput(`${file} is not valid JSON.`);
  }
  if (typeof config !== 'object' || config === null || Array.isArray(config)) throw badInput(`${file} is not a JSON object.`);
  return config as HfConfig;
}

/** The decoder spec a folder's config.json describes (no weights read): what the memory estimate sizes. */
export function folderSpec(folder: string): DecoderSpec {
  const config = readConfig(folder);
  const configFile = join(folder, 'config.json');
  return familyOfConfig(config, configFile).toSpec(config, configFile);
}

export function inspectHfFolder(folder: string): HfFolderInfo {
  const config = readConfig(folder);
  const configFile = join(folder, 'config.json');
  const family = familyOfConfig(config, configFile);
  const spec = family.toSpec(config, configFile);
  const weightFiles = weightFilesOf(folder);
  const entries = folderTensorEntries(folder);
  const bare = family.bareName ?? ((n: string) => n);
  const have = new Map(entries.map((e) => [bare(e.name), e]));
  for (const [name, shape] of family.checkpointShapes(spec)) {
    const t = have.get(name);
    if (!t) throw badInput(`${folder}: the weights have no tensor ${name}, which config.json implies.`);
    if (t.shape.join() !== shape.join()) throw badInput(`${basename(t.file)}: tensor ${name} has shape [${t.shape}], config.json implies [${shape}].`);
  }
  checkTokenizer(folder, family.id, spec.vocabSize);
  const bytes = weightFiles.reduce((n, f) => n + statSync(f).size, 0);
  const files = ['config.json', ...(existsSync(join(folder, SHARD_INDEX)) ? [SHARD_INDEX] : []), ...weightFiles.map((f) => basename(f)), ...COMPANIONS.filter((f) => existsSync(join(folder, f)))];
  return { arch: family.id, family: family.label, config, parameters: specParameters(spec), bytes, files };
}

/** tokenizer.json (any family) or tokenizer.model (Llama), loadable and no larger than the embedding. */
function checkTokenizer(folder: string, family: string, vocabSize: number): void {
  const json = join(folder, 'tokenizer.json');
  if (existsSync(json)) {
    let doc: unknown;
    try {
      doc = JSON.parse(readFileSync(json, 'utf8'));
    } catch {
      throw badInput(`${json} is not valid JSON.`);
    }
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw badInput(`${json} is not a JSON object.`);
    if ((doc as { model?: { type?: string } }).model?.type === 'WordLevel') return; // Tunebench's character vocabulary
    const tokenizer = tokenizerFromJson(doc); // one clear sentence naming the part that is not supported
    if (tokenizer.vocabSize > vocabSize) throw badInput(`${json} has ${tokenizer.vocabSize} tokens, more than config.json's vocab_size ${vocabSize}.`);
    return;
  }
  if (family === 'llama' && existsSync(join(folder, 'tokenizer.model'))) {
    const model = join(folder, 'tokenizer.model');
    let pieces: number;
    try {
      pieces = loadSentencePieceModel(model).vocabSize;
    } catch (err) {
      if (err instanceof TunebenchError) throw err; // already one sentence naming the file
      throw badInput(`${model} is not a SentencePiece model file.`);
    }
    if (pieces > vocabSize) throw badInput(`${model} has ${pieces} pieces, more than config.json's vocab_size ${vocabSize}.`);
    return;
  }
  throw badInput(`${folder} has no tokenizer.json${family === 'llama' ? ' (nor a SentencePiece tokenizer.model)' : ''}; Tunebench needs the model's tokenizer.`);
}
