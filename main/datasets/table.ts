// What every tabular parser produces: named columns and rows of cells, each row with the line it came from.
// CSV cells are strings; JSONL cells are whatever JSON held (missing keys are undefined).
export interface TableRow {
  line: number;
  cells: unknown[]; // aligned with Table.columns; may be shorter (JSONL rows before a key first appeared)
}

export interface Table {
  columns: string[];
  rows: TableRow[];
}

/** The parsers the importer drives: text in, then end() once, then the result. */
export interface TextSink {
  feed(text: string): void;
  end(): void;
}
