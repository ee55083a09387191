// Base of the formats with one record per line (JSONL, TREC .label): lines are split across chunk boundaries by
// LineSplitter, blank lines skipped, and each remaining line handed to the format's parseLine with its number.
import { LineSplitter } from './lineSplitter';
import type { RecordSink, TextSink } from './records';

export abstract class LineRecordParser implements TextSink {
  private readonly lines: LineSplitter;

  constructor(
    protected readonly fileName: string,
    protected readonly onRecord: RecordSink,
  ) {
    this.lines = new LineSplitter((text, line) => {
      if (text.trim() !== '') this.parseLine(text, line);
    }, fileName);
  }

  feed(text: string): void {
    this.lines.feed(text);
  }

  end(): void {
    this.lines.end();
  }

  protected abstract parseLine(text: string, line: number): void;
}
