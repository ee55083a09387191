// What the decoder's data, generation and scoring need of a tokenizer, whichever files it came from (a folder's
// tokenizer.json / tokenizer.model with tokenizer_config.json and generation_config.json, or llama2.c's tok512.bin).
export interface DecoderTokenizer {
  readonly vocabSize: number;
  /** Put before every document and prompt when addBos (once: encode adds no specials). */
  readonly bosId: number | null;
  readonly addBos: boolean;
  /** Generation stops at any of these; the first one closes each training document (null: documents are not closed). */
  readonly stopIds: readonly number[];
  readonly documentEnd: number | null;
  /** Text → ids, no special tokens added (special-token text in it is matched whole). */
  encode(text: string): number[];
  /** Ids → text, special tokens left out. */
  decode(ids: readonly number[]): string;
}

/** A text's ids as the model reads it: BOS (when the tokenizer adds one) then the text's tokens. */
export function withBos(tokenizer: DecoderTokenizer, ids: number[]): number[] {
  return tokenizer.addBos && tokenizer.bosId !== null ? [tokenizer.bosId, ...ids] : ids;
}
