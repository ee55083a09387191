// A delimited file as a Table: the first record must be a header (short, distinct, non-numeric names), and
// every later record must have as many fields as the header.
import { badInput } from '../../common/result';
import { DelimitedParser, type DelimitedRecord } from './delimitedParser';
import type { Table, TextSink } from './table';

const MAX_HEADER_NAME = 64; // characters

export class CsvTableParser implements TextSink {
  readonly table: Table = { columns: [], rows: [] };
  private readonly parser: DelimitedParser;
  private sawHeader = false;

  constructor(
    delimiter: string,
    private readonly fileName: string,
  ) {
    this.parser = new DelimitedParser(delimiter, fileName, (r) => this.onRecord(r));
  }

  feed(text: string): void {
    this.parser.feed(text);
  }

  end(): void {
    this.parser.end();
  }

  private onRecord({ line, fields }: DelimitedRecord): void {
    if (!this.sawHeader) {
      this.sawHeader = true;
      this.table.columns = this.readHeader(fields, line);
      return;
    }
    const expected = this.table.columns.length;
    if (fields.length !== expected) {
      throw badInput(
        `${this.fileName} line ${line}: expected ${expected} ${expected === 1 ? 'field' : 'fields'} as in the header, found ${fields.length}.`,
      );
    }
    this.table.rows.push({ line, cells: fields });
  }

  private readHeader(fields: string[], line: number): string[] {
    const names = fields.map((f) => f.trim());
    const lower = new Set(names.map((n) => n.toLowerCase()));
    // a long "name" is a data row (a headerless file), not a header
    if (names.some((n) => n === '' || n.length > MAX_HEADER_NAME || isNumeric(n)) || lower.size !== names.length) {
      throw badInput(
        `${this.fileName} line ${line}: the first row must be a header of short, distinct, non-numeric column names (for example text,label).`,
      );
    }
    return names;
  }
}

export function isNumeric(s: string): boolean {
  return /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(s);
}
