// Datasets of every task, with what is needed to reproduce them: the task beyond generate/classify, the column
// mapping, the source's columns, the preprocessing recipe, the split's ratios and seed, the rows each step removed,
// statistics, and an attached test file; each row keeps its source record, line and structured parts.
// `task` keeps meaning what training sees (generate or classify); `dataset_task` is what the records are.
import type { Migration } from './index';

const migration: Migration = {
  version: 2,
  name: 'dataset_details',
  up: `
    ALTER TABLE datasets ADD COLUMN dataset_task TEXT
      CHECK (dataset_task IN ('classify', 'generate', 'pairs', 'instruction', 'chat'));
    ALTER TABLE datasets ADD COLUMN encoding TEXT NOT NULL DEFAULT 'utf-8';
    ALTER TABLE datasets ADD COLUMN mapping TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(mapping));       -- role → column
    ALTER TABLE datasets ADD COLUMN field_names TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(field_names)); -- source columns
    ALTER TABLE datasets ADD COLUMN recipe TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(recipe));          -- preprocessing
    ALTER TABLE datasets ADD COLUMN split_spec TEXT NOT NULL DEFAULT '{"train":0.9,"validation":0.1,"test":0,"seed":null,"stratified":true}'
      CHECK (json_valid(split_spec));
    ALTER TABLE datasets ADD COLUMN removed TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(removed));        -- rows left out, by step
    ALTER TABLE datasets ADD COLUMN stats TEXT CHECK (stats IS NULL OR json_valid(stats));                 -- char-token statistics
    ALTER TABLE datasets ADD COLUMN test_source TEXT CHECK (test_source IS NULL OR json_valid(test_source));

    UPDATE datasets SET
      dataset_task = task,
      mapping = CASE WHEN label_column IS NULL THEN json_object('text', text_column)
                     ELSE json_object('text', text_column, 'label', label_column) END,
      field_names = CASE WHEN label_column IS NULL THEN json_array(text_column) ELSE json_array(text_column, label_column) END,
      split_spec = json_object('train', 0.9, 'validation', 0.1, 'test', 0, 'seed', NULL, 'stratified', json(CASE WHEN task = 'classify' THEN 'true' ELSE 'false' END));

    ALTER TABLE dataset_rows ADD COLUMN line INTEGER;                                                 -- where in the source, 1-based
    ALTER TABLE dataset_rows ADD COLUMN fields TEXT CHECK (fields IS NULL OR json_valid(fields));     -- the source record
    ALTER TABLE dataset_rows ADD COLUMN parts TEXT CHECK (parts IS NULL OR json_valid(parts));        -- pairs/instruction/chat
  `,
};

export default migration;
