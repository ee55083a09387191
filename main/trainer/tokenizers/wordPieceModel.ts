// WordPiece (BERT): each pre-tokenised word is split greedily into the longest vocabulary pieces from the left, pieces
// after the first spelled with the continuation prefix ('##'). A word with any unmatched remainder, or longer than
// max_input_chars_per_word characters, becomes the single unknown token. Cost O(n²) lookups per word of n characters.
import { badInput } from '../../../common/result';

export interface WordPieceOptions {
  vocab: ReadonlyMap<string, number>;
  unkToken: string;
  continuingSubwordPrefix: string;
  maxInputCharsPerWord: number;
}

export interface HfWordPieceModelJson {
  type: 'WordPiece';
  unk_token: string;
  continuing_subword_prefix: string;
  max_input_chars_per_word: number;
  vocab: Record<string, number>;
}

export class WordPieceModel {
  readonly tokens: string[] = [];
  private readonly unkId: number;

  constructor(readonly options: WordPieceOptions) {
    for (const [token, id] of options.vocab) this.tokens[id] = token;
    const unk = options.vocab.get(options.unkToken);
    if (unk === undefined) throw badInput(`The WordPiece unknown token "${options.unkToken}" is not in the vocabulary.`);
    this.unkId = unk;
  }

  get vocab(): ReadonlyMap<string, number> {
    return this.options.vocab;
  }

  get size(): number {
    return this.tokens.length;
  }

  tokenize(word: string): number[] {
    const { vocab, continuingSubwordPrefix: prefix, maxInputCharsPerWord } = this.options;
    const chars = Array.from(word);
    if (chars.length > maxInputCharsPerWord) return [this.unkId];
    const ids: number[] = [];
    for (let start = 0; start < chars.length; ) {
      let found: number | undefined;
      let end = chars.length;
      for (; end > start; end--) {
        const piece = (start > 0 ? prefix : '') + chars.slice(start, end).join('');
        found = vocab.get(piece);
        if (found !== undefined) break;
      }
      if (found === undefined) return [this.unkId];
      ids.push(found);
      start = end;
    }
    return ids;
  }

  toJson(): HfWordPieceModelJson {
    const o = this.options;
    return {
      type: 'WordPiece',
      unk_token: o.unkToken,
      continuing_subword_prefix: o.continuingSubwordPrefix,
      max_input_chars_per_word: o.maxInputCharsPerWord,
      vocab: Object.fromEntries(o.vocab),
    };
  }
}
