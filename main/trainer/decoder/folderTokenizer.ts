// A model folder's tokenizer as the decoder uses it: tokenizer.json (with tokenizer_config.json and
// generation_config.json for BOS, EOS and whether BOS is added), a SentencePiece tokenizer.model (Llama 2 folders
// without tokenizer.json), or Tunebench's own character vocabulary (a WordLevel tokenizer.json its GPT-2 exports
// carry).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { badInput } from '../../../common/result';
import { modelTokenizerFromJson } from '../modelTokenizer';
import { CharTokenizer } from '../tokenizer';
import { loadFolderTokenizer } from '../tokenizers/modelTokenizerFiles';
import type { DecoderTokenizer } from './tokenizer';

export function decoderTokenizerFor(folder: string): DecoderTokenizer {
  const json = join(folder, 'tokenizer.json');
  if (existsSync(json)) {
    const doc = JSON.parse(readFileSync(json, 'utf8')) as { model?: { type?: string; vocab?: Record<string, number> } } | null;
    if (doc?.model?.type === 'WordLevel') return charTokenizer(doc, json);
  } else if (!existsSync(join(folder, 'tokenizer.model'))) {
    throw badInput(`${folder} has no tokenizer.json or tokenizer.model.`);
  }
  const t = loadFolderTokenizer(folder);
  return {
    vocabSize: t.vocabSize,
    bosId: t.bosId,
    addBos: t.addBos,
    stopIds: t.eosIds,
    documentEnd: t.eosIds[0] ?? null,
    encode: (text) => t.encode(text, { addSpecial: false }),
    decode: (ids) => t.decode(ids, { skipSpecial: true }),
  };
}

/** Tunebench's character vocabulary (<pad>, <unk>, then characters): no BOS, no end token. */
function charTokenizer(doc: { model?: { vocab?: Record<string, number> } }, file: string): DecoderTokenizer {
  const vocab: string[] = [];
  for (const [token, id] of Object.entries(doc.model?.vocab ?? {})) vocab[id] = token;
  let tokenizer: CharTokenizer;
  try {
    tokenizer = modelTokenizerFromJson({ type: 'char', vocab }) as CharTokenizer;
  } catch {
    throw badInput(`${file}: a character vocabulary must start with <pad> and <unk>.`);
  }
  if (!(tokenizer instanceof CharTokenizer)) throw badInput(`${file} is not a character vocabulary.`);
  return {
    vocabSize: tokenizer.size,
    bosId: null,
    addBos: false,
    stopIds: [],
    documentEnd: null,
    encode: (text) => Array.from(tokenizer.encode(text)),
    decode: (ids) => tokenizer.decode(ids),
  };
}
