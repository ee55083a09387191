// Tab-separated records, one per line (IANA text/tab-separated-values has no quoting, so a record never spans lines).
// A quote is literal, except that a field quoted from its first to its last character, with any inner quotes doubled,
// is unquoted the way CSV writers produce it: `"say ""hi"""` → `say "hi"`. A stray quote (as in the SMS Spam
// Collection) therefore never swallows the lines after it. Blank lines are skipped.
import type { DelimitedRecord } from './delimitedParser';
import { LineSplitter } from './lineSplitter';
import type { TextSink } from './records';

export class TsvLineParser implements TextSink {
  private readonly lines: LineSplitter;

  constructor(
    fileName: string,
    private readonly onRecord: (record: DelimitedRecord) => void,
    private readonly delimiter = '\t',
  ) {
    this.lines = new LineSplitter((text, line) => {
      if (text.trim() !== '') this.onRecord({ line, fields: splitTsvLine(text, this.delimiter) });
    }, fileName);
  }

  feed(text: string): void {
    this.lines.feed(text);
  }

  end(): void {
    this.lines.end();
  }
}

export function splitTsvLine(line: string, delimiter = '\t'): string[] {
  const fields: string[] = [];
  let start = 0;
  while (true) {
    if (line.charCodeAt(start) === 34 /* " */) {
      const quoted = fullyQuotedField(line, start, delimiter);
      if (quoted) {
        fields.push(quoted.value);
        if (quoted.end >= line.length) return fields;
        start = quoted.end + 1;
        continue;
      }
    }
    const tab = line.indexOf(delimiter, start);
    if (tab < 0) {
      fields.push(line.slice(start));
      return fields;
    }
    fields.push(line.slice(start, tab));
    start = tab + 1;
  }
}

/** `"…"` from `start` ending at a delimiter or the line's end, inner quotes doubled; null if the field is not that. */
function fullyQuotedField(line: string, start: number, delimiter: string): { value: string; end: number } | null {
  let i = start + 1;
  let value = '';
  while (i < line.length) {
    const q = line.indexOf('"', i);
    if (q < 0) return null;
    value += line.slice(i, q);
    if (line[q + 1] === '"') {
      value += '"';
      i = q + 2;
      continue;
    }
    const after = q + 1;
    return after === line.length || line[after] === delimiter ? { value, end: after } : null;
  }
  return null;
}
