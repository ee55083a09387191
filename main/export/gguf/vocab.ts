// The tokenizer.* keys of a GGUF file, as convert_hf_to_gguf.py writes them (TextModel._set_vocab_sentencepiece,
// _set_vocab_gpt2 / get_vocab_base, gguf-py's SpecialVocab) and llama.cpp's llama-vocab.cpp reads them:
//   - a SentencePiece tokenizer.model (Llama 2, TinyLlama, Gemma 3, stories260K's tok512.model) → model "llama",
//     pre "default", the pieces, their scores and types as the model stores them, padded to the embedding's rows
//     with [PAD{i}] (score -1000, unused);
//   - a byte-level BPE tokenizer.json (GPT-2, SmolLM, Llama 3, Qwen2/3) → model "gpt2", the vocabulary in id order
//     (byte-level characters as they are), added tokens typed control (special, or looking special: <|…|>) or
//     user-defined, the merges as "a b" (a space inside a part written U+0120), and tokenizer.ggml.pre named from the
//     pre-tokenizer. convert hashes a tokenisation of a test string through transformers to name it; here the
//     pre-tokenizer itself is matched (GPT-2's regex → gpt-2, its ByteLevel after single Digits → smollm, Llama 3's
//     regex → llama-bpe, Qwen2's → qwen2), and anything else is written as gpt-2 with a warning;
//   - a SentencePiece-style tokenizer.json (BPE with byte_fallback and ▁, a Llama 2 or Gemma 3 folder without
//     tokenizer.model) → model "llama" with scores from the merge order (a piece made by merge r scores −r, so
//     llama.cpp's highest-score-first merging applies the merges in their order), where convert's LlamaHfVocab
//     writes a placeholder −1000 for every piece.
// Special ids: bos / eos / unknown / padding, and add_bos_token / add_eos_token written as transformers applies them
// (loadFolderTokenizer), the chat template as tokenizer.chat_template.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { badInput } from '../../../common/result';
import { loadFolderTokenizer } from '../../trainer/tokenizers/modelTokenizerFiles';
import { readSentencePieces, TOKEN_TYPE, type SentencePiece } from './sentencePiece';
import { bool, str, u32, type GgufValue } from './writer';

export interface GgufVocab {
  /** tokenizer.* keys in the order convert writes them. */
  keys: Map<string, GgufValue>;
  /** Number of tokens (the embedding's rows llama.cpp expects). */
  size: number;
  tokens: string[];
  eosTexts: string[];
  chatTemplate: string | null;
  warnings: string[];
}

