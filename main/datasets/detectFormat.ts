// Which parser a file gets: by extension, with the content deciding for unknown extensions (and choosing the
// delimiter of a .csv). Works on a text sample: the first lines of the file.
import path from 'node:path';
import type { DatasetSummary } from '../../common/domain';

export type DatasetFormat = DatasetSummary['format'];
export interface FormatChoice {
  format: DatasetFormat;
  delimiter: string | null; // for csv/tsv
}

const BY_EXTENSION: Record<string, DatasetFormat> = {
  '.txt': 'txt',
  '.text': 'txt',
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.tab': 'tsv',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
};

/** Enough text to decide: this many complete lines (or the whole file if shorter). */
export const SNIFF_LINES = 6;
const SNIFF_MAX_CHARS = 256 * 1024;

export function sampleIsComplete(sample: string): boolean {
  return sample.length >= SNIFF_MAX_CHARS || sample.split('\n').length > SNIFF_LINES;
}

/** `wholeFile`: the sample is the entire file, so its last line is complete even without a newline. */
export function chooseFormat(fileName: string, sample: string, wholeFile: boolean): FormatChoice {
  const byExt = BY_EXTENSION[path.extname(fileName).toLowerCase()];
  const lines = sampleLines(sample, wholeFile);
  if (byExt === 'csv') return { format: 'csv', delimiter: consistentDelimiter(lines, [',', ';', '\t'], 1) ?? ',' };
  if (byExt === 'tsv') return { format: 'tsv', delimiter: '\t' };
  if (byExt) return { format: byExt, delimiter: null };
  if (lines[0]?.trimStart().startsWith('{')) return { format: 'jsonl', delimiter: null };
  const delimiter = consistentDelimiter(lines, ['\t', ',', ';'], 2);
  if (delimiter === '\t') return { format: 'tsv', delimiter };
  if (delimiter) return { format: 'csv', delimiter };
  return { format: 'txt', delimiter: null };
}

/** Non-empty complete lines of the sample. */
function sampleLines(sample: string, wholeFile: boolean): string[] {
  const lines = sample.split('\n');
  if (!wholeFile) lines.pop(); // cut mid-line (or the empty string after a final newline)
  return lines
    .map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l))
    .filter((l) => l.trim() !== '')
    .slice(0, SNIFF_LINES);
}

/** The first candidate that appears the same number of times (> 0, outside quotes) on every sampled line. */
function consistentDelimiter(lines: string[], candidates: string[], minLines: number): string | null {
  if (lines.length < minLines) return null;
  for (const d of candidates) {
    const counts = lines.map((l) => countOutsideQuotes(l, d));
    if (counts[0] > 0 && counts.every((c) => c === counts[0])) return d;
  }
  return null;
}

function countOutsideQuotes(line: string, d: string): number {
  let count = 0;
  let quoted = false;
  for (const c of line) {
    if (c === '"') quoted = !quoted;
    else if (c === d && !quoted) count++;
  }
  return count;
}
