// Shapes of what the services return: datasets, runs, metric series. Shared by main, the CLI's --json and the UI.
import { z } from 'zod';
import { BACKENDS, presetNameSchema, trainConfigSchema } from './config';
import {
  DATASET_FILE_FORMATS,
  DATASET_TASKS,
  mappingSchema,
  recipeSchema,
  removalsSchema,
  splitSpecSchema,
  testSourceSchema,
  TEXT_ENCODINGS,
} from './datasetTypes';
import { RUN_STATUSES, TASKS } from './protocol';

export const idSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'not a valid id');

export const DATASET_FORMATS = ['txt', 'csv', 'tsv', 'jsonl'] as const;

export const datasetSummarySchema = z.object({
  id: idSchema,
  name: z.string(),
  task: z.enum(DATASET_TASKS), // what the records are; pairs, instruction and chat train as generate
  trainTask: z.enum(TASKS), // what training sees
  format: z.enum(DATASET_FILE_FORMATS),
  encoding: z.enum(TEXT_ENCODINGS),
  rows: z.number().int(), // stored examples, all splits (a .txt file: non-empty lines, or paragraphs of a corpus)
  splits: z.object({ train: z.number().int(), validation: z.number().int(), test: z.number().int() }),
  split: splitSpecSchema, // how the rows were split
  columns: z.object({ text: z.string(), label: z.string().nullable() }), // source columns of the main text and label
  mapping: mappingSchema, // every role → source column, e.g. { prompt: 'question', completion: 'answer' }
  fields: z.array(z.string()), // every column of the source, in order
  labels: z.array(z.string()), // sorted distinct labels; [] without a label
  recipe: recipeSchema, // preprocessing applied before storing
  removed: removalsSchema, // source rows left out, by the step that removed them
  test: testSourceSchema.nullable(), // a test file attached after import
  sourceName: z.string(), // the imported file's (or folder's) base name
  bytes: z.number().int(), // size of the original file (a folder: all its .txt files)
  sha256: z.string(), // content address of the stored copy
  createdAt: z.string(), // ISO 8601
});
export type DatasetSummary = z.infer<typeof datasetSummarySchema>;

export const runSummarySchema = z.object({
  id: idSchema,
  datasetId: idSchema,
  datasetName: z.string(),
  task: z.enum(TASKS),
  preset: presetNameSchema,
  config: trainConfigSchema,
  status: z.enum(RUN_STATUSES),
  backend: z.enum(BACKENDS).nullable(), // null until the trainer has chosen one
  device: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  durationMs: z.number().nullable(),
  error: z.string().nullable(),
  lastStep: z.number().int(),
  /** Latest value of every metric, e.g. { loss, val_loss }. */
  metrics: z.record(z.string(), z.number()),
});
export type RunSummary = z.infer<typeof runSummarySchema>;

export const metricPointSchema = z.object({ step: z.number().int(), value: z.number() });
export type MetricPoint = z.infer<typeof metricPointSchema>;

export const runDetailSchema = runSummarySchema.extend({
  /** Every metric's full series, ordered by step. */
  series: z.record(z.string(), z.array(metricPointSchema)),
  checkpoints: z.array(z.object({ step: z.number().int(), path: z.string(), bytes: z.number().int() })),
  /** The run's log lines, oldest first (the last 1,000). */
  logs: z.array(z.object({ at: z.string(), level: z.enum(['info', 'warn', 'error']), message: z.string() })),
});
export type RunDetail = z.infer<typeof runDetailSchema>;

export const systemInfoSchema = z.object({
  version: z.string(),
  mode: z.enum(['electron', 'browser']),
  dataDir: z.string(),
});
export type SystemInfo = z.infer<typeof systemInfoSchema>;
