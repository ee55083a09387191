// OpenAI's GPT-2 byte-level BPE from its original files: encoder.json (token → id, 50,257 entries with
// '<|endoftext|>' = 50256) and vocab.bpe ('#version' header, then one "a b" merge rule per line in rank order).
// Built as the same pipeline Hugging Face's GPT-2 tokenizer.json describes, so toJson() writes that document.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { badInput, notFound } from '../../../common/result';
import { addedToken } from './addedTokens';
import { BpeModel } from './bpeModel';
import { PipelineTokenizer } from './pipelineTokenizer';

export const END_OF_TEXT = '<|endoftext|>';

/** Pre-tokenizer / decoder JSON of a byte-level BPE (GPT-2, trained BPE), as Hugging Face writes them. */
export const BYTE_LEVEL_PARTS = {
  normalizer: null,
  pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
  post_processor: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true },
  decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
};

export function parseMergesFile(text: string, file: string): [string, string][] {
  const merges: [string, string][] = [];
  text.split('\n').forEach((line, i) => {
    if (line.startsWith('#version') || line.trim() === '') return;
    const parts = line.split(' ');
    if (parts.length !== 2) throw badInput(`${file}:${i + 1}: a merge rule should be two tokens separated by one space.`);
    merges.push([parts[0], parts[1]]);
  });
  return merges;
}

export function gpt2BpeFromFiles(encoderJson: string, vocabBpe: string, files = { encoder: 'encoder.json', merges: 'vocab.bpe' }): PipelineTokenizer {
  let encoder: Record<string, number>;
  try {
    encoder = JSON.parse(encoderJson);
  } catch (err) {
    throw badInput(`${files.encoder}: not valid JSON (${(err as Error).message}).`);
  }
  const vocab = new Map(Object.entries(encoder));
  const model = new BpeModel({ vocab, merges: parseMergesFile(vocabBpe, files.merges) });
  const eot = vocab.get(END_OF_TEXT);
  const added = eot === undefined ? [] : [{ ...addedToken(eot, END_OF_TEXT), normalized: true }];
  return new PipelineTokenizer('gpt2-bpe', model, { added_tokens: added, ...BYTE_LEVEL_PARTS }, files.encoder);
}

/** Reads `dir`/encoder.json and `dir`/vocab.bpe. */
export function loadGpt2Bpe(dir: string): PipelineTokenizer {
  const files = { encoder: join(dir, 'encoder.json'), merges: join(dir, 'vocab.bpe') };
  for (const file of Object.values(files)) if (!existsSync(file)) throw notFound(`${file}: GPT-2 tokenizer file not found.`);
  return gpt2BpeFromFiles(readFileSync(files.encoder, 'utf8'), readFileSync(files.merges, 'utf8'), files);
}
