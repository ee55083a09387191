// The llama2.c SentencePiece tokenizer (../llama/sentencePieceTokenizer.ts, e.g. tok512) seen through the
// TextTokenizer interface. toJson() writes the Hugging Face tokenizer.json that reproduces run.c's encoding: a BPE
// with byte_fallback whose merge rules are every split of each piece into two pieces, ranked by the piece's score
// (run.c merges the best-scoring adjacent pair), with the dummy-prefix space as a Prepend('▁') normalizer.
import { BOS_ID, EOS_ID, SentencePieceTokenizer, UNK_ID } from '../llama/sentencePieceTokenizer';
import { addedToken } from './addedTokens';
import type { HfTokenizerDocument } from './pipelineTokenizer';
import type { TextTokenizer, TokenizerSpecials } from './types';

const SPACE = '▁';
const FIRST_PIECE = 259; // after <unk>, <s>, </s> and the 256 byte fallbacks

export class SentencePieceTextTokenizer implements TextTokenizer {
  readonly kind = 'sentencepiece' as const;
  readonly specials: TokenizerSpecials = { unk: UNK_ID, bos: BOS_ID, eos: EOS_ID };

  constructor(readonly inner: SentencePieceTokenizer) {}

  static load(file: string, vocabSize: number): SentencePieceTextTokenizer {
    return new SentencePieceTextTokenizer(SentencePieceTokenizer.load(file, vocabSize));
  }

  get vocabSize(): number {
    return this.inner.vocabSize;
  }

  /** run.c's encoding without BOS/EOS (add them around the ids where a sequence starts or ends). */
  encode(text: string): number[] {
    return this.inner.encode(text);
  }

  /** BOS/EOS print nothing; the first token loses its dummy-prefix space. */
  decode(ids: readonly number[]): string {
    return this.inner.decode(ids);
  }

  toJson(): HfTokenizerDocument {
    const utf8 = new TextDecoder();
    const names = ['<unk>', '<s>', '</s>'];
    const tokens = this.inner.pieces.map((bytes, id) => names[id] ?? utf8.decode(bytes).replaceAll(' ', SPACE));
    const vocab: Record<string, number> = {};
    tokens.forEach((t, id) => {
      if (!(t in vocab)) vocab[t] = id;
    });
    const scores = this.inner.scores;
    const order = tokens.map((_, id) => id).filter((id) => id >= FIRST_PIECE && vocab[tokens[id]] === id);
    order.sort((a, b) => scores[b] - scores[a] || a - b);
    const merges: [string, string][] = [];
    for (const id of order) {
      const chars = Array.from(tokens[id]);
      for (let k = 1; k < chars.length; k++) {
        const left = chars.slice(0, k).join('');
        const right = chars.slice(k).join('');
        if (left in vocab && right in vocab) merges.push([left, right]);
      }
    }
    return {
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: names.map((name, id) => addedToken(id, name)),
      normalizer: {
        type: 'Sequence',
        normalizers: [
          { type: 'Prepend', prepend: SPACE },
          { type: 'Replace', pattern: { String: ' ' }, content: SPACE },
        ],
      },
      pre_tokenizer: null,
      post_processor: null,
      decoder: {
        type: 'Sequence',
        decoders: [
          { type: 'Replace', pattern: { String: SPACE }, content: ' ' },
          { type: 'ByteFallback' },
          { type: 'Fuse' },
          { type: 'Strip', content: ' ', start: 1, stop: 0 },
        ],
      },
      model: {
        type: 'BPE',
        dropout: null,
        unk_token: '<unk>',
        continuing_subword_prefix: null,
        end_of_word_suffix: null,
        fuse_unk: true,
        byte_fallback: true,
        ignore_merges: false,
        vocab,
        merges: merges.map(([a, b]) => `${a} ${b}`), // pieces spell spaces as ▁, so "a b" is unambiguous
      },
    };
  }
}
