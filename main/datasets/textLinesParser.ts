// Plain text, two ways. `lines`: one example per non-empty line, kept as written. `corpus`: running text, cut into
// paragraphs at blank lines (a paragraph's lines joined with \n), and a paragraph longer than CORPUS_PIECE_CHARS
// into pieces at line ends. `auto` looks at the first AUTO_SAMPLE_LINES lines: blank-line-separated blocks of two
// or more lines on average (wrapped prose, a play's speeches) make a corpus; anything else is one example per line.
import { LineSplitter } from './lineSplitter';
import type { RecordSink, TextSink } from './records';

export type TxtMode = 'lines' | 'corpus';
export const CORPUS_PIECE_CHARS = 2000;
const AUTO_SAMPLE_LINES = 400;

export class TextLinesParser implements TextSink {
  mode: TxtMode | null; // null until `auto` has decided
  private readonly splitter: LineSplitter;
  private sample: { text: string; line: number }[] = [];
  private paragraph: string[] = [];
  private paragraphChars = 0;
  private paragraphLine = 0;

  constructor(
    fileName: string,
    private readonly onRecord: RecordSink,
    mode: TxtMode | 'auto' = 'auto',
  ) {
    this.mode = mode === 'auto' ? null : mode;
    this.splitter = new LineSplitter((text, line) => this.onLine(text, line), fileName);
  }

  feed(text: string): void {
    this.splitter.feed(text);
  }

  end(): void {
    this.splitter.end();
    if (this.mode === null) this.decide();
    this.flushParagraph();
  }

  private onLine(text: string, line: number): void {
    if (this.mode === null) {
      this.sample.push({ text, line });
      if (this.sample.length >= AUTO_SAMPLE_LINES) this.decide();
    } else if (this.mode === 'lines') {
      if (text.trim() !== '') this.onRecord({ position: line, fields: { text } });
    } else this.addCorpusLine(text, line);
  }

  private decide(): void {
    this.mode = looksLikeCorpus(this.sample.map((s) => s.text)) ? 'corpus' : 'lines';
    const sample = this.sample;
    this.sample = [];
    for (const { text, line } of sample) this.onLine(text, line);
  }

  private addCorpusLine(text: string, line: number): void {
    if (text.trim() === '') return this.flushParagraph();
    if (this.paragraph.length && this.paragraphChars + text.length > CORPUS_PIECE_CHARS) this.flushParagraph();
    if (!this.paragraph.length) this.paragraphLine = line;
    this.paragraph.push(text);
    this.paragraphChars += text.length + 1;
  }

  private flushParagraph(): void {
    if (!this.paragraph.length) return;
    this.onRecord({ position: this.paragraphLine, fields: { text: this.paragraph.join('\n') } });
    this.paragraph = [];
    this.paragraphChars = 0;
  }
}

function looksLikeCorpus(lines: string[]): boolean {
  let blocks = 0;
  let blockLines = 0;
  let inBlock = false;
  for (const l of lines) {
    const blank = l.trim() === '';
    if (!blank) {
      blockLines++;
      if (!inBlock) blocks++;
    }
    inBlock = !blank;
  }
  return blocks >= 2 && blockLines / blocks >= 2;
}