/** What the rest of the tokenizer keys need to know, from wherever the folder keeps it. */
export interface Specials {
  bosId: number | null;
  eosIds: number[];
  unkId: number | null;
  padId: number | null;
  addBos: boolean;
  addEos: boolean;
  chatTemplate: string | null;
  addSpacePrefix?: boolean;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Exactly GPT-2's, Llama 3's and Qwen2's pre-tokenizer regexes as their tokenizer.json files spell them. */
const GPT2_REGEX = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";
const LLAMA3_REGEX = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
const QWEN2_REGEX = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

/** The pieces of a pre_tokenizer (a Sequence flattened). */
function preTokenizerSteps(pre: unknown): Json[] {
  if (!isObject(pre)) return [];
  if (pre.type === 'Sequence' && Array.isArray(pre.pretokenizers)) return pre.pretokenizers.flatMap(preTokenizerSteps);
  return [pre];
}

/** llama.cpp's name for a byte-level tokenizer.json's pre-tokenizer, or null when it is none of the known ones. */
export function bpePreName(doc: Json): string | null {
  const steps = preTokenizerSteps(doc.pre_tokenizer);
  const splits = steps.filter((s) => s.type === 'Split').map((s) => (isObject(s.pattern) ? s.pattern.Regex ?? s.pattern.String : null));
  const byteLevel = steps.find((s) => s.type === 'ByteLevel');
  const digits = steps.find((s) => s.type === 'Digits');
  const others = steps.filter((s) => !['Split', 'ByteLevel', 'Digits'].includes(String(s.type)));
  if (!byteLevel || others.length > 0 || splits.length > 1) return null;
  const byteLevelSplits = byteLevel.use_regex !== false; // ByteLevel's own split is GPT-2's regex
  if (splits.length === 0) {
    if (!byteLevelSplits) return null;
    if (!digits) return 'gpt-2';
    return digits.individual_digits === true && steps.indexOf(digits) < steps.indexOf(byteLevel) ? 'smollm' : null;
  }
  if (digits || byteLevelSplits) return null;
  if (splits[0] === GPT2_REGEX) return 'gpt-2';
  if (splits[0] === LLAMA3_REGEX) return 'llama-bpe';
  if (splits[0] === QWEN2_REGEX) return 'qwen2';
  return null;
}

/** convert's TextModel.does_token_look_special. */
function looksSpecial(token: string): boolean {
  return (
    ['<pad>', '<mask>', '<2mass>', '[@BOS@]'].includes(token) ||
    (token.startsWith('<|') && token.endsWith('|>')) ||
    (token.startsWith('<｜') && token.endsWith('｜>')) ||
    (token.startsWith('<unused') && token.endsWith('>'))
  );
}

interface AddedToken {
  id: number;
  content: string;
  special: boolean;
}

function addedTokensOf(doc: Json): AddedToken[] {
  const list = Array.isArray(doc.added_tokens) ? doc.added_tokens : [];
  return list.filter(isObject).filter((t) => Number.isInteger(t.id) && typeof t.content === 'string').map((t) => ({ id: t.id as number, content: t.content as string, special: t.special === true }));
}

function vocabOf(doc: Json, file: string): Map<number, string> {
  const model = isObject(doc.model) ? doc.model : null;
  if (!model || !isObject(model.vocab)) throw badInput(`${file}: model.vocab is missing; GGUF export reads BPE tokenizers.`);
  const byId = new Map<number, string>();
  for (const [token, id] of Object.entries(model.vocab)) if (Number.isInteger(id)) byId.set(id as number, token);
  return byId;
}

function mergesOf(doc: Json): [string, string][] {
  const model = doc.model as Json;
  const merges = Array.isArray(model.merges) ? model.merges : [];
  return merges.flatMap((m): [string, string][] => {
    if (Array.isArray(m) && m.length === 2) return [[String(m[0]), String(m[1])]];
    if (typeof m === 'string') {
      const space = m.indexOf(' ', 1);
      return space > 0 ? [[m.slice(0, space), m.slice(space + 1)]] : [];
    }
    return [];
  });
}

/** Whether a SentencePiece-style tokenizer.json puts ▁ before the text (Prepend normalizer, or Metaspace's prefix). */
function spacePrefixOf(doc: Json): boolean {
  const norm = isObject(doc.normalizer) ? doc.normalizer : null;
  const norms = norm?.type === 'Sequence' && Array.isArray(norm.normalizers) ? norm.normalizers.filter(isObject) : norm ? [norm] : [];
  if (norms.some((n) => n.type === 'Prepend' && n.prepend === '\u2581')) return true;
  const meta = preTokenizerSteps(doc.pre_tokenizer).find((s) => s.type === 'Metaspace');
  if (meta) return meta.prepend_scheme !== undefined ? meta.prepend_scheme !== 'never' : meta.add_prefix_space !== false;
  return false;
}

const pad = (i: number) => `[PAD${i}]`;

function specialKeys(keys: Map<string, GgufValue>, s: Specials, size: number): void {
  const id = (key: string, v: number | null) => {
    if (v !== null && v >= 0 && v < size) keys.set(`tokenizer.ggml.${key}`, u32(v));
  };
  id('bos_token_id', s.bosId);
  id('eos_token_id', s.eosIds[0] ?? null);
  id('unknown_token_id', s.unkId);
  id('padding_token_id', s.padId);
  keys.set('tokenizer.ggml.add_bos_token', bool(s.addBos));
  keys.set('tokenizer.ggml.add_eos_token', bool(s.addEos));
  if (s.addSpacePrefix !== undefined) keys.set('tokenizer.ggml.add_space_prefix', bool(s.addSpacePrefix));
  if (s.chatTemplate) keys.set('tokenizer.chat_template', str(s.chatTemplate));
}

/** A SentencePiece model's pieces (convert's _create_vocab_sentencepiece), padded or cut to `rows`. */
export function sentencePieceVocab(pieces: SentencePiece[], rows: number, s: Specials, added: AddedToken[] = []): GgufVocab {
  const warnings: string[] = [];
  if (pieces.length > rows) warnings.push(`The tokenizer has ${pieces.length} pieces but the model only ${rows} embedding rows; the GGUF vocabulary keeps the first ${rows}.`);
  const tokens: string[] = [];
  const scores = new Float32Array(rows);
  const types = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const p = pieces[i];
    tokens.push(p ? p.piece : pad(i));
    scores[i] = p ? p.score : -1000;
    types[i] = p ? p.type : TOKEN_TYPE.UNUSED;
  }
  // added_tokens.json, then tokenizer_config.json's added_tokens_decoder, override their ids (score -1000)
  for (const a of added) {
    if (a.id < 0 || a.id >= rows) continue;
    const control = a.special || looksSpecial(a.content);
    tokens[a.id] = control ? a.content : a.content.replaceAll('\u2581', ' ');
    types[a.id] = control ? TOKEN_TYPE.CONTROL : TOKEN_TYPE.USER_DEFINED;
    scores[a.id] = -1000;
  }
  return finish('llama', 'default', tokens, { scores, types }, s, warnings);
}

