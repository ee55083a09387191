// JSON Lines: one object per line, blank lines skipped. Columns are the keys in order of first appearance.
import { badInput } from '../../common/result';
import { LineSplitter } from './lineSplitter';
import type { Table, TextSink } from './table';

export class JsonlParser implements TextSink {
  readonly table: Table = { columns: [], rows: [] };
  private readonly columnIndex = new Map<string, number>();
  private readonly lines: LineSplitter;

  constructor(private readonly fileName: string) {
    this.lines = new LineSplitter((text, line) => this.parseLine(text, line));
  }

  feed(text: string): void {
    this.lines.feed(text);
  }

  end(): void {
    this.lines.end();
  }

  private parseLine(text: string, line: number): void {
    if (text.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw badInput(`${this.fileName} line ${line}: not valid JSON (${reason}).`);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw badInput(`${this.fileName} line ${line}: expected a JSON object, found ${describeJson(value)}.`);
    }
    const cells: unknown[] = [];
    for (const [key, cell] of Object.entries(value)) {
      let index = this.columnIndex.get(key);
      if (index === undefined) {
        index = this.table.columns.length;
        this.columnIndex.set(key, index);
        this.table.columns.push(key);
      }
      cells[index] = cell;
    }
    this.table.rows.push({ line, cells });
  }
}

export function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}
