// Migration 002 on a database written before it: old datasets keep working and read with sensible details.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { migrate } from '../../main/db/database';
import { MIGRATIONS } from '../../main/db/migrations';
import { DatasetService } from '../../main/services/datasetService';

let dir: string;
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

it('fills in the task, mapping, columns and split of datasets imported before it', () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunebench-mig-'));
  const db = new Database(path.join(dir, 'tunebench.db'));
  migrate(db, MIGRATIONS.slice(0, 1));
  db.exec(`
    INSERT INTO datasets VALUES ('ds-00000001', 'old', 'classify', 'csv', 3, 2, 1, 0, 'review', 'label', '["neg","pos"]', 'old.csv', 30, 'ab', 'blobs/ab/ab', '2024-01-01T00:00:00Z');
    INSERT INTO dataset_rows VALUES ('ds-00000001', 0, 'train', 'good', 'pos'), ('ds-00000001', 1, 'train', 'bad', 'neg'), ('ds-00000001', 2, 'validation', 'fine', 'pos');
  `);
  migrate(db, MIGRATIONS);
  const service = new DatasetService(db, dir);
  expect(service.get('ds-00000001')).toMatchObject({
    task: 'classify',
    trainTask: 'classify',
    mapping: { text: 'review', label: 'label' },
    fields: ['review', 'label'],
    split: { train: 0.9, validation: 0.1, test: 0, seed: null, stratified: true },
    recipe: { lowercase: false, dedupe: 'none' },
    removed: { empty: 0, dedupe: 0 },
    test: null,
  });
  expect(service.loadTrainData('ds-00000001')).toEqual({ task: 'classify', labels: ['neg', 'pos'], train: [{ text: 'good', label: 1 }, { text: 'bad', label: 0 }], validation: [{ text: 'fine', label: 1 }] });
  const shown = service.show('ds-00000001');
  expect(shown.stats).toMatchObject({ rows: 3, labelCounts: [{ label: 'neg', count: 1 }, { label: 'pos', count: 2 }] });
  expect(shown.rows[0]).toEqual({ line: 0, text: 'good', label: 'pos', parts: null, fields: {}, split: 'train' });
  db.close();
});