function finish(model: string, pre: string, tokens: string[], rest: { scores?: Float32Array; types: Int32Array; merges?: string[] }, s: Specials, warnings: string[]): GgufVocab {
  const keys = new Map<string, GgufValue>();
  keys.set('tokenizer.ggml.model', str(model));
  keys.set('tokenizer.ggml.pre', str(pre));
  keys.set('tokenizer.ggml.tokens', { type: 'string[]', value: tokens });
  if (rest.scores) keys.set('tokenizer.ggml.scores', { type: 'f32[]', value: rest.scores });
  keys.set('tokenizer.ggml.token_type', { type: 'i32[]', value: rest.types });
  if (rest.merges) keys.set('tokenizer.ggml.merges', { type: 'string[]', value: rest.merges });
  specialKeys(keys, s, tokens.length);
  const eosTexts = s.eosIds.filter((id) => id >= 0 && id < tokens.length).map((id) => tokens[id]);
  return { keys, size: tokens.length, tokens, eosTexts, chatTemplate: s.chatTemplate, warnings };
}

/** A byte-level BPE tokenizer.json (convert's _set_vocab_gpt2). */
function byteLevelVocab(doc: Json, file: string, rows: number, s: Specials): GgufVocab {
  const warnings: string[] = [];
  let pre = bpePreName(doc);
  if (pre === null) {
    warnings.push(`${file}: the pre-tokenizer is not one llama.cpp names (GPT-2's, SmolLM's, Llama 3's or Qwen2's); the GGUF says gpt-2, so llama.cpp may split some text differently.`);
    pre = 'gpt-2';
  }
  const byId = vocabOf(doc, file);
  const added = new Map(addedTokensOf(doc).map((t) => [t.id, t]));
  for (const t of added.values()) byId.set(t.id, t.content);
  const size = Math.max(rows, 0);
  const beyond = [...byId.keys()].filter((id) => id >= size);
  if (beyond.length > 0) throw badInput(`${file} has token ids up to ${Math.max(...beyond)}, beyond the model's ${size} embedding rows.`);
  const tokens: string[] = [];
  const types = new Int32Array(size);
  for (let i = 0; i < size; i++) {
    const token = byId.get(i);
    if (token === undefined) {
      tokens.push(pad(i));
      types[i] = TOKEN_TYPE.UNUSED;
      continue;
    }
    const a = added.get(i);
    if (a) {
      if (a.special || looksSpecial(a.content)) {
        tokens.push(a.content);
        types[i] = TOKEN_TYPE.CONTROL;
      } else {
        tokens.push(a.content.replaceAll('\u2581', ' ')); // convert pre-normalises user-defined spaces
        types[i] = TOKEN_TYPE.USER_DEFINED;
      }
    } else {
      tokens.push(token);
      types[i] = TOKEN_TYPE.NORMAL;
    }
  }
  const merges = mergesOf(doc).map(([a, b]) => `${a.replaceAll(' ', '\u0120')} ${b.replaceAll(' ', '\u0120')}`);
  if (merges.length === 0) warnings.push(`${file} has no merges; llama.cpp's BPE will only find single bytes.`);
  return finish('gpt2', pre, tokens, { types, merges }, s, warnings);
}

