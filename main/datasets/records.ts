// What every reader produces: source records, each a plain object of fields with the place it came from.
// CSV/TSV fields are strings; JSON, JSONL and Parquet fields are whatever the file held.

export interface SourceRecord {
  position: number; // 1-based: the line the record starts on, a Parquet row, or a folder's file number
  fields: Record<string, unknown>;
}

/** What `position` counts, for error messages and previews. */
export type PositionUnit = 'line' | 'row' | 'file';

export type RecordSink = (record: SourceRecord) => void;

/** The text parsers the reader drives: text in, then end() once. */
export interface TextSink {
  feed(text: string): void;
  end(): void;
}

/** Longest line, field or JSON record a parser holds; past it the file is refused rather than exhausting memory. */
export const MAX_RECORD_CHARS = 32 * 1024 * 1024;

/** "reviews.csv line 12", "data.parquet row 3", "reviews/pos/a.txt". */
export function describeRecord(fileName: string, unit: PositionUnit, record: SourceRecord): string {
  if (unit === 'file') return `${fileName}/${String(record.fields.file)}`;
  return `${fileName} ${unit} ${record.position}`;
}

export function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}
