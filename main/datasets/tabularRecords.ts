// Delimited records (CSV, TSV) as named records. Whether the first row is a header is asked or decided from the first
// rows: a header is short, non-numeric names, none of which recurs as a value in its own column below (a
// label column repeats its values; a header name does not). Without a header the columns are column1, column2, …
// Every row must have as many fields as the first.
import { badInput } from '../../common/result';
import type { DelimitedRecord } from './delimitedParser';
import type { RecordSink } from './records';

const MAX_HEADER_NAME = 64; // characters
const SAMPLE_ROWS = 50; // rows looked at to decide on the header

export class TabularRecords {
  private sample: DelimitedRecord[] | null = [];
  private columns: string[] = [];
  private firstLine = 1;
  header: boolean | null = null; // known once decided

  constructor(
    private readonly fileName: string,
    private readonly onRecord: RecordSink,
    private readonly headerOption?: boolean,
  ) {}

  readonly add = (record: DelimitedRecord): void => {
    if (this.sample) {
      this.sample.push(record);
      if (this.sample.length >= SAMPLE_ROWS) this.decide();
      return;
    }
    this.emit(record);
  };

  /** Call once after the last record. */
  end(): void {
    if (this.sample) this.decide();
  }

  private decide(): void {
    const sample = this.sample ?? [];
    this.sample = null;
    if (sample.length === 0) return;
    const [first, ...rest] = sample;
    this.firstLine = first.line;
    this.header = this.headerOption ?? looksLikeHeader(first.fields, rest.map((r) => r.fields));
    if (this.header) {
      this.columns = this.checkHeader(first);
      rest.forEach((r) => this.emit(r));
    } else {
      this.columns = first.fields.map((_, i) => `column${i + 1}`);
      sample.forEach((r) => this.emit(r));
    }
  }

  private emit({ line, fields }: DelimitedRecord): void {
    const expected = this.columns.length;
    if (fields.length !== expected) {
      const where = this.header ? 'as in the header' : `as on line ${this.firstLine}`;
      throw badInput(`${this.fileName} line ${line}: expected ${expected} ${expected === 1 ? 'field' : 'fields'} ${where}, found ${fields.length}.`);
    }
    const record: Record<string, unknown> = {};
    for (let i = 0; i < expected; i++) record[this.columns[i]] = fields[i];
    this.onRecord({ position: line, fields: record });
  }

  private checkHeader({ line, fields }: DelimitedRecord): string[] {
    const names = fields.map((f) => f.trim());
    const blank = names.findIndex((n) => n === '');
    if (blank >= 0) throw badInput(`${this.fileName} line ${line}: header column ${blank + 1} has no name.`);
    const seen = new Set<string>();
    for (const n of names) {
      if (seen.has(n)) throw badInput(`${this.fileName} line ${line}: the header names the column '${n}' twice.`);
      seen.add(n);
    }
    return names;
  }
}

function looksLikeHeader(first: string[], rest: string[][]): boolean {
  const names = first.map((f) => f.trim());
  if (names.some((n) => n === '' || n.length > MAX_HEADER_NAME || isNumeric(n))) return false;
  return !names.some((name, c) => rest.some((row) => row[c]?.trim() === name));
}

export function isNumeric(s: string): boolean {
  return /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(s);
}
