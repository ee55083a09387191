// JSON Lines: one object per line, blank lines skipped.
import { badInput } from '../../common/result';
import { LineSplitter } from './lineSplitter';
import { describeJson, type RecordSink, type TextSink } from './records';

export class JsonlParser implements TextSink {
  private readonly lines: LineSplitter;

  constructor(
    private readonly fileName: string,
    private readonly onRecord: RecordSink,
  ) {
    this.lines = new LineSplitter((text, line) => this.parseLine(text, line), fileName);
  }

  feed(text: string): void {
    this.lines.feed(text);
  }

  end(): void {
    this.lines.end();
  }

  private parseLine(text: string, line: number): void {
    if (text.trim() === '') return;
    this.onRecord({ position: line, fields: parseJsonObject(text, `${this.fileName} line ${line}`) });
  }
}

/** JSON.parse of one record that must be an object; errors name `where` ("data.jsonl line 3"). */
export function parseJsonObject(text: string, where: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw badInput(`${where}: not valid JSON (${reason}).`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw badInput(`${where}: expected a JSON object, found ${describeJson(value)}.`);
  }
  return value as Record<string, unknown>;
}
