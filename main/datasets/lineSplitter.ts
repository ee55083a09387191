// Splits text fed in chunks into lines (LF or CRLF), each with its 1-based line number.
export class LineSplitter {
  private partial = '';
  private line = 1;

  constructor(private readonly onLine: (text: string, line: number) => void) {}

  feed(text: string): void {
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      const piece = this.partial + text.slice(start, nl);
      this.partial = '';
      this.emit(piece);
      start = nl + 1;
    }
    this.partial += text.slice(start);
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
