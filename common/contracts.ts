// The single source of every call into main and every event out of it. The preload's allowlist, main's handlers,
// the WebSocket server and the renderer's client are all derived from these two tables; a test keeps them in step.
import { z } from 'zod';
import { presetNameSchema } from './config';
import { datasetSummarySchema, idSchema, runDetailSchema, runSummarySchema, systemInfoSchema } from './domain';

export { CHANNEL_PREFIX } from './channels';

const empty = z.object({}).strict();
const runRef = z.object({ runId: idSchema }).strict();
const overrideValue = z.union([z.number(), z.string().max(100), z.boolean()]);

export const importSourceSchema = z.discriminatedUnion('kind', [
  /** A file on this machine (Electron: from webUtils.getPathForFile). Refused by the browser-mode host. */
  z.object({ kind: z.literal('path'), path: z.string().min(1).max(4096) }).strict(),
  /** A file the browser uploaded to the browser-mode host first (POST /api/upload). */
  z.object({ kind: z.literal('upload'), uploadId: z.string().regex(/^[a-f0-9]{32}$/), fileName: z.string().min(1).max(255) }).strict(),
]);
export type ImportSource = z.infer<typeof importSourceSchema>;

export const calls = {
  'system.info': { input: empty, output: systemInfoSchema },
  'datasets.import': {
    input: z.object({ source: importSourceSchema, name: z.string().min(1).max(200).optional() }).strict(),
    output: datasetSummarySchema,
  },
  'datasets.list': { input: empty, output: z.array(datasetSummarySchema) },
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
} as const;

export type CallName = keyof typeof calls;
export type CallInput<C extends CallName> = z.input<(typeof calls)[C]['input']>;
export type CallOutput<C extends CallName> = z.infer<(typeof calls)[C]['output']>;
export const CALL_NAMES = Object.keys(calls) as CallName[];

export const events = {
  /** A run changed status, backend or latest metrics. */
  'runs.onDidUpdate': runSummarySchema,
  /** New metric points of one run, batched. */
  'runs.onDidMetrics': z.object({
    runId: idSchema,
    points: z.array(z.object({ step: z.number().int(), name: z.string(), value: z.number() })),
  }),
  /** A log line from a run's trainer. */
  'runs.onDidLog': z.object({ runId: idSchema, level: z.enum(['info', 'warn', 'error']), message: z.string() }),
  /** Progress of a dataset import, in bytes read. */
  'datasets.onDidProgress': z.object({ fileName: z.string(), bytesRead: z.number(), totalBytes: z.number() }),
} as const;

export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]>;
export const EVENT_NAMES = Object.keys(events) as EventName[];

/** The API the renderer sees, identical in Electron (window.workbench) and in browser mode (WebSocket client). */
export interface WorkbenchApi {
  call<C extends CallName>(name: C, input: CallInput<C>): Promise<import('./result').Result<CallOutput<C>>>;
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** What the Electron preload exposes as `window.workbench`: the API plus the dropped file's path on disk. */
export interface DesktopBridge extends WorkbenchApi {
  pathForFile(file: File): string;
}
