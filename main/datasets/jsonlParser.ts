// JSON Lines: one object per line, blank lines skipped.
import { badInput } from '../../common/result';
import { LineRecordParser } from './lineRecordParser';
import { describeJson } from './records';

export class JsonlParser extends LineRecordParser {
  protected parseLine(text: string, line: number): void {
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
