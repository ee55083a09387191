// Datasets: import a file (parse and validate all of it, then copy the original and write the rows in one
// transaction), list them, find one, and load its stored split for training.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { datasetSummarySchema, type DatasetSummary } from '../../common/domain';
import type { TrainData } from '../../common/protocol';
import { badInput, notFound, TunebenchError } from '../../common/result';
import { storeBlob } from '../datasets/blobStore';
import { parseDatasetFile, type ParsedDataset } from '../datasets/parseDataset';
import type { ReadProgress } from '../datasets/readTextFile';

export interface ImportOptions {
  name?: string; // defaults to the file's base name without its extension
  sourceName?: string; // the name the user knows, when filePath is a temporary upload
  onProgress?: (p: ReadProgress) => void;
}

interface DatasetRow {
  id: string;
  name: string;
  task: string;
  format: string;
  row_count: number;
  train_rows: number;
  validation_rows: number;
  test_rows: number;
  text_column: string;
  label_column: string | null;
  labels: string;
  source_name: string;
  bytes: number;
  sha256: string;
  created_at: string;
}

const NEWEST_FIRST = 'ORDER BY created_at DESC, rowid DESC';

export class DatasetService {
  private readonly statements;

  constructor(
    private readonly db: Database.Database,
    private readonly dataDir: string,
  ) {
    this.statements = {
      list: db.prepare<[], DatasetRow>(`SELECT * FROM datasets ${NEWEST_FIRST}`),
      byId: db.prepare<[string], DatasetRow>('SELECT * FROM datasets WHERE id = ?'),
      byName: db.prepare<[string], DatasetRow>(`SELECT * FROM datasets WHERE name = ? ${NEWEST_FIRST} LIMIT 1`),
      usesBlob: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM datasets WHERE sha256 = ? LIMIT 1'),
      insertDataset: db.prepare(
        `INSERT INTO datasets (id, name, task, format, row_count, train_rows, validation_rows, test_rows, text_column,
           label_column, labels, source_name, bytes, sha256, blob_path, created_at)
         VALUES (@id, @name, @task, @format, @rowCount, @train, @validation, @test, @textColumn,
           @labelColumn, @labels, @sourceName, @bytes, @sha256, @blobPath, @createdAt)`,
      ),
      insertRow: db.prepare('INSERT INTO dataset_rows (dataset_id, idx, split, text, label) VALUES (?, ?, ?, ?, ?)'),
      rows: db.prepare<[string], { split: string; text: string; label: string | null }>(
        'SELECT split, text, label FROM dataset_rows WHERE dataset_id = ? ORDER BY idx',
      ),
    };
  }

  async importFile(filePath: string, opts: ImportOptions = {}): Promise<DatasetSummary> {
    const sourceName = opts.sourceName ?? path.basename(filePath);
    await checkIsFile(filePath, sourceName);
    const parsed = await parseDatasetFile(filePath, sourceName, opts.onProgress);
    const blob = await storeBlob(this.dataDir, filePath, parsed.sha256, sourceName);
    const id = `ds-${randomBytes(4).toString('hex')}`;
    const name = opts.name?.trim() || path.basename(sourceName, path.extname(sourceName)) || sourceName;
    try {
      this.insert(id, name, sourceName, blob.relativePath, parsed);
    } catch (err) {
      if (!this.statements.usesBlob.get(parsed.sha256)) blob.discard();
      throw err;
    }
    return this.get(id);
  }

  /** Newest first. */
  list(): DatasetSummary[] {
    return this.statements.list.all().map(toSummary);
  }

  /** By id, or by exact name (the newest of that name). */
  get(ref: string): DatasetSummary {
    const row = this.statements.byId.get(ref) ?? this.statements.byName.get(ref);
    if (!row) throw notFound(`No dataset '${ref}'; see \`tunebench datasets list\`.`);
    return toSummary(row);
  }

  /** The stored split as the trainer takes it; classification labels become indices into the sorted labels. */
  loadTrainData(id: string): TrainData {
    const dataset = this.get(id);
    const rows = this.statements.rows.all(dataset.id);
    if (dataset.task === 'generate') {
      return {
        task: 'generate',
        train: rows.filter((r) => r.split === 'train').map((r) => r.text),
        validation: rows.filter((r) => r.split === 'validation').map((r) => r.text),
      };
    }
    const index = new Map(dataset.labels.map((label, i) => [label, i]));
    const example = (r: (typeof rows)[number]) => ({ text: r.text, label: index.get(r.label ?? '') ?? -1 });
    const data: TrainData = {
      task: 'classify',
      labels: dataset.labels,
      train: rows.filter((r) => r.split === 'train').map(example),
      validation: rows.filter((r) => r.split === 'validation').map(example),
    };
    if ([...data.train, ...data.validation].some((e) => e.label < 0)) {
      throw new TunebenchError('internal', `Dataset ${dataset.id} has a row whose label is not among its labels.`);
    }
    return data;
  }

  private insert(id: string, name: string, sourceName: string, blobPath: string, parsed: ParsedDataset): void {
    const count = (split: string) => parsed.splits.filter((s) => s === split).length;
    const { insertDataset, insertRow } = this.statements;
    this.db.transaction(() => {
      insertDataset.run({
        id,
        name,
        task: parsed.task,
        format: parsed.format,
        rowCount: parsed.examples.length,
        train: count('train'),
        validation: count('validation'),
        test: count('test'),
        textColumn: parsed.columns.text,
        labelColumn: parsed.columns.label,
        labels: JSON.stringify(parsed.labels),
        sourceName,
        bytes: parsed.bytes,
        sha256: parsed.sha256,
        blobPath,
        createdAt: new Date().toISOString(),
      });
      parsed.examples.forEach((e, i) => insertRow.run(id, i, parsed.splits[i], e.text, e.label));
    })();
  }
}

async function checkIsFile(filePath: string, sourceName: string): Promise<void> {
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(filePath);
  } catch {
    throw notFound(`No file at ${filePath}.`);
  }
  if (!stat.isFile()) throw badInput(`${sourceName} is not a file.`);
}

function toSummary(row: DatasetRow): DatasetSummary {
  const parsed = datasetSummarySchema.safeParse({
    id: row.id,
    name: row.name,
    task: row.task,
    format: row.format,
    rows: row.row_count,
    splits: { train: row.train_rows, validation: row.validation_rows, test: row.test_rows },
    columns: { text: row.text_column, label: row.label_column },
    labels: JSON.parse(row.labels),
    sourceName: row.source_name,
    bytes: row.bytes,
    sha256: row.sha256,
    createdAt: row.created_at,
  });
  if (!parsed.success) {
    throw new TunebenchError('internal', `Dataset ${row.id} in the database is malformed: ${parsed.error.issues[0].message}.`);
  }
  return parsed.data;
}
