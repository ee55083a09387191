// A JSON array of objects (`[{…}, {…}]`), streamed: the text of one element at a time is cut out by tracking strings,
// escapes and bracket depth, then parsed on its own, so a file of any size never has to fit in memory at once.
// Each record's position is the line its element starts on.
import { badInput } from '../../common/result';
import { parseJsonObject } from './jsonlParser';
import { MAX_RECORD_CHARS, type RecordSink, type TextSink } from './records';

const enum At {
  Start, // before the opening [
  Between, // inside the array, between elements
  Element, // inside an element
  Done, // after the closing ]
}

const isSpace = (c: number) => c === 32 || c === 10 || c === 13 || c === 9;

export class JsonArrayParser implements TextSink {
  private at = At.Start;
  private line = 1;
  private depth = 0; // of brackets inside the current element
  private inString = false;
  private escaped = false;
  private needComma = false; // an element just ended: a comma or ] must come next
  private pending = ''; // the current element's text from earlier chunks
  private elementLine = 0;

  constructor(
    private readonly fileName: string,
    private readonly onRecord: RecordSink,
  ) {}

  feed(text: string): void {
    let elementStart = this.at === At.Element ? 0 : -1;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (this.at === At.Element) {
        if (this.inString) {
          if (this.escaped) this.escaped = false;
          else if (c === 92 /* \ */) this.escaped = true;
          else if (c === 34 /* " */) this.inString = false;
        } else if (c === 34) this.inString = true;
        else if (c === 123 || c === 91 /* { [ */) this.depth++;
        else if (c === 125 || c === 93 /* } ] */) {
          if (this.depth === 0) {
            // a scalar element closed by the array's ]: end it, then let Between see the ]
            this.endElement(text.slice(elementStart, i));
            i--;
            continue;
          }
          if (--this.depth === 0) {
            this.endElement(text.slice(elementStart, i + 1));
            this.needComma = true;
          }
        } else if (c === 44 /* , */ && this.depth === 0) {
          this.endElement(text.slice(elementStart, i));
        }
      } else if (c === 10) this.line++;
      else if (isSpace(c)) continue;
      else if (this.at === At.Start) {
        if (c !== 91) throw this.notAnArray(c);
        this.at = At.Between;
      } else if (this.at === At.Between) {
        if (c === 93) this.at = At.Done;
        else if (c === 44 && this.needComma) this.needComma = false;
        else if (this.needComma || c === 44) throw badInput(`${this.fileName} line ${this.line}: expected , or ] between the array's records.`);
        else {
          this.at = At.Element;
          this.elementLine = this.line;
          elementStart = i;
          i--; // read this character again as part of the element
        }
      } else throw badInput(`${this.fileName} line ${this.line}: unexpected text after the end of the JSON array.`);
      if (this.at === At.Element && c === 10) this.line++;
    }
    if (this.at === At.Element) {
      this.pending += text.slice(elementStart);
      if (this.pending.length > MAX_RECORD_CHARS) {
        throw badInput(`${this.fileName} line ${this.elementLine}: a record runs past ${MAX_RECORD_CHARS / 1024 / 1024} M characters.`);
      }
    }
  }

  end(): void {
    if (this.at === At.Start) throw badInput(`${this.fileName} holds no JSON.`);
    if (this.at !== At.Done) throw badInput(`${this.fileName} line ${this.line}: the JSON array is never closed with ].`);
  }

  private endElement(tail: string): void {
    const text = this.pending + tail;
    this.pending = '';
    this.at = At.Between;
    this.depth = 0;
    this.onRecord({ position: this.elementLine, fields: parseJsonObject(text, `${this.fileName} line ${this.elementLine}`) });
  }

  private notAnArray(c: number): Error {
    const found = c === 123 ? 'a single object' : `'${String.fromCharCode(c)}'`;
    return badInput(`${this.fileName} line ${this.line}: expected a JSON array of records (or JSON Lines, one object per line), found ${found}.`);
  }
}
