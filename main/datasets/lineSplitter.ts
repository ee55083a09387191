// Splits text fed in chunks into lines (LF or CRLF), each with its 1-based line number.
import { badInput } from '../../common/result';
import { MAX_RECORD_CHARS } from './records';

export class LineSplitter {
  private partial = '';
  private line = 1;

  constructor(
    private readonly onLine: (text: string, line: number) => void,
    private readonly fileName = 'the file',
  ) {}

  feed(text: string): void {
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      const piece = this.partial + text.slice(start, nl);
      this.partial = '';
      this.emit(piece);
      start = nl + 1;
    }
    this.partial += text.slice(start);
    if (this.partial.length > MAX_RECORD_CHARS) {
      throw badInput(`${this.fileName} line ${this.line} runs past ${MAX_RECORD_CHARS / 1024 / 1024} M characters without a line break.`);
    }
  }

  /** Call once after the last chunk; a last line without a newline still counts. */
  end(): void {
    if (this.partial !== '') this.emit(this.partial);
    this.partial = '';
  }

  private emit(piece: string): void {
    this.onLine(piece.endsWith('\r') ? piece.slice(0, -1) : piece, this.line++);
  }
}
