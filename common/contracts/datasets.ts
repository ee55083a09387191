// Calls and events of the datasets domain.
import { z } from 'zod';
import {
  DATASET_FILE_FORMATS,
  DATASET_TASKS,
  datasetStatsSchema,
  DELIMITERS,
  mappingSchema,
  parseOptionsShape,
  previewRowSchema,
  recipeSchema,
  REMOVAL_STEPS,
  seedSchema,
  splitRatiosSchema,
  TEXT_ENCODINGS,
  TOKENIZER_NAMES,
} from '../datasetTypes';
import { datasetSummarySchema, idSchema } from '../domain';

export const importSourceSchema = z.discriminatedUnion('kind', [
  /** A file or folder on this machine (Electron: from webUtils.getPathForFile). Refused by the browser-mode host. */
  z.object({ kind: z.literal('path'), path: z.string().min(1).max(4096) }).strict(),
  /** A file the browser uploaded to the browser-mode host first (POST /api/upload). Inspecting keeps the upload. */
  z.object({ kind: z.literal('upload'), uploadId: z.string().regex(/^[a-f0-9]{32}$/), fileName: z.string().min(1).max(255) }).strict(),
]);
export type ImportSource = z.infer<typeof importSourceSchema>;

/** Chosen by the caller so it can cancel the import (`datasets.cancelImport`) before the call returns. */
export const importIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, - and _ only');

const empty = z.object({}).strict();
const fileInput = { source: importSourceSchema, importId: importIdSchema.optional(), ...parseOptionsShape };

const inspectOutput = z.object({
  fileName: z.string(),
  format: z.enum(DATASET_FILE_FORMATS),
  encoding: z.enum(TEXT_ENCODINGS),
  delimiter: z.enum(DELIMITERS).nullable(), // CSV/TSV only
  header: z.boolean().nullable(), // CSV/TSV only: whether the first row named the columns
  txtMode: z.enum(['lines', 'corpus']).nullable(), // .txt only
  fields: z.array(z.string()), // source columns, in order
  task: z.enum(DATASET_TASKS), // the task the import would use (detected, or as asked)
  mapping: mappingSchema, // role → column the import would use
  detected: z.object({ task: z.enum(DATASET_TASKS), mapping: mappingSchema }), // what detection alone chose
  labels: z.array(z.string()),
  rows: z.number().int(), // rows that would be stored (before preprocessing)
  stats: datasetStatsSchema,
  preview: z.array(previewRowSchema), // the first rows
  bytes: z.number().int(),
  sha256: z.string(),
});

export const datasetCalls = {
  /** Parse, validate and store a dataset; `{source, name}` alone imports with everything detected. */
  'datasets.import': {
    input: z
      .object({
        ...fileInput,
        name: z.string().min(1).max(200).optional(),
        recipe: recipeSchema.partial().optional(),
        split: splitRatiosSchema.optional(), // default 0.9 / 0.1 / 0
        seed: seedSchema.optional(), // default: derived from the file's sha256
      })
      .strict(),
    output: datasetSummarySchema,
  },
  'datasets.list': { input: empty, output: z.array(datasetSummarySchema) },
  /** Parse a file without importing it: what the import would detect, its statistics and first rows. */
  'datasets.inspect': {
    input: z.object({ ...fileInput, tokenizer: z.enum(TOKENIZER_NAMES).optional(), maxTokens: z.number().int().min(1).optional() }).strict(),
    output: inspectOutput,
  },
  /** What a preprocessing recipe would do to a file: rows each step removes, the first rows before and after. */
  'datasets.previewRecipe': {
    input: z.object({ ...fileInput, recipe: recipeSchema.partial() }).strict(),
    output: z.object({
      recipe: recipeSchema,
      rowsBefore: z.number().int(), // rows with text in the source
      rowsAfter: z.number().int(),
      removed: z.array(z.object({ step: z.enum(REMOVAL_STEPS), rows: z.number().int() })),
      // the first rows: `after` is null when a step removed the row, and `removedBy` names it
      preview: z.array(
        z.object({ line: z.number().int(), before: z.string(), after: z.string().nullable(), removedBy: z.enum(REMOVAL_STEPS).nullable() }),
      ),
    }),
  },
  /** A stored dataset: summary, statistics for a tokenizer, and a page of rows. */
  'datasets.show': {
    input: z
      .object({
        datasetId: idSchema,
        tokenizer: z.enum(TOKENIZER_NAMES).optional(), // default char
        maxTokens: z.number().int().min(1).optional(), // what counts as over-long; default 512
        offset: z.number().int().min(0).optional(),
        limit: z.number().int().min(0).max(500).optional(), // default 20
      })
      .strict(),
    output: z.object({ summary: datasetSummarySchema, stats: datasetStatsSchema, rows: z.array(previewRowSchema) }),
  },
  /** Adds a separate test file to a dataset without a test split; its rows get the dataset's mapping and recipe. */
  'datasets.attachTest': {
    input: z.object({ ...fileInput, datasetId: idSchema }).strict(),
    output: datasetSummarySchema,
  },
  /** Stops a running import, inspect or preview by the importId it was given (or that its progress events carry). */
  'datasets.cancelImport': {
    input: z.object({ importId: importIdSchema }).strict(),
    output: z.object({ cancelled: z.boolean() }), // false: nothing by that id was running
  },
} as const;

export const datasetEvents = {
  /** Progress of a dataset import, inspect or preview, in bytes read. */
  'datasets.onDidProgress': z.object({
    fileName: z.string(),
    bytesRead: z.number(),
    totalBytes: z.number(),
    importId: importIdSchema.optional(),
    phase: z.enum(['reading', 'writing']).optional(), // writing: copying the rows into the database
  }),
} as const;
