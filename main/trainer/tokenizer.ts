// Character-level tokenizer: one id per Unicode code point seen in the training texts, plus <pad> (0) and <unk> (1).
// Small vocabularies (typically 60-200) keep the embedding and the tied LM head cheap on CPU backends.

export const PAD = '<pad>';
export const UNK = '<unk>';
const SPECIALS = [PAD, UNK] as const;

export interface CharTokenizerJson {
  type: 'char';
  /** id → token; ids 0 and 1 are <pad> and <unk>, the rest single code points in sorted order. */
  vocab: string[];
}

export class CharTokenizer {
  readonly padId = 0;
  readonly unkId = 1;
  private readonly ids: Map<string, number>;

  private constructor(readonly vocab: readonly string[]) {
    this.ids = new Map(vocab.map((token, id) => [token, id]));
  }

  /** The sorted distinct code points of `texts`, after the special tokens. */
  static fromTexts(texts: Iterable<string>): CharTokenizer {
    const chars = new Set<string>();
    for (const text of texts) for (const ch of text) chars.add(ch);
    const sorted = [...chars].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
    return new CharTokenizer([...SPECIALS, ...sorted]);
  }

  static fromJson(json: CharTokenizerJson): CharTokenizer {
    if (json.type !== 'char' || json.vocab[0] !== PAD || json.vocab[1] !== UNK) {
      throw new Error('Not a character tokenizer: expected type "char" with <pad> and <unk> as ids 0 and 1.');
    }
    return new CharTokenizer(json.vocab);
  }

  get size(): number {
    return this.vocab.length;
  }

  /** One id per code point; characters not seen in training become <unk>. */
  encode(text: string): Int32Array {
    const out = new Int32Array(text.length); // UTF-16 units ≥ code points
    let n = 0;
    for (const ch of text) out[n++] = this.ids.get(ch) ?? this.unkId;
    return n === text.length ? out : out.slice(0, n);
  }

  /** Drops <pad>; <unk> decodes to U+FFFD. */
  decode(ids: ArrayLike<number>): string {
    let text = '';
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (id === this.padId) continue;
      text += id === this.unkId ? '\uFFFD' : (this.vocab[id] ?? '\uFFFD');
    }
    return text;
  }

  toJson(): CharTokenizerJson {
    return { type: 'char', vocab: [...this.vocab] };
  }
}
