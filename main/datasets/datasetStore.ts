// The datasets and their rows in the main database: the one-transaction copy from a staging file (ATTACH, then
// INSERT … SELECT, so rows never pass through JavaScript), reads of summaries and pages of rows, and statistics
// computed over stored rows. Every write here is synchronous: no transaction is ever open across an await.
import type Database from 'better-sqlite3';
import { datasetStatsSchema, type DatasetStats, type PreviewRow, type TokenizerName } from '../../common/datasetTypes';
import type { DatasetSummary } from '../../common/domain';
import { notFound } from '../../common/result';
import { toSummary, type DatasetRow } from './datasetRow';
import { computeStats } from './stats';
import { registerTextFunctions } from './textKeys';

const NEWEST_FIRST = 'ORDER BY created_at DESC, rowid DESC';

/** The datasets row to insert, less the counts that come from the staged rows. */
export type NewDataset = Omit<DatasetRow, 'row_count' | 'train_rows' | 'validation_rows' | 'test_rows'>;

export class DatasetStore {
  private readonly statements;

  constructor(private readonly db: Database.Database) {
    registerTextFunctions(db);
    this.statements = {
      list: db.prepare<[], DatasetRow>(`SELECT * FROM datasets ${NEWEST_FIRST}`),
      byId: db.prepare<[string], DatasetRow>('SELECT * FROM datasets WHERE id = ?'),
      byName: db.prepare<[string], DatasetRow>(`SELECT * FROM datasets WHERE name = ? ${NEWEST_FIRST} LIMIT 1`),
      usesBlob: db.prepare<[string, string], { one: number }>(
        "SELECT 1 AS one FROM datasets WHERE sha256 = ? OR json_extract(test_source, '$.sha256') = ? LIMIT 1",
      ),
      page: db.prepare<[string, number, number], { line: number | null; split: string; text: string; label: string | null; parts: string | null; fields: string | null }>(
        'SELECT line, split, text, label, parts, fields FROM dataset_rows WHERE dataset_id = ? ORDER BY idx LIMIT ? OFFSET ?',
      ),
      trainRows: db.prepare<[string], { split: string; text: string; label: string | null; parts: string | null }>(
        "SELECT split, text, label, parts FROM dataset_rows WHERE dataset_id = ? AND split IN ('train', 'validation') ORDER BY idx",
      ),
      splitRows: db.prepare<[string, string], { split: string; text: string; label: string | null; parts: string | null }>(
        'SELECT split, text, label, parts FROM dataset_rows WHERE dataset_id = ? AND split = ? ORDER BY idx',
      ),
    };
  }

  list(): DatasetSummary[] {
    return this.statements.list.all().map(toSummary);
  }

  /** By id, or by exact name (the newest of that name). */
  row(ref: string): DatasetRow {
    const row = this.statements.byId.get(ref) ?? this.statements.byName.get(ref);
    if (!row) throw notFound(`No dataset '${ref}'; see \`tunebench datasets list\`.`);
    return row;
  }

  usesBlob(sha256: string): boolean {
    return this.statements.usesBlob.get(sha256, sha256) !== undefined;
  }

  /** Copies the kept staged rows and the dataset's row in one transaction. */
  insertFromStaging(dataset: NewDataset, stagingPath: string): void {
    this.withStaging(stagingPath, () => {
      const counts = this.db
        .prepare(
          `SELECT (SELECT count(*) FROM staging.meta WHERE removed IS NULL) AS n,
                  (SELECT count(*) FROM staging.held WHERE split = 'validation') AS validation,
                  (SELECT count(*) FROM staging.held WHERE split = 'test') AS test`,
        )
        .get() as { n: number; validation: number; test: number };
      const columns = Object.keys(dataset);
      this.db
        .prepare(
          `INSERT INTO datasets (${columns.join(', ')}, row_count, train_rows, validation_rows, test_rows)
           VALUES (${columns.map((c) => `@${c}`).join(', ')}, @n, @train, @validation, @test)`,
        )
        .run({ ...dataset, ...counts, train: counts.n - counts.validation - counts.test });
      this.copyRows(dataset.id, 0);
    });
  }

  /** Appends an attached test file's staged rows (all `test`) after the dataset's rows, in one transaction. */
  appendTestFromStaging(datasetId: string, testSource: object, stagingPath: string): void {
    this.withStaging(stagingPath, () => {
      const { next } = this.db.prepare('SELECT coalesce(max(idx) + 1, 0) AS next FROM dataset_rows WHERE dataset_id = ?').get(datasetId) as { next: number };
      const added = this.copyRows(datasetId, next);
      this.db
        .prepare('UPDATE datasets SET test_rows = test_rows + ?, row_count = row_count + ?, test_source = ? WHERE id = ?')
        .run(added, added, JSON.stringify(testSource), datasetId);
    });
  }

  page(datasetId: string, offset: number, limit: number): PreviewRow[] {
    return this.statements.page.all(datasetId, limit, offset).map((r) => ({
      line: r.line ?? 0,
      text: r.text,
      label: r.label,
      parts: r.parts ? JSON.parse(r.parts) : null,
      fields: r.fields ? JSON.parse(r.fields) : {},
      split: r.split as PreviewRow['split'],
    }));
  }

  /** Train and validation rows in stored order (never the test split). */
  trainRows(datasetId: string) {
    return this.statements.trainRows.all(datasetId);
  }

  /** Rows of one split ('train', 'validation' or 'test'), in stored order. */
  splitRows(datasetId: string, split: string) {
    return this.statements.splitRows.all(datasetId, split);
  }

  /** Stored statistics when they match the request, else computed now over the stored rows (one SQL pass each). */
  stats(row: DatasetRow, tokenizer: TokenizerName, maxTokens: number): DatasetStats {
    const stored = row.stats ? datasetStatsSchema.safeParse(JSON.parse(row.stats)) : null;
    if (stored?.success && stored.data.tokenizer === tokenizer && stored.data.maxTokens === maxTokens) return stored.data;
    const removed = JSON.parse(row.removed) as { empty?: number };
    return computeStats(
      this.db,
      { from: 'dataset_rows', where: 'dataset_id = ?', params: [row.id], exactKey: 'tb_exact(text)', nearKey: 'tb_near(text)', length: 'tb_len(text, ?)' },
      { tokenizer, maxTokens, labels: JSON.parse(row.labels), emptyRows: removed.empty ?? 0 },
    );
  }

  private copyRows(datasetId: string, firstIdx: number): number {
    return this.db
      .prepare(
        `INSERT INTO dataset_rows (dataset_id, idx, split, text, label, line, fields, parts)
         SELECT ?, ? + row_number() OVER (ORDER BY m.idx) - 1, coalesce(h.split, 'train'), b.text, m.label, b.line, b.fields, b.parts
         FROM staging.meta AS m JOIN staging.body AS b ON b.idx = m.idx LEFT JOIN staging.held AS h ON h.idx = m.idx
         WHERE m.removed IS NULL ORDER BY m.idx`,
      )
      .run(datasetId, firstIdx).changes;
  }

  /** ATTACH outside any transaction (SQLite requires it), `write` inside one IMMEDIATE transaction, then DETACH. */
  private withStaging(stagingPath: string, write: () => void): void {
    this.db.prepare('ATTACH DATABASE ? AS staging').run(stagingPath);
    try {
      this.db.transaction(write).immediate();
    } finally {
      this.db.exec('DETACH DATABASE staging');
    }
  }
}
