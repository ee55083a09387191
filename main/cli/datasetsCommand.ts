// `tunebench datasets import|inspect|show|list`. Import and inspect stream with a progress line on stderr and stop
// cleanly on Ctrl+C (exit 130, nothing written).
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { DATASET_FILE_FORMATS, DATASET_TASKS, TOKENIZER_NAMES, TXT_MODES, type DatasetStats, type RecipeInput } from '../../common/datasetTypes';
import type { DatasetSummary } from '../../common/domain';
import { badInput, TunebenchError } from '../../common/result';
import { parseChoiceArg, parseDelimiterArg, parseIntArg, parseMapArg, parseSplitArg } from '../datasets/optionStrings';
import type { Services } from '../services';
import type { FileOptions, ImportOptions, ImportProgress } from '../services/datasetService';
import { parseCommandArgs } from './args';
import { print, printJson, printTable, type CliIo } from './output';
import { bar, formatBytes, ProgressLine } from './progress';

const READ_FLAGS = {
  format: { type: 'string' },
  task: { type: 'string' },
  map: { type: 'string', multiple: true, default: [] as string[] },
  header: { type: 'boolean' },
  'no-header': { type: 'boolean' },
  delimiter: { type: 'string' },
  txt: { type: 'string' },
  json: { type: 'boolean' },
} as const;

const RECIPE_FLAGS = {
  lowercase: { type: 'boolean' },
  'remove-stopwords': { type: 'boolean' },
  'stopword-language': { type: 'string' },
  tokenize: { type: 'boolean' },
  'normalize-whitespace': { type: 'boolean' },
  dedupe: { type: 'boolean' },
  'dedupe-near': { type: 'boolean' },
  'min-length': { type: 'string' },
  'max-length': { type: 'string' },
  'length-unit': { type: 'string' },
} as const;

type Flags = Record<string, string | boolean | string[] | undefined>;

function readOptions(v: Flags): FileOptions {
  if (v.header && v['no-header']) throw badInput('Give --header or --no-header, not both.');
  return {
    format: parseChoiceArg('format', v.format as string | undefined, DATASET_FILE_FORMATS),
    task: parseChoiceArg('task', v.task as string | undefined, ['auto', ...DATASET_TASKS] as const),
    map: parseMapArg(v.map as string[]),
    header: v.header ? true : v['no-header'] ? false : undefined,
    delimiter: parseDelimiterArg(v.delimiter as string | undefined),
    txtMode: parseChoiceArg('txt', v.txt as string | undefined, TXT_MODES),
  };
}

/** The recipe the flags ask for, or undefined when none was given. */
function recipeOptions(v: Flags): RecipeInput | undefined {
  const recipe: RecipeInput = {
    lowercase: v.lowercase === true || undefined,
    removeStopwords: v['remove-stopwords'] === true || undefined,
    stopwordLanguage: v['stopword-language'] as string | undefined,
    tokenize: v.tokenize === true || undefined,
    normalizeWhitespace: v['normalize-whitespace'] === true || undefined,
    dedupe: v['dedupe-near'] ? 'near' : v.dedupe ? 'exact' : undefined,
    minLength: parseIntArg('min-length', v['min-length'] as string | undefined),
    maxLength: parseIntArg('max-length', v['max-length'] as string | undefined, 1),
    lengthUnit: parseChoiceArg('length-unit', v['length-unit'] as string | undefined, TOKENIZER_NAMES),
  };
  const given = Object.fromEntries(Object.entries(recipe).filter(([, value]) => value !== undefined));
  return Object.keys(given).length ? given : undefined;
}

/** Runs `work` with a progress line and Ctrl+C wired to cancel it. */
async function withProgress<T>(io: CliIo, file: string, verb: string, work: (signal: AbortSignal, onProgress: (p: ImportProgress) => void) => Promise<T>): Promise<T> {
  const progress = new ProgressLine(io.stderr);
  const controller = new AbortController();
  const onSigint = () => {
    io.stderr.write('\ncancelling…\n');
    controller.abort();
  };
  process.once('SIGINT', onSigint);
  try {
    return await work(controller.signal, ({ bytesRead, totalBytes, phase }) =>
      progress.update(
        phase === 'writing' ? `${verb} ${basename(file)}: writing to the database…` : `${verb} ${basename(file)} ${bar(totalBytes ? bytesRead / totalBytes : 1)} ${formatBytes(bytesRead)}`,
        phase === 'writing',
      ),
    );
  } finally {
    process.off('SIGINT', onSigint);
  }
}

