// Entry points for text tokenizers: load one from files, train a byte-level BPE, or rebuild one from its toJson().
import type { CharTokenizerJson } from '../tokenizer';
import { badInput } from '../../../common/result';
import { CharTextTokenizer } from './charAdapter';
import { loadGpt2Bpe } from './gpt2Bpe';
import { loadHfTokenizer, tokenizerFromHfDocument } from './hfTokenizerJson';
import { SentencePieceTextTokenizer } from './sentencePieceAdapter';
import { trainBpe as trainByteLevelBpe, type TrainBpeOptions } from './trainBpe';
import type { TextTokenizer } from './types';

export type { TextTokenizer, TokenizerKind, TokenizerSpecials } from './types';
export type { TrainBpeOptions } from './trainBpe';
export type { HfTokenizerDocument, PipelineTokenizer } from './pipelineTokenizer';
export { folderTokenizerFromFiles, loadFolderTokenizer, type FolderTokenizer, type TokenizerFiles } from './modelTokenizerFiles';

export type TokenizerSpec =
  | { kind: 'gpt2-bpe'; dir: string }
  | { kind: 'hf'; file: string }
  | { kind: 'sentencepiece'; file: string; vocabSize: number }
  | { kind: 'char'; json: CharTokenizerJson };

/** gpt2-bpe: `dir` holds encoder.json + vocab.bpe; hf: a tokenizer.json; sentencepiece: a llama2.c tokenizer.bin. */
export function loadTokenizer(spec: TokenizerSpec): TextTokenizer {
  switch (spec.kind) {
    case 'gpt2-bpe':
      return loadGpt2Bpe(spec.dir);
    case 'hf':
      return loadHfTokenizer(spec.file);
    case 'sentencepiece':
      return SentencePieceTextTokenizer.load(spec.file, spec.vocabSize);
    case 'char':
      return CharTextTokenizer.fromJson(spec.json);
  }
}

/** A byte-level BPE trained on `texts`; see trainBpe.ts. Reading a few MB takes seconds. */
export function trainBpe(texts: Iterable<string>, opts: TrainBpeOptions): TextTokenizer {
  return trainByteLevelBpe(texts, opts);
}

/**
 * Rebuilds a tokenizer from what its toJson() returned: a tokenizer.json document (GPT-2, trained BPE, SentencePiece,
 * WordPiece — GPT-2's comes back with kind 'bpe', the format having no field for it) or a character tokenizer's JSON.
 */
export function tokenizerFromJson(json: unknown): TextTokenizer {
  if (typeof json === 'object' && json !== null && (json as { type?: unknown }).type === 'char') {
    return CharTextTokenizer.fromJson(json as CharTokenizerJson);
  }
  if (typeof json === 'object' && json !== null && 'model' in json) return tokenizerFromHfDocument(json);
  throw badInput('Not a tokenizer document: expected a Hugging Face tokenizer.json (with "model") or a { type: "char" } tokenizer.');
}
