// A `datasets` row as stored (migrations 001 and 002): built from a staged import, and turned into the summary the
// UI and CLI see.
import { splitRatiosSchema, type DatasetStats, type DatasetTask, type Mapping, type Recipe, type SplitRatios } from '../../common/datasetTypes';
import { datasetSummarySchema, type DatasetSummary } from '../../common/domain';
import type { Task } from '../../common/protocol';
import { badInput, TunebenchError } from '../../common/result';
import type { StagedDataset } from './stageDataset';

export interface DatasetRow {
  id: string;
  name: string;
  task: string; // what training sees: generate | classify
  dataset_task: string | null; // what the records are; null only before migration 002 filled it
  format: string;
  encoding: string;
  row_count: number;
  train_rows: number;
  validation_rows: number;
  test_rows: number;
  text_column: string;
  label_column: string | null;
  labels: string; // JSON
  mapping: string; // JSON
  field_names: string; // JSON
  recipe: string; // JSON
  split_spec: string; // JSON
  removed: string; // JSON
  stats: string | null; // JSON
  test_source: string | null; // JSON
  source_name: string;
  bytes: number;
  sha256: string;
  blob_path: string;
  created_at: string;
}

export function toSummary(row: DatasetRow): DatasetSummary {
  const removed = { empty: 0, removeStopwords: 0, minLength: 0, maxLength: 0, dedupe: 0, ...JSON.parse(row.removed) };
  const parsed = datasetSummarySchema.safeParse({
    id: row.id,
    name: row.name,
    task: row.dataset_task ?? row.task,
    trainTask: row.task,
    format: row.format,
    encoding: row.encoding,
    rows: row.row_count,
    splits: { train: row.train_rows, validation: row.validation_rows, test: row.test_rows },
    split: JSON.parse(row.split_spec),
    columns: { text: row.text_column, label: row.label_column },
    mapping: JSON.parse(row.mapping),
    fields: JSON.parse(row.field_names),
    labels: JSON.parse(row.labels),
    recipe: JSON.parse(row.recipe),
    removed,
    test: row.test_source ? JSON.parse(row.test_source) : null,
    sourceName: row.source_name,
    bytes: row.bytes,
    sha256: row.sha256,
    createdAt: row.created_at,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TunebenchError('internal', `Dataset ${row.id} in the database is malformed: ${issue.path.join('.')}: ${issue.message}.`);
  }
  return parsed.data;
}

/** The row of a new dataset, less `blob_path` and the counts (known once the original and the rows are stored). */
export function newDatasetRow(a: { id: string; name: string; sourceName: string; staged: StagedDataset; recipe: Recipe; split: SplitRatios; stats: DatasetStats }) {
  const { source, chosen } = a.staged;
  return {
    id: a.id,
    name: a.name,
    task: trainTaskOf(chosen.task),
    dataset_task: chosen.task,
    format: source.format,
    encoding: source.encoding,
    text_column: mainColumn(chosen.mapping),
    label_column: chosen.mapping.label ?? null,
    labels: JSON.stringify(a.staged.labels),
    mapping: JSON.stringify(chosen.mapping),
    field_names: JSON.stringify(a.staged.fields),
    recipe: JSON.stringify(a.recipe),
    split_spec: JSON.stringify({ ...a.split, seed: a.staged.seed, stratified: chosen.task === 'classify' }),
    removed: JSON.stringify(a.staged.removed),
    stats: JSON.stringify(a.stats),
    test_source: null,
    source_name: a.sourceName,
    bytes: source.bytes,
    sha256: source.sha256,
    created_at: new Date().toISOString(),
  } satisfies Omit<DatasetRow, 'blob_path' | 'row_count' | 'train_rows' | 'validation_rows' | 'test_rows'>;
}

export function checkSplit(split: SplitRatios): SplitRatios {
  const parsed = splitRatiosSchema.safeParse(split);
  if (!parsed.success) throw badInput(`The split ${split.train},${split.validation},${split.test} is invalid: ${parsed.error.issues[0].message}.`);
  return parsed.data;
}

const trainTaskOf = (task: DatasetTask): Task => (task === 'classify' ? 'classify' : 'generate');

/** The column shown as "the text": the one holding what the model reads first. */
function mainColumn(m: Mapping): string {
  return (m.text ?? m.prompt ?? m.instruction ?? m.messages) as string;
}