export async function importDataset(services: Services, io: CliIo, file: string, name?: string, options: ImportOptions = {}): Promise<DatasetSummary> {
  if (!existsSync(file)) throw badInput(`${file} does not exist.`);
  const summary = await withProgress(io, file, 'importing', (signal, onProgress) => services.datasets.importFile(file, { ...options, name, signal, onProgress }));
  const removed = Object.entries(summary.removed).filter(([, n]) => n > 0).map(([step, n]) => `${n} ${step}`);
  io.stderr.write(
    `imported ${summary.name}: ${summary.rows} rows, task ${summary.task}${summary.labels.length ? `, ${summary.labels.length} labels` : ''}, ` +
      `split ${summary.splits.train}/${summary.splits.validation}/${summary.splits.test}${removed.length ? `, removed ${removed.join(', ')}` : ''} (${summary.id})\n`,
  );
  return summary;
}

export async function datasetsCommand(services: Services, io: CliIo, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  try {
    if (sub === 'import') return await importCommand(services, io, rest);
    if (sub === 'inspect') return await inspectCommand(services, io, rest);
  } catch (err) {
    if (!(err instanceof TunebenchError && err.kind === 'cancelled')) throw err;
    io.stderr.write(`tunebench: ${err.message}\n`);
    return 130;
  }
  if (sub === 'show') return showCommand(services, io, rest);
  if (sub === 'list') {
    const { values } = parseCommandArgs('datasets list', rest, { json: { type: 'boolean' } });
    const list = services.datasets.list();
    if (values.json) printJson(io, list);
    else if (list.length === 0) print(io, 'No datasets yet: import one with `tunebench datasets import <file>`.');
    else printTable(io, ['ID', 'NAME', 'TASK', 'ROWS', 'LABELS', 'IMPORTED'], list.map((d) => [d.id, d.name, d.task, String(d.rows), String(d.labels.length || '-'), d.createdAt]));
    return 0;
  }
  throw badInput(`Unknown command 'datasets ${sub ?? ''}'; use \`datasets import <file>\`, \`inspect <file>\`, \`show <id>\` or \`list\`.`);
}

async function importCommand(services: Services, io: CliIo, args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('datasets import', args, {
    ...READ_FLAGS,
    ...RECIPE_FLAGS,
    name: { type: 'string' },
    split: { type: 'string' },
    seed: { type: 'string' },
    'test-for': { type: 'string' },
  });
  if (positionals.length !== 1) throw badInput('datasets import takes exactly one file, for example `tunebench datasets import reviews.csv`.');
  const file = positionals[0];
  const read = readOptions(values);
  const recipe = recipeOptions(values);
  const split = parseSplitArg(values.split);
  const seed = parseIntArg('seed', values.seed);
  let summary: DatasetSummary;
  if (values['test-for']) {
    if (recipe || split || seed !== undefined || values.name) throw badInput('--test-for takes the dataset\'s own recipe and split; drop --name, --split, --seed and the preprocessing flags.');
    if (!existsSync(file)) throw badInput(`${file} does not exist.`);
    const target = values['test-for'];
    summary = await withProgress(io, file, 'attaching', (signal, onProgress) => services.datasets.attachTest(target, file, { ...read, signal, onProgress }));
    io.stderr.write(`attached ${basename(file)} to ${summary.name} as its test split: ${summary.splits.test} rows (${summary.id})\n`);
  } else summary = await importDataset(services, io, file, values.name, { ...read, recipe, split, seed });
  if (values.json) printJson(io, summary);
  else print(io, summary.id);
  return 0;
}

