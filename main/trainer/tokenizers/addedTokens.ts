// Added tokens (tokenizer.json `added_tokens`): strings such as '<|endoftext|>' or '[CLS]' matched literally in the
// raw text before normalisation, each becoming its one id; the text between them goes through the pipeline.
import { escapeRegExp } from './hfJson';

export interface AddedToken {
  id: number;
  content: string;
  single_word: boolean;
  lstrip: boolean;
  rstrip: boolean;
  normalized: boolean;
  special: boolean;
}

export type Segment = { text: string; offset: number } | { id: number };

export const addedToken = (id: number, content: string, special = true): AddedToken => ({
  id,
  content,
  single_word: false,
  lstrip: false,
  rstrip: false,
  normalized: false,
  special,
});

/** Finds added tokens, longest first; lstrip/rstrip swallow the whitespace beside them, single_word needs word edges. */
export class AddedTokenSplitter {
  private readonly pattern: RegExp | undefined;
  private readonly ordered: AddedToken[];

  constructor(tokens: readonly AddedToken[]) {
    this.ordered = [...tokens].filter((t) => t.content.length > 0).sort((a, b) => b.content.length - a.content.length);
    if (this.ordered.length === 0) return;
    const alternatives = this.ordered.map((t) => {
      let p = `(${escapeRegExp(t.content)})`;
      if (t.single_word) p = `(?<![\\p{L}\\p{N}_])${p}(?![\\p{L}\\p{N}_])`;
      return `${t.lstrip ? '\\s*' : ''}${p}${t.rstrip ? '\\s*' : ''}`;
    });
    this.pattern = new RegExp(alternatives.join('|'), 'gu');
  }

  split(text: string): Segment[] {
    if (!this.pattern) return [{ text, offset: 0 }];
    const segments: Segment[] = [];
    let last = 0;
    for (const m of text.matchAll(this.pattern)) {
      if (m.index > last) segments.push({ text: text.slice(last, m.index), offset: last });
      const which = m.findIndex((group, i) => i > 0 && group !== undefined) - 1;
      segments.push({ id: this.ordered[which].id });
      last = m.index + m[0].length;
    }
    if (last < text.length) segments.push({ text: text.slice(last), offset: last });
    return segments;
  }
}
