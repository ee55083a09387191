// The import pipeline up to (not including) the main database: read the source as records, detect the task and
// columns on the first SAMPLE_RECORDS, turn each record into an example, preprocess it, and stream it into a staging
// file; then de-duplicate, check the labels and split. Inspect, preview and import all run this; only import copies
// the result into the main database. Bad input throws naming the file and record; the caller disposes the staging.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { DatasetStats, Mapping, Recipe, RemovalStep, SplitRatios, TokenizerName } from '../../common/datasetTypes';
import { badInput } from '../../common/result';
import { isEmptyExample, toExample } from './examples';
import { detectMapping, type Detection, type MappingRequest } from './mapping';
import { sortLabels } from './labels';
import { readSource, type SourceInfo, type SourceOptions } from './readSource';
import { compileRecipe, recipeChangesText } from './recipe';
import { describeRecord, type SourceRecord } from './records';
import { assignAll, assignSplits, type SplitName } from './split';
import { openStaging, type StagingDb } from './stagingDb';
import { computeStats } from './stats';
import { exactKey, nearKey } from './textKeys';
import { getTokenizer } from './tokenizers';

const charTokens = getTokenizer('char');

const SAMPLE_RECORDS = 200;

export interface StageOptions extends Pick<SourceOptions, 'format' | 'delimiter' | 'header' | 'txtMode' | 'onProgress' | 'signal'>, MappingRequest {
  sourceName: string;
  stagingDir: string; // created if missing; the staging files go here
  recipe: Recipe;
  seed: (sha256: string) => number; // the split's seed, once the content hash is known
  split: SplitRatios | { all: SplitName }; // ratios, or every row to one split (an attached test file)
  allowedLabels?: string[]; // an attached test file's labels must be among its dataset's
  requireClasses?: boolean; // classification must have two labels (imports; inspect and preview only report)
}

export interface StagedDataset {
  staging: StagingDb;
  bundlePath: string | null; // a folder's bundle: the file to store as its original
  source: SourceInfo;
  fields: string[];
  detected: Detection; // what detection alone chose
  chosen: Detection; // what is used (the request applied)
  labels: string[]; // sorted distinct labels of kept rows
  removed: Record<RemovalStep, number>;
  kept: number;
  splits: Record<SplitName, number>;
  seed: number;
  dispose(): void; // deletes the staging files
}

