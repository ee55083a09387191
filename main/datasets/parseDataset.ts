// Reads a dataset file once and validates all of it: format, columns, examples, task, labels and the split.
// Nothing is written anywhere; a bad file throws a bad-input error naming the file and the line.
import type { Task } from '../../common/protocol';
import { badInput } from '../../common/result';
import { CsvTableParser } from './csvTableParser';
import { chooseFormat, sampleIsComplete, type DatasetFormat } from './detectFormat';
import { examplesFromTable, type TableExamples } from './columns';
import { JsonlParser } from './jsonlParser';
import { readTextFile, type ReadProgress } from './readTextFile';
import { assignSplits, type SplitName } from './split';
import type { TextSink } from './table';
import { TextCorpusParser } from './textCorpusParser';

export interface ParsedDataset extends TableExamples {
  format: DatasetFormat;
  task: Task;
  splits: SplitName[]; // aligned with examples
  sha256: string;
  bytes: number;
}

type Parser = CsvTableParser | JsonlParser | TextCorpusParser;

export async function parseDatasetFile(
  filePath: string,
  fileName: string, // the name the user knows (extension decides the format; errors use it)
  onProgress?: (p: ReadProgress) => void,
): Promise<ParsedDataset> {
  let sample = ''; // text held back until the format is known
  let parser: Parser | null = null;
  let format: DatasetFormat = 'txt';
  const start = (wholeFile: boolean): TextSink => {
    const choice = chooseFormat(fileName, sample, wholeFile);
    format = choice.format;
    parser =
      choice.format === 'jsonl'
        ? new JsonlParser(fileName)
        : choice.format === 'txt'
          ? new TextCorpusParser()
          : new CsvTableParser(choice.delimiter ?? ',', fileName);
    parser.feed(sample);
    sample = '';
    return parser;
  };

  const { sha256, bytes } = await readTextFile(filePath, {
    displayName: fileName,
    onProgress,
    onText: (text) => {
      if (parser) return parser.feed(text);
      sample += text;
      if (sampleIsComplete(sample)) start(false);
    },
  });
  const sink: Parser = parser ?? (start(true) as Parser);
  sink.end();

  const found = sink instanceof TextCorpusParser ? corpusExamples(sink, fileName) : examplesFromTable(sink.table, fileName);
  const task: Task = found.columns.label === null ? 'generate' : 'classify';
  const splits = assignSplits(
    found.examples.map((e) => e.label),
    sha256,
  );
  return { ...found, format, task, splits, sha256, bytes };
}

function corpusExamples(parser: TextCorpusParser, fileName: string): TableExamples {
  if (parser.lines.length === 0) throw badInput(`${fileName} has no non-empty lines.`);
  return {
    columns: { text: 'text', label: null },
    labels: [],
    examples: parser.lines.map(({ line, text }) => ({ line, text, label: null })),
  };
}