async function inspectCommand(services: Services, io: CliIo, args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('datasets inspect', args, { ...READ_FLAGS, ...RECIPE_FLAGS, tokenizer: { type: 'string' }, 'max-tokens': { type: 'string' } });
  if (positionals.length !== 1) throw badInput('datasets inspect takes exactly one file, for example `tunebench datasets inspect reviews.csv`.');
  const file = positionals[0];
  if (!existsSync(file)) throw badInput(`${file} does not exist.`);
  const read = readOptions(values);
  const recipe = recipeOptions(values);
  const tokenizer = parseChoiceArg('tokenizer', values.tokenizer, TOKENIZER_NAMES);
  const maxTokens = parseIntArg('max-tokens', values['max-tokens'], 1);
  const inspected = await withProgress(io, file, 'reading', (signal, onProgress) => services.datasets.inspectFile(file, { ...read, tokenizer, maxTokens, signal, onProgress }));
  const preview = recipe ? await withProgress(io, file, 'preprocessing', (signal, onProgress) => services.datasets.previewRecipe(file, { ...read, recipe, signal, onProgress })) : null;
  if (values.json) {
    printJson(io, preview ? { ...inspected, recipePreview: preview } : inspected);
    return 0;
  }
  print(io, `${inspected.fileName}: ${inspected.format}, ${inspected.encoding}${inspected.header === null ? '' : inspected.header ? ', with a header' : ', no header'}${inspected.txtMode ? `, ${inspected.txtMode}` : ''}`);
  print(io, `columns: ${inspected.fields.join(', ')}`);
  print(io, `task: ${inspected.task}; mapping: ${Object.entries(inspected.mapping).map(([role, col]) => `${role}=${col}`).join(', ')}`);
  printStats(io, inspected.stats);
  printTable(io, ['LINE', 'LABEL', 'TEXT'], inspected.preview.slice(0, 10).map((r) => [String(r.line), r.label ?? '-', clip(r.text)]));
  if (preview) {
    print(io, `\npreprocessing: ${preview.rowsBefore} → ${preview.rowsAfter} rows; removed ${preview.removed.map((r) => `${r.rows} by ${r.step}`).join(', ')}`);
    printTable(io, ['LINE', 'BEFORE', 'AFTER'], preview.preview.slice(0, 10).map((r) => [String(r.line), clip(r.before, 50), r.after === null ? `(removed: ${r.removedBy})` : clip(r.after, 50)]));
  }
  return 0;
}

function showCommand(services: Services, io: CliIo, args: string[]): number {
  const { values, positionals } = parseCommandArgs('datasets show', args, {
    tokenizer: { type: 'string' },
    'max-tokens': { type: 'string' },
    rows: { type: 'string' },
    offset: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (positionals.length !== 1) throw badInput('datasets show takes one dataset id, for example `tunebench datasets show ds-1a2b3c4d`.');
  const shown = services.datasets.show(positionals[0], {
    tokenizer: parseChoiceArg('tokenizer', values.tokenizer, TOKENIZER_NAMES),
    maxTokens: parseIntArg('max-tokens', values['max-tokens'], 1),
    limit: Math.min(500, parseIntArg('rows', values.rows) ?? 20),
    offset: parseIntArg('offset', values.offset),
  });
  if (values.json) {
    printJson(io, shown);
    return 0;
  }
  const { summary: d, stats } = shown;
  print(io, `${d.id}  ${d.name}  (${d.sourceName}: ${d.format}, ${d.encoding}, ${formatBytes(d.bytes)})`);
  print(io, `task: ${d.task} (trains as ${d.trainTask}); mapping: ${Object.entries(d.mapping).map(([role, col]) => `${role}=${col}`).join(', ')}`);
  print(io, `split: ${d.splits.train} train / ${d.splits.validation} validation / ${d.splits.test} test (seed ${d.split.seed ?? '-'}${d.split.stratified ? ', stratified' : ''})${d.test ? `; test from ${d.test.sourceName}` : ''}`);
  const recipe = Object.entries(d.recipe).filter(([k, v]) => v !== false && v !== null && v !== 'none' && !['stopwordLanguage', 'lengthUnit'].includes(k));
  print(io, `recipe: ${recipe.length ? recipe.map(([k, v]) => (v === true ? k : `${k}=${v}`)).join(', ') : 'none'}`);
  printStats(io, stats);
  printTable(io, ['LINE', 'SPLIT', 'LABEL', 'TEXT'], shown.rows.map((r) => [String(r.line), r.split ?? '-', r.label ?? '-', clip(r.text)]));
  return 0;
}

function printStats(io: CliIo, s: DatasetStats): void {
  print(io, `rows: ${s.rows}; empty in the source: ${s.emptyRows}; duplicates: ${s.exactDuplicates} exact, ${s.nearDuplicates} near`);
  if (s.labelCounts.length) print(io, `labels: ${s.labelCounts.map((l) => `${l.label} ${l.count}`).join(', ')}`);
  const t = s.tokens;
  print(io, `${s.tokenizer} tokens per row: min ${t.min}, median ${t.p50}, mean ${t.mean.toFixed(1)}, p95 ${t.p95}, max ${t.max}; over ${s.maxTokens}: ${s.overLong}`);
  const top = Math.max(1, ...s.histogram.map((h) => h.count));
  for (const h of s.histogram) print(io, `  ${`${h.from}–${h.to - 1}`.padStart(13)} ${'#'.repeat(Math.round((h.count / top) * 40)).padEnd(40)} ${h.count}`);
}

const clip = (text: string, width = 70) => {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat;
};
