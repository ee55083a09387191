// Calls and events of the datasets domain.
import { z } from 'zod';
import { datasetSummarySchema } from '../domain';

export const importSourceSchema = z.discriminatedUnion('kind', [
  /** A file on this machine (Electron: from webUtils.getPathForFile). Refused by the browser-mode host. */
  z.object({ kind: z.literal('path'), path: z.string().min(1).max(4096) }).strict(),
  /** A file the browser uploaded to the browser-mode host first (POST /api/upload). */
  z.object({ kind: z.literal('upload'), uploadId: z.string().regex(/^[a-f0-9]{32}$/), fileName: z.string().min(1).max(255) }).strict(),
]);
export type ImportSource = z.infer<typeof importSourceSchema>;

const empty = z.object({}).strict();

export const datasetCalls = {
  'datasets.import': {
    input: z.object({ source: importSourceSchema, name: z.string().min(1).max(200).optional() }).strict(),
    output: datasetSummarySchema,
  },
  'datasets.list': { input: empty, output: z.array(datasetSummarySchema) },
} as const;

export const datasetEvents = {
  /** Progress of a dataset import, in bytes read. */
  'datasets.onDidProgress': z.object({ fileName: z.string(), bytesRead: z.number(), totalBytes: z.number() }),
} as const;
