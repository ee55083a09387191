// RFC 4180 records from text fed in chunks: quoted fields, "" escapes, newlines inside quotes, LF or CRLF line ends.
// Lenient where Python's csv module is: a quote inside an unquoted field is literal, text after a closing quote is
// appended. Blank lines are skipped. Each record carries the 1-based line it starts on. Used for `,` `;` `|`;
// tab-separated text goes through TsvLineParser, where quotes are literal.
import { badInput } from '../../common/result';
import { MAX_RECORD_CHARS } from './records';

export interface DelimitedRecord {
  line: number;
  fields: string[];
}

const State = {
  FieldStart: 0,
  Unquoted: 1,
  Quoted: 2,
  QuoteInQuoted: 3, // saw `"` inside a quoted field: an escape (`""`) or the closing quote
} as const;
type State = (typeof State)[keyof typeof State];

export class DelimitedParser {
  private state: State = State.FieldStart;
  private field = '';
  private fields: string[] = [];
  private line = 1; // line of the next character
  private recordLine = 1;
  private quoteLine = 0; // line where the open quoted field began

  constructor(
    private readonly delimiter: string, // one character: ',' '\t' ';'
    private readonly fileName: string,
    private readonly onRecord: (record: DelimitedRecord) => void,
  ) {}

  feed(text: string): void {
    const d = this.delimiter;
    const n = text.length;
    let i = 0;
    while (i < n) {
      switch (this.state) {
        case State.FieldStart:
        case State.Unquoted: {
          if (this.state === State.FieldStart && text[i] === '"') {
            this.state = State.Quoted;
            this.quoteLine = this.line;
            i++;
            break;
          }
          let j = i;
          while (j < n && text[j] !== d && text[j] !== '\n') j++;
          this.field += text.slice(i, j);
          if (j === n) {
            if (this.field.length > MAX_RECORD_CHARS) throw badInput(`${this.fileName} line ${this.line}: a line runs past ${MAX_RECORD_CHARS / 1024 / 1024} M characters.`);
            this.state = State.Unquoted;
            i = n;
          } else {
            this.endField(text[j]);
            i = j + 1;
          }
          break;
        }
        case State.Quoted: {
          const q = text.indexOf('"', i);
          const end = q < 0 ? n : q;
          const piece = text.slice(i, end);
          this.field += piece;
          if (this.field.length > MAX_RECORD_CHARS) {
            throw badInput(`${this.fileName} line ${this.quoteLine}: a quoted field runs past ${MAX_RECORD_CHARS / 1024 / 1024} M characters; is a quote never closed?`);
          }
          this.line += countNewlines(piece);
          if (q < 0) i = n;
          else {
            this.state = State.QuoteInQuoted;
            i = q + 1;
          }
          break;
        }
        case State.QuoteInQuoted: {
          const c = text[i];
          if (c === '"') {
            this.field += '"';
            this.state = State.Quoted;
            i++;
          } else if (c === d || c === '\n') {
            this.endField(c);
            i++;
          } else if (c === '\r') {
            i++; // CR of a CRLF after the closing quote
          } else {
            this.state = State.Unquoted; // `"abc"def` reads as `abcdef`
          }
          break;
        }
      }
    }
  }

  /** Call once after the last chunk. */
  end(): void {
    if (this.state === State.Quoted) {
      throw badInput(`${this.fileName} line ${this.quoteLine}: a quoted field is never closed.`);
    }
    if (this.state !== State.FieldStart || this.fields.length > 0) this.endField('\n');
  }

  private endField(terminator: string): void {
    const wasQuoted = this.state === State.QuoteInQuoted;
    if (terminator === '\n' && !wasQuoted && this.field.endsWith('\r')) this.field = this.field.slice(0, -1);
    this.fields.push(this.field);
    this.field = '';
    this.state = State.FieldStart;
    if (terminator !== '\n') return;
    const fields = this.fields;
    this.fields = [];
    const blank = fields.length === 1 && fields[0] === '' && !wasQuoted;
    if (!blank) this.onRecord({ line: this.recordLine, fields });
    this.line++;
    this.recordLine = this.line;
  }
}

function countNewlines(s: string): number {
  let count = 0;
  for (let k = s.indexOf('\n'); k >= 0; k = s.indexOf('\n', k + 1)) count++;
  return count;
}
