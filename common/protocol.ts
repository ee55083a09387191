// Messages between the trainer host (main) and the trainer process. A discriminated union on `type`, validated on
// both sides with these schemas: the trainer is a separate process and could be any version.
import { z } from 'zod';
import { BACKENDS, trainConfigSchema } from './config';

export const TASKS = ['generate', 'classify'] as const;
export type Task = (typeof TASKS)[number];

const promptLengths = z.array(z.number().int().min(0));

/**
 * What the trainer learns from: texts for next-token prediction, or (text, label index) pairs. Texts written from
 * prompt → completion records (pairs, instructions, chats) carry `promptChars`: how many characters (JavaScript
 * string length) at the start of each text are prompt, one per text of each split; the loss then counts only the
 * rest (the completion) and the end token after it. Without it every token is trained.
 */
export const trainDataSchema = z.discriminatedUnion('task', [
  z
    .object({
      task: z.literal('generate'),
      train: z.array(z.string()),
      validation: z.array(z.string()),
      promptChars: z.object({ train: promptLengths, validation: promptLengths }).optional(),
    })
    .superRefine((d, ctx) => {
      for (const split of ['train', 'validation'] as const) {
        const lengths = d.promptChars?.[split];
        if (!lengths) continue;
        if (lengths.length !== d[split].length) ctx.addIssue({ code: 'custom', path: ['promptChars', split], message: `has ${lengths.length} entries for ${d[split].length} texts` });
        else if (lengths.some((n, i) => n > d[split][i].length)) ctx.addIssue({ code: 'custom', path: ['promptChars', split], message: 'names a prompt longer than its text' });
      }
    }),
  z.object({
    task: z.literal('classify'),
    labels: z.array(z.string()).min(2),
    train: z.array(z.object({ text: z.string(), label: z.number().int().min(0) })),
    validation: z.array(z.object({ text: z.string(), label: z.number().int().min(0) })),
  }),
]);
export type TrainData = z.infer<typeof trainDataSchema>;

/**
 * A trained or built-in model, by where its files are: a run's checkpoint file (step-NNNNNN.safetensors, or a folder
 * a few-shot run wrote), or a built-in base model's folder under resources/models/.
 */
export const modelRefSchema = z.object({
  kind: z.enum(['checkpoint', 'builtin']),
  path: z.string(),
  basePath: z.string().optional(), // a checkpoint's built-in base folder (vectors, tokenizer) when it needs one
});
export type ModelRef = z.infer<typeof modelRefSchema>;

export const generateRequestSchema = z.object({
  prompt: z.string().max(20_000),
  maxTokens: z.number().int().min(1).max(4096).default(128),
  temperature: z.number().min(0).max(5).default(0), // 0 = greedy
  topK: z.number().int().min(0).max(100_000).default(0), // 0 = off
  topP: z.number().gt(0).max(1).default(1), // 1 = off
  stop: z.array(z.string().min(1).max(200)).max(8).default([]), // generation ends before the first of these
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(1337),
});
export type GenerateRequest = z.infer<typeof generateRequestSchema>;

export const generateResultSchema = z.object({
  text: z.string(), // the generated continuation only (not the prompt)
  tokens: z.number().int(), // generated tokens
  stopReason: z.enum(['maxTokens', 'eos', 'stop', 'context']),
});
export type GenerateResult = z.infer<typeof generateResultSchema>;

export const classifyResultSchema = z.object({
  labels: z.array(z.string()),
  probs: z.array(z.array(z.number())), // one row per text, one column per label, rows sum to 1
});
export type ClassifyResult = z.infer<typeof classifyResultSchema>;

// host → trainer
export const hostMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('start'),
    runId: z.string(),
    config: trainConfigSchema,
    data: trainDataSchema,
    checkpointDir: z.string(), // absolute folder the trainer may write checkpoint files into
    basePath: z.string().optional(), // absolute folder of the built-in base model's files, when config.base ≠ scratch
    /** Continue a run after this checkpoint's step instead of starting from random weights. */
    resumeFrom: z.object({ checkpoint: z.string(), step: z.number().int().min(1) }).optional(),
  }),
  // Inference: a trainer process started for these handles requests one at a time until `close` (or the host leaves).
  z.object({ type: z.literal('generate'), requestId: z.string(), model: modelRefSchema, request: generateRequestSchema }),
  z.object({ type: z.literal('classify'), requestId: z.string(), model: modelRefSchema, texts: z.array(z.string()).min(1) }),
  /** Mean next-token loss over texts (perplexity = exp(loss)), for before/after comparisons. */
  z.object({ type: z.literal('score'), requestId: z.string(), model: modelRefSchema, texts: z.array(z.string()).min(1) }),
  z.object({ type: z.literal('close') }),
  z.object({ type: z.literal('pause') }),
  z.object({ type: z.literal('resume') }),
  z.object({ type: z.literal('cancel') }),
]);
export type HostMessage = z.infer<typeof hostMessageSchema>;

export const RUN_STATUSES = ['queued', 'running', 'paused', 'completed', 'failed', 'cancelled', 'interrupted'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const FINISHED_STATUSES: readonly RunStatus[] = ['completed', 'failed', 'cancelled', 'interrupted'];

// trainer → host
export const trainerMessageSchema = z.discriminatedUnion('type', [
  /** Sent once the backend is chosen; `device` is a human description (e.g. "CPU, WebAssembly SIMD"). */
  z.object({ type: z.literal('backend'), backend: z.enum(BACKENDS), device: z.string(), tried: z.array(z.string()) }),
  z.object({ type: z.literal('status'), status: z.enum(['running', 'paused']), message: z.string().optional() }),
  /** Metric points for one step, e.g. { loss, lr, grad_norm, tokens_per_s } or { val_loss, val_accuracy }. */
  z.object({ type: z.literal('metrics'), step: z.number().int().min(0), values: z.record(z.string(), z.number()) }),
  z.object({ type: z.literal('checkpoint'), step: z.number().int().min(0), path: z.string(), bytes: z.number().int().min(0) }),
  z.object({ type: z.literal('log'), level: z.enum(['info', 'warn', 'error']), message: z.string() }),
  /** Terminal: training ended normally (all steps) or after a cancel. */
  z.object({ type: z.literal('done'), status: z.enum(['completed', 'cancelled']), step: z.number().int().min(0) }),
  // Inference replies, matched to their request by requestId.
  z.object({ type: z.literal('token'), requestId: z.string(), text: z.string() }), // one generated token, streamed
  z.object({ type: z.literal('generated'), requestId: z.string(), result: generateResultSchema }),
  z.object({ type: z.literal('classified'), requestId: z.string(), result: classifyResultSchema }),
  z.object({ type: z.literal('scored'), requestId: z.string(), loss: z.number(), tokens: z.number().int() }),
  /** A request failed; the inference process stays up for the next one. */
  z.object({ type: z.literal('failed'), requestId: z.string(), message: z.string() }),
  /** Terminal: the run failed; the process exits after sending it. */
  z.object({ type: z.literal('error'), message: z.string(), stack: z.string().optional() }),
]);
export type TrainerMessage = z.infer<typeof trainerMessageSchema>;
