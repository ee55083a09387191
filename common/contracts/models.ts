// Calls and events of built-in models and the playground (try a model: generate text or classify it).
import { z } from 'zod';
import { CACHED_MODEL_ID } from '../config';
import { idSchema } from '../domain';
import { modelInfoSchema } from '../evaluation';
import { classifyResultSchema, generateRequestSchema, generateResultSchema } from '../protocol';

const empty = z.object({}).strict();

/** A model from models.list (built-in, imported or cached, by id), or the model a run trained (its last checkpoint). */
export const modelSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('builtin'), model: z.union([z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/), z.string().regex(CACHED_MODEL_ID).refine((id) => !id.includes('..'))]) }).strict(),
  z.object({ kind: z.literal('run'), runId: idSchema }).strict(),
]);
export type ModelSource = z.infer<typeof modelSourceSchema>;

/**
 * A model as models.list gives it: where it comes from, and for one in the Hugging Face cache its repository,
 * revision and commit; a cached model Tunebench cannot run is listed with `runnable: false` and the reason.
 */
export const listedModelSchema = modelInfoSchema.extend({
  source: z.enum(['builtin', 'imported', 'hf-cache']).optional(),
  runnable: z.boolean().optional(),
  reason: z.string().optional(),
  repo: z.string().optional(),
  revision: z.string().optional(),
  commit: z.string().optional(),
});
export type ListedModel = z.infer<typeof listedModelSchema>;

/** org/name on the Hub (or a legacy bare name), and an optional branch, tag or commit. */
const repoNameSchema = z.string().regex(/^(?:[A-Za-z0-9][\w.-]{0,95}\/)?[A-Za-z0-9][\w.-]{0,95}$/).refine((r) => !r.includes('..') && !r.includes('--'), 'not a model name');
const revisionSchema = z.string().regex(/^[\w][\w./-]{0,127}$/).refine((r) => !r.includes('..'), 'not a revision');
const requestIdSchema = z.string().regex(/^[A-Za-z0-9-]{1,64}$/);

/** A download's progress: bytes of every file it needs (what the cache had counts as done), speed and ETA. */
export const pullProgressSchema = z.object({
  requestId: z.string(),
  repo: z.string(),
  phase: z.enum(['checking', 'downloading', 'verifying', 'done']),
  file: z.string().nullable(), // the file being downloaded
  bytes: z.number(),
  totalBytes: z.number(),
  bytesPerSecond: z.number(),
  etaSeconds: z.number().nullable(),
  filesDone: z.number().int(),
  files: z.number().int(),
});
export type PullProgress = z.infer<typeof pullProgressSchema>;

export const hubModelSchema = z.object({
  repo: z.string(), // org/name
  downloads: z.number(),
  likes: z.number(),
  gated: z.boolean(),
  task: z.string().nullable(),
});
export type HubModel = z.infer<typeof hubModelSchema>;

export const modelCalls = {
  'models.list': { input: empty, output: z.array(listedModelSchema) },
  /**
   * Downloads a model by name from the Hub (HF_ENDPOINT, HF_TOKEN) into the Hugging Face cache, only the files it
   * needs, resuming what an earlier pull left; progress as models.onDidPullProgress events tagged with requestId.
   */
  'models.pull': {
    input: z.object({ requestId: requestIdSchema, repo: repoNameSchema, revision: revisionSchema.optional() }).strict(),
    output: listedModelSchema,
  },
  /** Text-generation models on the Hub (HF_ENDPOINT) whose name contains the query, most downloaded first. */
  'models.search': { input: z.object({ query: z.string().trim().min(2).max(100) }).strict(), output: z.array(hubModelSchema) },
  /** Stops a pull; what it downloaded stays in the cache, and pulling again resumes it. */
  'models.cancelPull': { input: z.object({ requestId: requestIdSchema }).strict(), output: z.object({ cancelled: z.boolean() }) },
  /** Streams tokens as playground.onDidToken events tagged with requestId, then returns the whole result. */
  'playground.generate': {
    input: z
      .object({ requestId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/), source: modelSourceSchema, request: generateRequestSchema })
      .strict(),
    output: generateResultSchema,
  },
  /** Imports a Hugging Face-style folder (config.json + model.safetensors + tokenizer) by path (desktop app only). */
  'models.import': {
    input: z.object({ path: z.string().min(1).max(4096), name: z.string().min(1).max(200).optional() }).strict(),
    output: modelInfoSchema,
  },
  'playground.classify': {
    input: z.object({ runId: idSchema, texts: z.array(z.string().max(20_000)).min(1).max(64) }).strict(),
    output: classifyResultSchema,
  },
} as const;

export const modelEvents = {
  'playground.onDidToken': z.object({ requestId: z.string(), text: z.string() }),
  'models.onDidPullProgress': pullProgressSchema,
} as const;
