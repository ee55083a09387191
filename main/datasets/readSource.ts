// Reads any importable source once, as a stream of records: a folder of class folders, a Parquet file, or a text
// file whose format is chosen on its first lines (detectFormat) unless the caller names it. Returns how it was read.
import fs from 'node:fs';
import type { DatasetFileFormat } from '../../common/datasetTypes';
import { badInput, notFound } from '../../common/result';
import { DelimitedParser } from './delimitedParser';
import { chooseFormat, formatFromExtension, sampleIsComplete, type FormatChoice, type TextFormat } from './detectFormat';
import { readFolder } from './folderSource';
import { JsonArrayParser } from './jsonArrayParser';
import { JsonlParser } from './jsonlParser';
import { isParquetFile, readParquet } from './parquetSource';
import { readTextFile, type ReadProgress, type TextEncoding } from './readTextFile';
import type { PositionUnit, RecordSink, TextSink } from './records';
import { TabularRecords } from './tabularRecords';
import { TextLinesParser, type TxtMode } from './textLinesParser';
import { TrecParser } from './trecParser';
import { TsvLineParser } from './tsvLineParser';

export interface SourceOptions {
  displayName: string; // the name errors use (an upload's name, not its temp path)
  format?: DatasetFileFormat;
  delimiter?: string;
  header?: boolean;
  txtMode?: TxtMode | 'auto';
  bundlePath: string; // a folder's bundle goes here (see folderSource)
  onRecord: RecordSink;
  onStart?: (unit: PositionUnit) => void; // before the first record: what positions count
  onProgress?: (p: ReadProgress) => void;
  signal?: AbortSignal;
}

export interface SourceInfo {
  format: DatasetFileFormat;
  encoding: TextEncoding | 'binary';
  delimiter: string | null;
  header: boolean | null;
  txtMode: TxtMode | null;
  unit: PositionUnit;
  sha256: string;
  bytes: number;
}

export async function readSource(filePath: string, opts: SourceOptions): Promise<SourceInfo> {
  const { displayName: name, format } = opts;
  const stat = await fs.promises.stat(filePath).catch(() => {
    throw notFound(`No file or folder at ${filePath}.`);
  });
  const base = { delimiter: null, header: null, txtMode: null };
  if (stat.isDirectory()) {
    if (format && format !== 'folder') throw badInput(`${name} is a folder; a ${format} dataset is a file.`);
    opts.onStart?.('file');
    const read = await readFolder(filePath, opts);
    return { ...base, ...read, format: 'folder', unit: 'file' };
  }
  if (!stat.isFile()) throw badInput(`${name} is not a file or a folder.`);
  if (format === 'folder') throw badInput(`${name} is a file, not a folder of class folders.`);
  if (stat.size === 0) throw badInput(`${name} is empty.`);
  const parquet = await isParquetFile(filePath);
  if (parquet || format === 'parquet' || (!format && formatFromExtension(name) === 'parquet')) {
    if (!parquet) throw badInput(`${name} is not a Parquet file (it does not begin with PAR1).`);
    opts.onStart?.('row');
    const read = await readParquet(filePath, opts);
    return { ...base, ...read, format: 'parquet', encoding: 'binary', unit: 'row' };
  }
  return readText(filePath, opts);
}

async function readText(filePath: string, opts: SourceOptions): Promise<SourceInfo> {
  const { displayName: name } = opts;
  opts.onStart?.('line');
  let sample = ''; // text held back until the format is known
  let parser: ReturnType<typeof makeParser> | null = null;
  let choice: FormatChoice = { format: 'txt', delimiter: null };
  const start = (wholeFile: boolean) => {
    choice = chooseFormat(name, sample, wholeFile, { format: opts.format as TextFormat | undefined, delimiter: opts.delimiter });
    parser = makeParser(choice, opts);
    parser.sink.feed(sample);
    sample = '';
    return parser;
  };
  const read = await readTextFile(filePath, {
    displayName: name,
    onProgress: opts.onProgress,
    signal: opts.signal,
    onText: (text) => {
      if (parser) return parser.sink.feed(text);
      sample += text;
      if (sampleIsComplete(sample)) start(false);
    },
  });
  const { sink, header, txtMode } = parser ?? start(true);
  sink.end();
  return { ...read, format: choice.format, delimiter: choice.delimiter, header: header(), txtMode: txtMode(), unit: 'line' };
}

function makeParser({ format, delimiter }: FormatChoice, opts: SourceOptions) {
  const { displayName: name, onRecord } = opts;
  const none = () => null;
  if (format === 'csv' || format === 'tsv') {
    const table = new TabularRecords(name, onRecord, opts.header);
    const records = delimiter === '\t' || format === 'tsv' ? new TsvLineParser(name, table.add, delimiter ?? '\t') : new DelimitedParser(delimiter ?? ',', name, table.add);
    const sink: TextSink = {
      feed: (text) => records.feed(text),
      end: () => {
        records.end();
        table.end();
      },
    };
    return { sink, header: () => table.header, txtMode: none };
  }
  if (format === 'txt') {
    const lines = new TextLinesParser(name, onRecord, opts.txtMode ?? 'auto');
    return { sink: lines as TextSink, header: none, txtMode: () => lines.mode };
  }
  const sink: TextSink =
    format === 'jsonl' ? new JsonlParser(name, onRecord) : format === 'json' ? new JsonArrayParser(name, onRecord) : new TrecParser(name, onRecord);
  return { sink, header: none, txtMode: none };
}
