// A plain-text generation corpus: one example per non-empty line, the line's text kept as written.
import { LineSplitter } from './lineSplitter';
import type { TextSink } from './table';

export class TextCorpusParser implements TextSink {
  readonly lines: { line: number; text: string }[] = [];
  private readonly splitter = new LineSplitter((text, line) => {
    if (text.trim() !== '') this.lines.push({ line, text });
  });

  feed(text: string): void {
    this.splitter.feed(text);
  }

  end(): void {
    this.splitter.end();
  }
}