/** A SentencePiece-style BPE tokenizer.json (byte_fallback): "llama" pieces with merge-order scores. */
function sentencePieceStyleVocab(doc: Json, file: string, rows: number, s: Specials): GgufVocab {
  const byId = vocabOf(doc, file);
  const added = new Map(addedTokensOf(doc).map((t) => [t.id, t]));
  for (const t of added.values()) byId.set(t.id, t.content);
  const score = new Map<string, number>();
  mergesOf(doc).forEach(([a, b], rank) => {
    const piece = a + b;
    if (!score.has(piece)) score.set(piece, 0 - rank); // not -rank: merge 0 scores +0
  });
  const floor = -score.size - 1;
  const size = rows;
  const tokens: string[] = [];
  const scores = new Float32Array(size);
  const types = new Int32Array(size);
  const warnings: string[] = [];
  const beyond = [...byId.keys()].filter((id) => id >= size);
  if (beyond.length > 0) throw badInput(`${file} has token ids up to ${Math.max(...beyond)}, beyond the model's ${size} embedding rows.`);
  for (let i = 0; i < size; i++) {
    const token = byId.get(i);
    if (token === undefined) {
      tokens.push(pad(i));
      scores[i] = -1000;
      types[i] = TOKEN_TYPE.UNUSED;
      continue;
    }
    const a = added.get(i);
    if (a && !(a.special || looksSpecial(a.content) || i === s.unkId)) {
      tokens.push(a.content.replaceAll('\u2581', ' '));
      scores[i] = -1000;
      types[i] = TOKEN_TYPE.USER_DEFINED;
      continue;
    }
    tokens.push(token);
    if (i === s.unkId) types[i] = TOKEN_TYPE.UNKNOWN;
    else if (a) types[i] = TOKEN_TYPE.CONTROL;
    else if (/^<0x[0-9A-Fa-f]{2}>$/.test(token)) types[i] = TOKEN_TYPE.BYTE;
    else types[i] = TOKEN_TYPE.NORMAL;
    scores[i] = types[i] === TOKEN_TYPE.NORMAL ? (score.get(token) ?? (token.length > 1 ? floor - i : 0)) : 0;
  }
  return finish('llama', 'default', tokens, { scores, types }, { ...s, addSpacePrefix: s.addSpacePrefix ?? spacePrefixOf(doc) }, warnings);
}

/**
 * The vocabulary of a Hugging Face base folder for a model with `rows` embedding rows. `family` decides what convert
 * would: Gemma 3 never adds a space prefix. `config` is the base's config.json (bos/eos/pad ids where the tokenizer
 * files name none).
 */
