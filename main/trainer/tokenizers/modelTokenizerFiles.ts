// The tokenizer of a Hugging Face model folder, with what a model needs around it: BOS / EOS / pad ids, whether BOS
// is added, the special ids, the chat template. Reads tokenizer.json (preferred) or, failing that, a SentencePiece
// tokenizer.model (Llama 2 layout: <unk> <s> </s>, dummy-prefix space); then tokenizer_config.json (bos_token,
// eos_token, pad_token, unk_token as strings or {content} objects, add_bos_token, add_eos_token, chat_template as a
// string or a list of {name, template}, model_max_length), chat_template.jinja / chat_template.json where newer
// folders keep the template, and generation_config.json (bos_token_id, eos_token_id as a number or a list,
// pad_token_id). Every file but the tokenizer itself is optional.
//
// Special tokens around a text follow transformers: add_bos_token / add_eos_token when tokenizer_config.json sets
// them (they rebuild the post-processor there), otherwise what tokenizer.json's post-processor adds. They are added
// here, once: a text that already starts with BOS (a rendered chat template) gets no second one, where Hugging Face
// would add it twice.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { badInput, notFound } from '../../../common/result';
import { parseSentencePieceModel } from '../llama/sentencePieceModel';
import { tokenizerFromHfDocument } from './hfTokenizerJson';
import type { PipelineTokenizer } from './pipelineTokenizer';
import { SentencePieceTextTokenizer } from './sentencePieceAdapter';

type Json = Record<string, unknown>;

export interface FolderTokenizer {
  /** The tokenizer itself; its own encode adds no special tokens unless asked, like tokenizers' encode. */
  readonly tokenizer: PipelineTokenizer;
  /** Which file it came from. */
  readonly source: 'tokenizer.json' | 'tokenizer.model';
  /** Highest id + 1 (config.json's vocab_size may be larger: padded embeddings). */
  readonly vocabSize: number;
  readonly bosId: number | null;
  /** Every id that ends a sequence: tokenizer_config.json's eos_token first, then generation_config.json's. */
  readonly eosIds: number[];
  readonly padId: number | null;
  readonly unkId: number | null;
  /** Whether encode(…, { addSpecial: true }) starts with bosId / ends with eosIds[0]. */
  readonly addBos: boolean;
  readonly addEos: boolean;
  /** Added tokens marked special, and the BOS / EOS / pad / unk ids. */
  readonly specialIds: ReadonlySet<number>;
  /** The default chat template (Jinja source), or null. */
  readonly chatTemplate: string | null;
  /** Every named template (tokenizer_config.json's list form; the single one is "default"). */
  readonly chatTemplates: Readonly<Record<string, string>>;
  /** tokenizer_config.json's model_max_length; null when absent or transformers' "no limit" (1e30). */
  readonly modelMaxLength: number | null;
  /** Ids of `text`; addSpecial (default true) adds BOS / EOS as the folder says, BOS never twice. */
  encode(text: string, opts?: { addSpecial?: boolean }): number[];
  /** Text of `ids`; skipSpecial (default true) leaves out added tokens marked special. */
  decode(ids: readonly number[], opts?: { skipSpecial?: boolean }): string;
  /** The id of a token string (an added token or a vocabulary entry). */
  tokenId(token: string): number | undefined;
}

/** The folder's files, already read; JSON ones parsed. For tests and callers that hold the files in memory. */
export interface TokenizerFiles {
  tokenizerJson?: unknown;
  tokenizerModel?: Uint8Array;
  tokenizerConfig?: unknown;
  generationConfig?: unknown;
  /** chat_template.jinja's text */
  chatTemplateJinja?: string;
  /** chat_template.json, parsed */
  chatTemplateJson?: unknown;
}

const NO_LIMIT = 1e18; // transformers writes int(1e30) for "no maximum length"

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw badInput(`${file}: cannot be read (${(err as Error).message}).`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw badInput(`${file}: not valid JSON (${(err as Error).message}).`);
  }
}

