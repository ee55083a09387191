// Calls and events of the runs (training) domain.
import { z } from 'zod';
import { presetNameSchema } from '../config';
import { idSchema, runDetailSchema, runSummarySchema } from '../domain';

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
} as const;
