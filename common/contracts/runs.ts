// Calls and events of the runs (training) domain.
import { z } from 'zod';
import { BACKENDS, presetNameSchema } from '../config';
import { idSchema, runDetailSchema, runSummarySchema } from '../domain';
import { evalReportSchema, exportFormats, exportResultSchema, ggufQuants } from '../evaluation';

const empty = z.object({}).strict();
const runRef = z.object({ runId: idSchema }).strict();
const overrideValue = z.union([z.number(), z.string().max(100), z.boolean()]);

const bytes = z.number().min(0);

/** A run's memory and time estimate (common/estimate.ts) on the backend it will use; refusal: why it would not start. */
export const runEstimateSchema = z.object({
  parameters: z.number().int(),
  trainedParameters: z.number().int(),
  tokensPerStep: z.number().int(),
  memory: z.object({ baseline: bytes, weights: bytes, gradients: bytes, optimizer: bytes, activations: bytes, adamScratch: bytes, checkpoint: bytes, inBackend: bytes, total: bytes }),
  ceiling: z.object({ bytes, what: z.string() }),
  fits: z.boolean(),
  flopsPerStep: z.number(),
  secondsPerStep: z.number(),
  throughput: z.object({ flopsPerSecond: z.number(), basis: z.string() }),
  backend: z.enum(BACKENDS),
  refusal: z.string().nullable(),
});

export const runCalls = {
  /**
   * What runs.start would train (the few-shot preset's choice on the dataset included) and its memory and time
   * estimate, without starting anything; estimate null for a base it does not size (scratch, GloVe).
   */
  'runs.estimate': {
    input: z
      .object({
        datasetId: idSchema.optional(),
        preset: presetNameSchema.default('quick'),
        overrides: z.record(z.string().max(64), overrideValue).default({}),
      })
      .strict(),
    output: z.object({ estimate: runEstimateSchema.nullable(), lines: z.array(z.string()) }),
  },
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