/** Reads `folder`'s tokenizer files; see the header for which. */
export function loadFolderTokenizer(folder: string): FolderTokenizer {
  const path = (name: string) => join(folder, name);
  const optionalJson = (name: string) => (existsSync(path(name)) ? readJson(path(name)) : undefined);
  const files: TokenizerFiles = {
    tokenizerConfig: optionalJson('tokenizer_config.json'),
    generationConfig: optionalJson('generation_config.json'),
    chatTemplateJson: optionalJson('chat_template.json'),
  };
  if (existsSync(path('chat_template.jinja'))) files.chatTemplateJinja = readFileSync(path('chat_template.jinja'), 'utf8');
  if (existsSync(path('tokenizer.json'))) files.tokenizerJson = readJson(path('tokenizer.json'));
  else if (existsSync(path('tokenizer.model'))) files.tokenizerModel = readFileSync(path('tokenizer.model'));
  else throw notFound(`${folder}: no tokenizer.json or tokenizer.model.`);
  return folderTokenizerFromFiles(files, folder);
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A tokenizer_config.json token field: "<s>", {"content": "<s>", …} (AddedToken), or null / absent. */
function configToken(config: Json, key: string, file: string): string | null {
  const value = config[key];
  if (value == null) return null;
  if (typeof value === 'string') return value;
  if (isObject(value) && typeof value.content === 'string') return value.content;
  throw badInput(`${file}: ${key} should be a token string, an object with "content", or null.`);
}

function configFlag(config: Json, key: string, file: string): boolean | undefined {
  const value = config[key];
  if (value == null) return undefined;
  if (typeof value !== 'boolean') throw badInput(`${file}: ${key} should be true or false.`);
  return value;
}

/** generation_config.json ids: a number, a list of numbers (eos_token_id), or null / absent. */
function generationIds(config: Json, key: string, file: string, vocabSize: number, list: boolean): number[] {
  const value = config[key];
  if (value == null) return [];
  const ids = list && Array.isArray(value) ? value : [value];
  for (const id of ids) {
    if (!Number.isInteger(id)) throw badInput(`${file}: ${key} should be ${list ? 'an id or a list of ids' : 'an id'} (an integer), not ${JSON.stringify(value)}.`);
    if ((id as number) < 0 || (id as number) >= vocabSize) throw badInput(`${file}: ${key} ${id} is outside the tokenizer's ${vocabSize} ids.`);
  }
  return ids as number[];
}

function chatTemplates(config: Json, files: TokenizerFiles, where: { config: string; jinja: string; json: string }): Record<string, string> {
  const value = config.chat_template;
  if (typeof value === 'string') return { default: value };
  if (Array.isArray(value)) {
    const out: Record<string, string> = {};
    value.forEach((entry, i) => {
      if (!isObject(entry) || typeof entry.name !== 'string' || typeof entry.template !== 'string') {
        throw badInput(`${where.config}: chat_template[${i}] should be {"name": …, "template": …}.`);
      }
      out[entry.name] = entry.template;
    });
    return out;
  }
  if (value != null) throw badInput(`${where.config}: chat_template should be a string or a list of {"name", "template"}.`);
  if (files.chatTemplateJinja !== undefined) return { default: files.chatTemplateJinja };
  if (files.chatTemplateJson !== undefined) {
    const doc = files.chatTemplateJson;
    if (!isObject(doc) || typeof doc.chat_template !== 'string') throw badInput(`${where.json}: should be {"chat_template": "…"}.`);
    return { default: doc.chat_template };
  }
  return {};
}

/** The ids a post-processor puts before and after a single sequence (TemplateProcessing, Bert/Roberta, Sequence). */
function templateIds(json: unknown, file: string): { prefix: number[]; suffix: number[] } {
  const none = { prefix: [], suffix: [] };
  if (!isObject(json)) return none;
  switch (json.type) {
    case 'TemplateProcessing': {
      const specials = isObject(json.special_tokens) ? json.special_tokens : {};
      const single = Array.isArray(json.single) ? json.single : [];
      const out = { prefix: [] as number[], suffix: [] as number[] };
      let seenSequence = false;
      for (const item of single) {
        if (!isObject(item)) continue;
        if (item.Sequence) {
          seenSequence = true;
          continue;
        }
        const name = isObject(item.SpecialToken) ? String(item.SpecialToken.id) : '';
        const special = specials[name];
        if (!isObject(special) || !Array.isArray(special.ids)) throw badInput(`${file}: post_processor uses special token "${name}" that special_tokens does not define.`);
        (seenSequence ? out.suffix : out.prefix).push(...(special.ids as number[]));
      }
      return out;
    }
    case 'BertProcessing':
    case 'RobertaProcessing': {
      const id = (key: string) => (Array.isArray(json[key]) && typeof (json[key] as unknown[])[1] === 'number' ? [(json[key] as number[])[1]] : []);
      return { prefix: id('cls'), suffix: id('sep') };
    }
    case 'Sequence': {
      const steps = Array.isArray(json.processors) ? json.processors.map((p) => templateIds(p, file)) : [];
      // Each step wraps what the previous one returned.
      return steps.reduce((acc, s) => ({ prefix: [...s.prefix, ...acc.prefix], suffix: [...acc.suffix, ...s.suffix] }), none);
    }
    default:
      return none;
  }
}

/** Builds the folder tokenizer from files already read; `folder` names them in error messages. */
export function folderTokenizerFromFiles(files: TokenizerFiles, folder = '.'): FolderTokenizer {
  const where = {
    json: join(folder, 'tokenizer.json'),
    model: join(folder, 'tokenizer.model'),
    config: join(folder, 'tokenizer_config.json'),
    generation: join(folder, 'generation_config.json'),
    jinja: join(folder, 'chat_template.jinja'),
    chatJson: join(folder, 'chat_template.json'),
  };
  let tokenizer: PipelineTokenizer;
  let source: FolderTokenizer['source'];
  let postProcessor: unknown = null;
  if (files.tokenizerJson !== undefined) {
    tokenizer = tokenizerFromHfDocument(files.tokenizerJson, where.json);
    source = 'tokenizer.json';
    postProcessor = (files.tokenizerJson as Json).post_processor ?? null;
  } else if (files.tokenizerModel !== undefined) {
    // run.c's encoding written as a tokenizer.json (sentencePieceAdapter.ts): no post-processor, so BOS comes from
    // add_bos_token, which LlamaTokenizer defaults to true.
    const sp = new SentencePieceTextTokenizer(parseSentencePieceModel(files.tokenizerModel, where.model));
    tokenizer = tokenizerFromHfDocument(sp.toJson(), where.model);
    source = 'tokenizer.model';
  } else throw notFound(`${folder}: no tokenizer.json or tokenizer.model.`);

  const config = files.tokenizerConfig ?? {};
  if (!isObject(config)) throw badInput(`${where.config}: should be a JSON object.`);
  const generation = files.generationConfig ?? {};
  if (!isObject(generation)) throw badInput(`${where.generation}: should be a JSON object.`);
  const vocabSize = tokenizer.vocabSize;

  const idOf = (key: string): number | null => {
    const token = configToken(config, key, where.config);
    if (token === null) return null;
    const id = tokenizer.tokenId(token);
    if (id === undefined) throw badInput(`${where.config}: ${key} "${token}" is not a token of ${source === 'tokenizer.json' ? where.json : where.model}.`);
    return id;
  };
  const template = templateIds(postProcessor, where.json);
  const configBos = idOf('bos_token');
  const configEos = idOf('eos_token');
  const configPad = idOf('pad_token');
  const configUnk = idOf('unk_token');
  const genBos = generationIds(generation, 'bos_token_id', where.generation, vocabSize, false);
  const genEos = generationIds(generation, 'eos_token_id', where.generation, vocabSize, true);
  const genPad = generationIds(generation, 'pad_token_id', where.generation, vocabSize, false);

  const named = tokenizer.specials;
  const bosId = configBos ?? genBos[0] ?? template.prefix[0] ?? named.bos ?? null;
  const eosIds = [...new Set([...(configEos === null ? [] : [configEos]), ...genEos])];
  if (eosIds.length === 0 && template.suffix.length > 0) eosIds.push(template.suffix[template.suffix.length - 1]);
  if (eosIds.length === 0 && named.eos !== undefined) eosIds.push(named.eos);
  const padId = configPad ?? genPad[0] ?? null;
  const unkId = configUnk ?? named.unk ?? null;

  const addBosFlag = configFlag(config, 'add_bos_token', where.config) ?? (source === 'tokenizer.model' ? true : undefined);
  const addEosFlag = configFlag(config, 'add_eos_token', where.config);
  if (addBosFlag && bosId === null) throw badInput(`${where.config}: add_bos_token is true but no BOS token is named (bos_token, or bos_token_id in generation_config.json).`);
  if (addEosFlag && eosIds.length === 0) throw badInput(`${where.config}: add_eos_token is true but no EOS token is named (eos_token, or eos_token_id in generation_config.json).`);
  const prefix = addBosFlag === undefined ? template.prefix : addBosFlag ? [bosId!] : [];
  const suffix = addEosFlag === undefined ? template.suffix : addEosFlag ? [eosIds[0]] : [];

  const specialIds = new Set<number>();
  for (const t of tokenizer.addedTokens) if (t.special) specialIds.add(t.id);
  for (const id of [bosId, padId, unkId, ...eosIds]) if (id !== null) specialIds.add(id);

  const templates = chatTemplates(config, files, { config: where.config, jinja: where.jinja, json: where.chatJson });
  const maxLength = config.model_max_length;
  if (maxLength != null && typeof maxLength !== 'number') throw badInput(`${where.config}: model_max_length should be a number.`);

  const startsWith = (ids: number[], head: number[]) => head.length > 0 && head.every((id, i) => ids[i] === id);
  const endsWith = (ids: number[], tail: number[]) => tail.length > 0 && ids.length >= tail.length && tail.every((id, i) => ids[ids.length - tail.length + i] === id);
  return {
    tokenizer,
    source,
    vocabSize,
    bosId,
    eosIds,
    padId,
    unkId,
    addBos: bosId !== null && prefix.includes(bosId),
    addEos: eosIds.length > 0 && suffix.some((id) => eosIds.includes(id)),
    specialIds,
    chatTemplate: templates.default ?? Object.values(templates)[0] ?? null,
    chatTemplates: templates,
    modelMaxLength: typeof maxLength === 'number' && maxLength < NO_LIMIT ? maxLength : null,
    encode(text, opts = {}) {
      const ids = tokenizer.encode(text, { addSpecialTokens: false });
      if (opts.addSpecial === false) return ids;
      return [...(startsWith(ids, prefix) ? [] : prefix), ...ids, ...(endsWith(ids, suffix) ? [] : suffix)];
    },
    decode(ids, opts = {}) {
      return tokenizer.decode(ids, { skipSpecialTokens: opts.skipSpecial !== false });
    },
    tokenId: (token) => tokenizer.tokenId(token),
  };
}