export function folderVocab(folder: string, rows: number, family: string, config: Record<string, unknown>): GgufVocab {
  const tok = loadFolderTokenizer(folder);
  const fromConfig = (key: string) => (Number.isInteger(config[key]) ? (config[key] as number) : null);
  const configEos = Array.isArray(config.eos_token_id) ? (config.eos_token_id as number[]) : fromConfig('eos_token_id') === null ? [] : [fromConfig('eos_token_id')!];
  const specials: Specials = {
    bosId: tok.bosId ?? fromConfig('bos_token_id'),
    eosIds: tok.eosIds.length > 0 ? tok.eosIds : configEos,
    unkId: tok.unkId,
    padId: tok.padId ?? fromConfig('pad_token_id'),
    addBos: tok.addBos,
    addEos: tok.addEos,
    chatTemplate: tok.chatTemplate,
    addSpacePrefix: family === 'gemma3' ? false : undefined,
  };
  const model = join(folder, 'tokenizer.model');
  if (existsSync(model)) {
    const pieces = readSentencePieces(model);
    const config = readTokenizerConfig(folder);
    const addPrefix = typeof config.add_prefix_space === 'boolean' ? config.add_prefix_space : undefined;
    return sentencePieceVocab(pieces, rows, { ...specials, addSpacePrefix: specials.addSpacePrefix ?? addPrefix }, [...addedTokensJson(folder), ...addedTokensDecoder(config)]);
  }
  const file = join(folder, 'tokenizer.json');
  const doc = JSON.parse(readFileSync(file, 'utf8')) as Json;
  const m = isObject(doc.model) ? doc.model : {};
  if (m.type !== 'BPE') throw badInput(`${file}: a ${String(m.type)} tokenizer has no GGUF form llama.cpp reads for this family (it reads SentencePiece and BPE).`);
  if (m.byte_fallback === true) {
    const real = vocabOf(doc, file).size + addedTokensOf(doc).filter((t) => !vocabOf(doc, file).has(t.id)).length;
    return sentencePieceStyleVocab(doc, file, family === 'gemma3' ? Math.min(rows, real) : rows, specials);
  }
  return byteLevelVocab(doc, file, rows, specials);
}

function readJsonObject(file: string): Json {
  if (!existsSync(file)) return {};
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return isObject(v) ? v : {};
  } catch {
    return {};
  }
}

/** tokenizer_config.json (read leniently: loadFolderTokenizer has already refused a broken one). */
const readTokenizerConfig = (folder: string): Json => readJsonObject(join(folder, 'tokenizer_config.json'));

/** added_tokens.json: {content: id}, user-defined unless they look special. */
function addedTokensJson(folder: string): AddedToken[] {
  return Object.entries(readJsonObject(join(folder, 'added_tokens.json')))
    .filter(([, id]) => Number.isInteger(id))
    .map(([content, id]) => ({ id: id as number, content, special: false }));
}

/** tokenizer_config.json's added_tokens_decoder: {"id": {content, special}}. */
function addedTokensDecoder(config: Json): AddedToken[] {
  const decoder = isObject(config.added_tokens_decoder) ? config.added_tokens_decoder : {};
  return Object.entries(decoder)
    .filter(([id, t]) => /^\d+$/.test(id) && isObject(t) && typeof t.content === 'string')
    .map(([id, t]) => ({ id: Number(id), content: (t as Json).content as string, special: (t as Json).special === true }));
}

/** A byte-level BPE tokenizer.json document already in memory (a model trained from scratch with tokenizer=bpe). */
export function byteLevelVocabOf(doc: Record<string, unknown>, file: string, rows: number, s: Specials): GgufVocab {
  const m = isObject(doc.model) ? doc.model : {};
  if (m.type !== 'BPE' || m.byte_fallback === true) throw badInput(`${file} is not a byte-level BPE tokenizer, which is what GGUF's gpt2 tokenizer reads.`);
  return byteLevelVocab(doc, file, rows, s);
}
