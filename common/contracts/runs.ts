// Calls and events of the runs (training) domain.
import { z } from 'zod';
import { presetNameSchema } from '../config';
import { idSchema, runDetailSchema, runSummarySchema } from '../domain';
import { evalReportSchema, exportFormats, exportResultSchema, ggufQuants } from '../evaluation';

const empty = z.object({}).strict();
const runRef = z.object({ runId: idSchema }).strict();
const overrideValue = z.union([z.number(), z.string().max(100), z.boolean()]);

export const runCalls = {
  'runs.start': {
    input: z
      .object({
        datasetId: idSchema,
        preset: presetNameSchema.default('quick'),
        overrides: z.record(z.string().max(64), overrideValue).default({}),
      })
      .strict(),
    output: runSummarySchema,
  },
  'runs.list': { input: empty, output: z.array(runSummarySchema) },
  'runs.get': { input: runRef, output: runDetailSchema },
  'runs.pause': { input: runRef, output: runSummarySchema },
  'runs.resume': { input: runRef, output: runSummarySchema },
  'runs.cancel': { input: runRef, output: runSummarySchema },
  'runs.delete': { input: runRef, output: z.object({ deleted: idSchema }) },
  /** Trains a stopped run on from a checkpoint (the latest unless fromStep names one), continuing the same curve. */
  'runs.continue': { input: z.object({ runId: idSchema, fromStep: z.number().int().min(1).optional() }).strict(), output: runSummarySchema },
  /** Evaluates the run's model on its dataset's test split (validation when none), or on another dataset; stored. */
  'runs.evaluate': { input: z.object({ runId: idSchema, datasetId: idSchema.optional() }).strict(), output: evalReportSchema },
  /** Stored evaluation reports of a run, newest first. */
  'runs.evaluations': { input: runRef, output: z.array(evalReportSchema) },
  /** Writes the run's model to <dataDir>/exports/<run>-<format>/ (gguf: in `quant`, F16 by default). */
  'runs.export': { input: z.object({ runId: idSchema, format: z.enum(exportFormats), quant: z.enum(ggufQuants).optional() }).strict(), output: exportResultSchema },
} as const;

export const runEvents = {
  /** A run changed status, backend or latest metrics. */
  'runs.onDidUpdate': runSummarySchema,
  /** New metric points of one run, batched. */
  'runs.onDidMetrics': z.object({
    runId: idSchema,
    points: z.array(z.object({ step: z.number().int(), name: z.string(), value: z.number() })),
  }),
  /** A log line from a run's trainer. */
  'runs.onDidLog': z.object({ runId: idSchema, level: z.enum(['info', 'warn', 'error']), message: z.string() }),
  /** Progress of an evaluation, 0..1. */
  'runs.onDidEvalProgress': z.object({ runId: idSchema, fraction: z.number(), message: z.string() }),
} as const;
