// The one interface every text tokenizer in Tunebench implements, whatever its file format or algorithm.

export type TokenizerKind = 'char' | 'sentencepiece' | 'gpt2-bpe' | 'bpe' | 'wordpiece';

/** Ids of the special tokens a vocabulary has; absent when it has none of that role. */
export interface TokenizerSpecials {
  bos?: number;
  eos?: number;
  pad?: number;
  unk?: number;
  cls?: number;
  sep?: number;
}

export interface TextTokenizer {
  readonly kind: TokenizerKind;
  readonly vocabSize: number;
  encode(text: string): number[];
  /** Special tokens (BOS, EOS, pad, …) decode to nothing. */
  decode(ids: readonly number[]): string;
  /** Special ids when the vocabulary has them. */
  readonly specials: TokenizerSpecials;
  /** A Hugging Face tokenizer.json document where the format can express the tokenizer; otherwise its own JSON. */
  toJson(): unknown;
}

/** Guesses special roles from conventional token names (GPT-2, Llama, BERT, RoBERTa, T5 spellings). */
export function specialsByName(idOf: (token: string) => number | undefined, unkToken?: string | null): TokenizerSpecials {
  const first = (...names: string[]) => {
    for (const name of names) {
      const id = idOf(name);
      if (id !== undefined) return id;
    }
    return undefined;
  };
  const specials: TokenizerSpecials = {
    bos: first('<s>', '<|begin_of_text|>', '<bos>', '<|startoftext|>', '<|endoftext|>'),
    eos: first('</s>', '<|end_of_text|>', '<eos>', '<|endoftext|>'),
    pad: first('[PAD]', '<pad>', '<|pad|>'),
    unk: unkToken ? idOf(unkToken) : first('[UNK]', '<unk>'),
    cls: first('[CLS]'),
    sep: first('[SEP]'),
  };
  for (const key of Object.keys(specials) as (keyof TokenizerSpecials)[]) if (specials[key] === undefined) delete specials[key];
  return specials;
}
