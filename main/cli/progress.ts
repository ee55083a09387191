// Progress lines on stderr: redrawn in place on a terminal, one line per update (throttled) otherwise, so logs and CI
// output stay readable.
const BAR_WIDTH = 24;

export class ProgressLine {
  private lastPrinted = 0;
  private lastText = '';

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly intervalMs = stream.isTTY ? 100 : 2000,
  ) {}

  update(text: string, force = false): void {
    const now = Date.now();
    if (!force && now - this.lastPrinted < this.intervalMs) return;
    if (text === this.lastText && !force) return;
    this.lastPrinted = now;
    this.lastText = text;
    if (this.stream.isTTY) this.stream.write(`\r\x1b[2K${text}`);
    else this.stream.write(`${text}\n`);
  }

  done(text?: string): void {
    if (text !== undefined) this.update(text, true);
    if (this.stream.isTTY) this.stream.write('\n');
  }
}

export function bar(fraction: number): string {
  const clamped = Math.min(1, Math.max(0, fraction));
  const filled = Math.round(clamped * BAR_WIDTH);
  return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${(clamped * 100).toFixed(0).padStart(3)}%`;
}

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}
