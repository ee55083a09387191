// Which parser a text file gets, from its content first and its extension second, on a sample of its first lines.
// Content wins where it is unmistakable (a JSON array, lines that are JSON objects, TREC `LABEL:fine` lines, a .txt
// whose every line has the same number of tabs); otherwise the extension decides, and a file with an unknown
// extension is sniffed for a delimiter. Parquet files and folders are recognised before any text is read.
import path from 'node:path';
import type { DatasetFileFormat } from '../../common/datasetTypes';
import { TREC_SNIFF } from './trecParser';

export type TextFormat = Exclude<DatasetFileFormat, 'parquet' | 'folder'>;
export interface FormatChoice {
  format: TextFormat;
  delimiter: string | null; // csv/tsv only
}

const BY_EXTENSION: Record<string, DatasetFileFormat> = {
  '.txt': 'txt',
  '.text': 'txt',
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.tab': 'tsv',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.json': 'json',
  '.label': 'trec',
  '.parquet': 'parquet',
  '.pq': 'parquet',
};

export const formatFromExtension = (fileName: string): DatasetFileFormat | undefined => BY_EXTENSION[path.extname(fileName).toLowerCase()];

/** Enough text to decide: this many complete lines (or the whole file if shorter). */
export const SNIFF_LINES = 6;
const SNIFF_MAX_CHARS = 256 * 1024;

export function sampleIsComplete(sample: string): boolean {
  return sample.length >= SNIFF_MAX_CHARS || sample.split('\n').length > SNIFF_LINES;
}

export interface FormatOverride {
  format?: TextFormat;
  delimiter?: string;
}

/** `wholeFile`: the sample is the entire file, so its last line is complete even without a newline. */
export function chooseFormat(fileName: string, sample: string, wholeFile: boolean, override: FormatOverride = {}): FormatChoice {
  const lines = sampleLines(sample, wholeFile);
  const delimited = (candidates: string[], minLines: number, fallback: string | null): FormatChoice | null => {
    const d = override.delimiter ?? consistentDelimiter(lines, candidates, minLines) ?? fallback;
    return d === null ? null : { format: d === '\t' ? 'tsv' : 'csv', delimiter: d };
  };
  if (override.format === 'csv') return delimited([',', ';', '\t', '|'], 1, ',') as FormatChoice;
  if (override.format === 'tsv') return { format: 'tsv', delimiter: override.delimiter ?? '\t' };
  if (override.format) return { format: override.format, delimiter: null };

  const byExt = formatFromExtension(fileName);
  if (/^\s*\[\s*(\{|\]|$)/.test(sample)) return { format: 'json', delimiter: null };
  if (lines.length && isJsonObjectLine(lines[0])) return { format: 'jsonl', delimiter: null };
  if (byExt === 'json') return { format: 'json', delimiter: null };
  if ((byExt === undefined || byExt === 'txt' || byExt === 'trec') && lines.length && lines.every((l) => TREC_SNIFF.test(l))) {
    if (byExt === 'trec' || lines.length >= 2) return { format: 'trec', delimiter: null };
  }
  if (byExt === 'csv') return delimited([',', ';', '\t', '|'], 1, ',') as FormatChoice;
  if (byExt === 'tsv') return { format: 'tsv', delimiter: '\t' };
  if (byExt === 'txt') return delimited(['\t'], 2, null) ?? { format: 'txt', delimiter: null };
  if (byExt === 'jsonl' || byExt === 'trec') return { format: byExt, delimiter: null };
  return delimited(['\t', ',', ';', '|'], 2, null) ?? { format: 'txt', delimiter: null };
}

function isJsonObjectLine(line: string): boolean {
  if (!line.trimStart().startsWith('{')) return false;
  try {
    const value: unknown = JSON.parse(line);
    return value !== null && typeof value === 'object' && !Array.isArray(value);
  } catch {
    return false;
  }
}

/** Non-empty complete lines of the sample. */
function sampleLines(sample: string, wholeFile: boolean): string[] {
  const lines = sample.replace(/^\uFEFF/, '').split('\n');
  if (!wholeFile) lines.pop(); // cut mid-line (or the empty string after a final newline)
  return lines
    .map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l))
    .filter((l) => l.trim() !== '')
    .slice(0, SNIFF_LINES);
}

/** The first candidate that appears the same number of times (> 0) on every sampled line; quotes count for CSV only. */
function consistentDelimiter(lines: string[], candidates: string[], minLines: number): string | null {
  if (lines.length < minLines) return null;
  for (const d of candidates) {
    const counts = lines.map((l) => (d === '\t' ? l.split('\t').length - 1 : countOutsideQuotes(l, d)));
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
