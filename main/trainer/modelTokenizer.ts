// The tokenizer a model trained from scratch uses: characters (CharTokenizer), or a byte-level BPE trained on the
// run's own training texts (tokenizers/trainBpe.ts) with <pad> and <unk> as ids 0 and 1 like the character one. Both
// are saved in the checkpoint as JSON and come back through modelTokenizerFromJson.
import type { TrainConfig } from '../../common/config';
import { badInput } from '../../common/result';
import { CharTokenizer, PAD, UNK, type CharTokenizerJson } from './tokenizer';
import { tokenizerFromJson, trainBpe, type TextTokenizer } from './tokenizers';

export interface ModelTokenizer {
  readonly size: number;
  readonly padId: number;
  readonly unkId: number;
  encode(text: string): Int32Array;
  decode(ids: ArrayLike<number>): string;
  toJson(): ModelTokenizerJson;
}

export type ModelTokenizerJson = CharTokenizerJson | { type: 'bpe'; tokenizer: unknown };

class BpeTokenizer implements ModelTokenizer {
  readonly padId = 0;
  readonly unkId = 1;
  constructor(private readonly inner: TextTokenizer) {}

  get size(): number {
    return this.inner.vocabSize;
  }

  encode(text: string): Int32Array {
    return Int32Array.from(this.inner.encode(text));
  }

  decode(ids: ArrayLike<number>): string {
    return this.inner.decode(Array.from(ids));
  }

  toJson(): ModelTokenizerJson {
    return { type: 'bpe', tokenizer: this.inner.toJson() };
  }

  /** The Hugging Face tokenizer.json document, for exports. */
  hfJson(): unknown {
    return this.inner.toJson();
  }
}

/** A tokenizer fitted to the training texts as config.tokenizer asks. */
export function fitTokenizer(texts: readonly string[], config: Pick<TrainConfig, 'tokenizer' | 'vocabSize'>): ModelTokenizer {
  if (config.tokenizer === 'char') return CharTokenizer.fromTexts(texts);
  return new BpeTokenizer(trainBpe(texts, { vocabSize: config.vocabSize, specials: [PAD, UNK] }));
}

export function modelTokenizerFromJson(json: ModelTokenizerJson): ModelTokenizer {
  if (json.type === 'char') return CharTokenizer.fromJson(json);
  if (json.type === 'bpe') return new BpeTokenizer(tokenizerFromJson(json.tokenizer));
  throw badInput(`Unknown tokenizer type '${String((json as { type?: unknown }).type)}' in the checkpoint.`);
}

/** A Hugging Face tokenizer.json for an export (a character vocabulary as a WordLevel model). */
export function hfTokenizerJson(tokenizer: ModelTokenizer): unknown {
  if (tokenizer instanceof BpeTokenizer) return tokenizer.hfJson();
  return charTokenizerJson((tokenizer as CharTokenizer).vocab as string[]);
}

/** Every character its own token, <unk> for the rest. */
function charTokenizerJson(vocab: string[]) {
  return {
    version: '1.0',
    added_tokens: [0, 1].map((id) => ({ id, content: vocab[id], single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
    normalizer: null,
    pre_tokenizer: { type: 'Split', pattern: { Regex: '.' }, behavior: 'Isolated', invert: false },
    post_processor: null,
    decoder: { type: 'Fuse' },
    model: { type: 'WordLevel', vocab: Object.fromEntries(vocab.map((t, i) => [t, i])), unk_token: vocab[1] },
  };
}
