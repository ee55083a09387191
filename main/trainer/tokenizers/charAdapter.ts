// The existing character tokenizer (../tokenizer.ts) seen through the TextTokenizer interface. toJson() stays its own
// { type: 'char', vocab } document (tokenizerFromJson recognises it); toHfJson() writes the equivalent tokenizer.json
// for exports: a BPE without merges over the same characters, with <unk> for the rest.
import { CharTokenizer, PAD, UNK, type CharTokenizerJson } from '../tokenizer';
import type { HfTokenizerDocument } from './pipelineTokenizer';
import type { TextTokenizer, TokenizerSpecials } from './types';

export class CharTextTokenizer implements TextTokenizer {
  readonly kind = 'char' as const;
  readonly specials: TokenizerSpecials;

  constructor(readonly inner: CharTokenizer) {
    this.specials = { pad: inner.padId, unk: inner.unkId };
  }

  static fromJson(json: CharTokenizerJson): CharTextTokenizer {
    return new CharTextTokenizer(CharTokenizer.fromJson(json));
  }

  get vocabSize(): number {
    return this.inner.size;
  }

  encode(text: string): number[] {
    return Array.from(this.inner.encode(text));
  }

  /** <pad> decodes to nothing, <unk> to U+FFFD. */
  decode(ids: readonly number[]): string {
    return this.inner.decode(ids);
  }

  toJson(): CharTokenizerJson {
    return this.inner.toJson();
  }

  /** Same ids and text as encode/decode: no pre-tokenizer, so every code point is looked up on its own. */
  toHfJson(): HfTokenizerDocument {
    const vocab: Record<string, number> = {};
    this.inner.vocab.forEach((token, id) => (vocab[token] = id));
    const replace = (from: string, to: string) => ({ type: 'Replace', pattern: { String: from }, content: to });
    return {
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: [],
      normalizer: null,
      pre_tokenizer: null,
      post_processor: null,
      decoder: { type: 'Sequence', decoders: [replace(PAD, ''), replace(UNK, '\uFFFD'), { type: 'Fuse' }] },
      model: {
        type: 'BPE',
        dropout: null,
        unk_token: UNK,
        continuing_subword_prefix: null,
        end_of_word_suffix: null,
        fuse_unk: false,
        byte_fallback: false,
        ignore_merges: false,
        vocab,
        merges: [],
      },
    };
  }
}
