// Length measures for statistics and length filters. A tokenizer here only counts; a trained BPE tokenizer plugs in
// by adding an entry (and its name to TOKENIZER_NAMES in common/datasetTypes.ts).
import type { TokenizerName } from '../../common/datasetTypes';

export interface LengthTokenizer {
  readonly name: TokenizerName;
  /** Tokens in `text`; O(length). */
  count(text: string): number;
}

const HIGH_SURROGATE = /[\uD800-\uDBFF]/g;
const WORD = /\S+/g;

export const TOKENIZERS: Record<TokenizerName, LengthTokenizer> = {
  // characters as a character-level model sees them: code points (an emoji is one)
  char: { name: 'char', count: (text) => text.length - (/[\uD800-\uDBFF]/.test(text) ? (text.match(HIGH_SURROGATE)?.length ?? 0) : 0) },
  // runs of non-space characters
  word: { name: 'word', count: (text) => text.match(WORD)?.length ?? 0 },
};

export function getTokenizer(name: TokenizerName = 'char'): LengthTokenizer {
  return TOKENIZERS[name];
}
