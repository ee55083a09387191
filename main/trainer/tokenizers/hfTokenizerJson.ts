// Reads a Hugging Face tokenizer.json document into a PipelineTokenizer. Models: BPE (byte-level like GPT-2, or
// SentencePiece-style with byte_fallback and ▁) and WordPiece; Unigram and WordLevel are refused by name, as is any
// normalizer / pre-tokenizer / decoder / post-processor outside the subset real files use (see the hf*.ts readers).
import { existsSync, readFileSync } from 'node:fs';
import { badInput, notFound } from '../../../common/result';
import type { AddedToken } from './addedTokens';
import { BpeModel } from './bpeModel';
import { asObject, at, componentType, readArray, readBool, readNumber, readString, unsupported, type JsonObject, type JsonPlace } from './hfJson';
import { PipelineTokenizer } from './pipelineTokenizer';
import type { TokenizerKind } from './types';
import { WordPieceModel } from './wordPieceModel';

function readVocab(model: JsonObject, place: JsonPlace): Map<string, number> {
  const vocab = asObject(model.vocab, at(place, 'vocab'));
  const map = new Map<string, number>();
  for (const [token, id] of Object.entries(vocab)) {
    if (!Number.isInteger(id) || (id as number) < 0) throw badInput(`${place.file}: ${place.path}.vocab["${token}"] should be a non-negative integer id.`);
    map.set(token, id as number);
  }
  return map;
}

/** Merges are "a b" strings (tokenizers < 0.20) or ["a", "b"] pairs (newer files). */
function readMerges(model: JsonObject, place: JsonPlace): [string, string][] {
  return readArray(model, 'merges', place).map((merge, i) => {
    if (Array.isArray(merge) && merge.length === 2 && merge.every((s) => typeof s === 'string')) return [merge[0], merge[1]];
    if (typeof merge === 'string') {
      const space = merge.indexOf(' ', 1);
      if (space > 0) return [merge.slice(0, space), merge.slice(space + 1)];
    }
    throw badInput(`${place.file}: ${place.path}.merges[${i}] should be "a b" or ["a", "b"].`);
  });
}

const optionalString = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : null);

function readModel(json: unknown, place: JsonPlace): BpeModel | WordPieceModel {
  const type = componentType(json, place);
  const model = asObject(json, place);
  if (type === 'BPE') {
    if (typeof model.dropout === 'number' && model.dropout > 0) throw unsupported(place, 'BPE option', `dropout ${model.dropout}`);
    return new BpeModel({
      vocab: readVocab(model, place),
      merges: readMerges(model, place),
      unkToken: optionalString(model.unk_token),
      byteFallback: readBool(model, 'byte_fallback', false),
      fuseUnk: readBool(model, 'fuse_unk', false),
      continuingSubwordPrefix: optionalString(model.continuing_subword_prefix),
      endOfWordSuffix: optionalString(model.end_of_word_suffix),
      ignoreMerges: readBool(model, 'ignore_merges', false),
    });
  }
  if (type === 'WordPiece') {
    return new WordPieceModel({
      vocab: readVocab(model, place),
      unkToken: readString(model, 'unk_token', place, '[UNK]'),
      continuingSubwordPrefix: readString(model, 'continuing_subword_prefix', place, '##'),
      maxInputCharsPerWord: readNumber(model, 'max_input_chars_per_word', place, 100),
    });
  }
  throw unsupported(place, 'model', type);
}

function readAddedTokens(doc: JsonObject, file: string): AddedToken[] {
  if (doc.added_tokens == null) return [];
  return readArray(doc, 'added_tokens', { file, path: '(document)' }).map((item, i) => {
    const here: JsonPlace = { file, path: `added_tokens[${i}]` };
    const t = asObject(item, here);
    return {
      id: readNumber(t, 'id', here),
      content: readString(t, 'content', here),
      single_word: readBool(t, 'single_word', false),
      lstrip: readBool(t, 'lstrip', false),
      rstrip: readBool(t, 'rstrip', false),
      normalized: readBool(t, 'normalized', false),
      special: readBool(t, 'special', false),
    };
  });
}

/** 'wordpiece' for WordPiece; 'sentencepiece' for BPE with byte fallback or ▁ for spaces (Llama, Mistral); else 'bpe'. */
function kindOf(doc: JsonObject, model: BpeModel | WordPieceModel): TokenizerKind {
  if (model instanceof WordPieceModel) return 'wordpiece';
  const front = JSON.stringify([doc.normalizer ?? null, doc.pre_tokenizer ?? null]);
  return model.options.byteFallback || front.includes('"Metaspace"') || front.includes('▁') ? 'sentencepiece' : 'bpe';
}

export function tokenizerFromHfDocument(json: unknown, file = 'tokenizer.json'): PipelineTokenizer {
  const root: JsonPlace = { file, path: '(document)' };
  const doc = asObject(json, root);
  const place = (path: string): JsonPlace => ({ file, path });
  if (doc.model === undefined) throw badInput(`${file}: not a Hugging Face tokenizer.json (no "model").`);
  const model = readModel(doc.model, place('model'));
  const parts = {
    added_tokens: readAddedTokens(doc, file),
    normalizer: doc.normalizer ?? null,
    pre_tokenizer: doc.pre_tokenizer ?? null,
    post_processor: doc.post_processor ?? null,
    decoder: doc.decoder ?? null,
  };
  return new PipelineTokenizer(kindOf(doc, model), model, parts, file);
}

export function loadHfTokenizer(file: string): PipelineTokenizer {
  if (!existsSync(file)) throw notFound(`${file}: no such tokenizer.json.`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw badInput(`${file}: cannot read a tokenizer.json (${(err as Error).message}).`);
  }
  return tokenizerFromHfDocument(json, file);
}