export async function stageDataset(filePath: string, opts: StageOptions): Promise<StagedDataset> {
  const { sourceName: name } = opts;
  const base = `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  const staging = openStaging(opts.stagingDir, `${base}.db`); // the bundle goes beside it while the folder is in use
  const bundlePath = path.join(opts.stagingDir, `${base}.bundle.jsonl`);
  const dispose = () => {
    staging.dispose();
    fs.rmSync(bundlePath, { force: true });
  };
  try {
    return await stageInto(filePath, opts, staging, bundlePath, dispose);
  } catch (err) {
    dispose();
    throw err;
  }
}

async function stageInto(filePath: string, opts: StageOptions, staging: StagingDb, bundlePath: string, dispose: () => void): Promise<StagedDataset> {
  const { sourceName: name, recipe } = opts;
  const runner = compileRecipe(recipe);
  const keepRaw = recipeChangesText(recipe);
  const fields: string[] = [];
  const seenFields = new Set<string>();
  let sample: SourceRecord[] | null = [];
  let detection: { detected: Detection; chosen: Detection } | null = null;
  let unit: SourceInfo['unit'] = 'line';
  let idx = 0;
  const allowed = opts.allowedLabels ? new Set(opts.allowedLabels) : null;

  const detect = () => {
    const records = (sample ?? []).map((r) => r.fields);
    const request = opts.task || opts.map || opts.prefer ? { task: opts.task, map: opts.map, prefer: opts.prefer } : null;
    const chosen = detectMapping(name, fields, records, request ?? {});
    let detected = chosen;
    if (request) {
      try {
        detected = detectMapping(name, fields, records); // what detection alone would choose, for the UI to show
      } catch {
        /* nothing detectable: the request is all there is */
      }
    }
    detection = { detected, chosen };
    const held = sample ?? [];
    sample = null;
    held.forEach(stage);
  };
  const stage = (record: SourceRecord) => {
    const { task, mapping } = (detection as { chosen: Detection }).chosen;
    const where = () => describeRecord(name, unit, record);
    const original = toExample(record.fields, task, mapping as Mapping, where);
    if (allowed && original.label !== null && !allowed.has(original.label)) {
      throw badInput(`${where()}: the label '${original.label}' is not among the dataset's labels (${[...allowed].join(', ')}).`);
    }
    const empty = isEmptyExample(original);
    const { example, removedBy } = empty ? { example: original, removedBy: 'empty' as const } : runner.apply(original);
    staging.insert({
      idx,
      line: record.position,
      raw: keepRaw && example.text !== original.text ? original.text : null,
      example,
      fields: JSON.stringify(record.fields),
      exactKey: exactKey(example.text),
      nearKey: nearKey(example.text),
      charLength: charTokens.count(example.text),
      removed: removedBy,
    });
    idx++;
  };

  const source = await readSource(filePath, {
    ...opts,
    displayName: name,
    bundlePath,
    onStart: (u) => (unit = u),
    onRecord: (record) => {
      for (const key in record.fields) {
        if (!seenFields.has(key)) {
          seenFields.add(key);
          fields.push(key);
        }
      }
      if (!sample) return stage(record);
      sample.push(record);
      if (sample.length >= SAMPLE_RECORDS) detect();
    },
  });
  if (sample && sample.length === 0) throw badInput(source.format === 'txt' ? `${name} has no non-empty lines.` : `${name} has no data rows.`);
  const seed = opts.seed(source.sha256);
  if (sample) detect();
  staging.finishInserts();
  const { detected, chosen } = detection as unknown as { detected: Detection; chosen: Detection };

  if (recipe.dedupe !== 'none') staging.dedupe(recipe.dedupe);
  const counts = staging.removals();
  const removed = { empty: 0, removeStopwords: 0, minLength: 0, maxLength: 0, dedupe: 0 };
  for (const [step, n] of counts) removed[step] = n;
  const kept = staging.keptCount();
  if (kept === 0) {
    if (removed.empty === idx) throw badInput(`${name} has no rows with text in the ${chosen.mapping.text ? `'${chosen.mapping.text}' column` : 'mapped columns'}.`);
    throw badInput(`${name}: preprocessing removed every row (${describeRemovals(removed)}); relax the recipe.`);
  }
  const labels = sortLabels([...staging.labelCounts().keys()]);
  if (opts.requireClasses && chosen.task === 'classify' && labels.length < 2) {
    throw badInput(`${name}: the label column '${chosen.mapping.label}' has only one class ('${labels[0]}'); classification needs at least two.`);
  }
  let splits: Record<SplitName, number>;
  if ('all' in opts.split) {
    assignAll(staging.db, opts.split.all);
    splits = { train: 0, validation: 0, test: 0, [opts.split.all]: kept };
  } else splits = assignSplits(staging.db, opts.split, seed);
  return { staging, bundlePath: source.format === 'folder' ? bundlePath : null, source, fields, detected, chosen, labels, removed, kept, splits, seed, dispose };
}

function describeRemovals(removed: Record<RemovalStep, number>): string {
  const parts = Object.entries(removed)
    .filter(([, n]) => n > 0)
    .map(([step, n]) => `${n} by ${step}`);
  return parts.join(', ') || 'none';
}

/** Statistics of the kept staged rows; `char` lengths were counted while staging, other tokenizers read the text. */
export function stagedStats(staged: StagedDataset, tokenizer: TokenizerName, maxTokens: number): DatasetStats {
  const length = tokenizer === 'char' ? 'len_char' : '(SELECT tb_len(text, ?) FROM body WHERE body.idx = meta.idx)';
  return computeStats(
    staged.staging.db,
    { from: 'meta', where: 'removed IS NULL', params: [], exactKey: 'exact_key', nearKey: 'near_key', length },
    { tokenizer, maxTokens, labels: staged.labels, emptyRows: staged.removed.empty },
  );
}
