// Shapes of what the services return: datasets, runs, metric series. Shared by main, the CLI's --json and the UI.
import { z } from 'zod';
import { BACKENDS, presetNameSchema, trainConfigSchema } from './config';
import { RUN_STATUSES, TASKS } from './protocol';

export const idSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'not a valid id');

export const DATASET_FORMATS = ['txt', 'csv', 'tsv', 'jsonl'] as const;

export const datasetSummarySchema = z.object({
  id: idSchema,
  name: z.string(),
  task: z.enum(TASKS),
  format: z.enum(DATASET_FORMATS),
  rows: z.number().int(), // examples after parsing (a .txt corpus: non-empty lines)
  splits: z.object({ train: z.number().int(), validation: z.number().int(), test: z.number().int() }),
  columns: z.object({ text: z.string(), label: z.string().nullable() }), // source column names
  labels: z.array(z.string()), // sorted distinct labels; [] for generation
  sourceName: z.string(), // the imported file's base name
  bytes: z.number().int(), // size of the original file
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
});
export type RunDetail = z.infer<typeof runDetailSchema>;

export const systemInfoSchema = z.object({
  version: z.string(),
  mode: z.enum(['electron', 'browser']),
  dataDir: z.string(),
});
export type SystemInfo = z.infer<typeof systemInfoSchema>;
