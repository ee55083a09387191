// Calls and events of built-in models and the playground (try a model: generate text or classify it).
import { z } from 'zod';
import { idSchema } from '../domain';
import { modelInfoSchema } from '../evaluation';
import { classifyResultSchema, generateRequestSchema, generateResultSchema } from '../protocol';

const empty = z.object({}).strict();

/** A model from models.list (built-in or imported, by id), or the model a run trained (its last checkpoint). */
export const modelSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('builtin'), model: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/) }).strict(),
  z.object({ kind: z.literal('run'), runId: idSchema }).strict(),
]);
export type ModelSource = z.infer<typeof modelSourceSchema>;

export const modelCalls = {
  'models.list': { input: empty, output: z.array(modelInfoSchema) },
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
} as const;
