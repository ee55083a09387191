// Messages between the trainer host (main) and the trainer process. A discriminated union on `type`, validated on
// both sides with these schemas: the trainer is a separate process and could be any version.
import { z } from 'zod';
import { BACKENDS, trainConfigSchema } from './config';

export const TASKS = ['generate', 'classify'] as const;
export type Task = (typeof TASKS)[number];

/** What the trainer learns from: texts for next-token prediction, or (text, label index) pairs. */
export const trainDataSchema = z.discriminatedUnion('task', [
  z.object({ task: z.literal('generate'), train: z.array(z.string()), validation: z.array(z.string()) }),
  z.object({
    task: z.literal('classify'),
    labels: z.array(z.string()).min(2),
    train: z.array(z.object({ text: z.string(), label: z.number().int().min(0) })),
    validation: z.array(z.object({ text: z.string(), label: z.number().int().min(0) })),
  }),
]);
export type TrainData = z.infer<typeof trainDataSchema>;

// host → trainer
export const hostMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('start'),
    runId: z.string(),
    config: trainConfigSchema,
    data: trainDataSchema,
    checkpointDir: z.string(), // absolute folder the trainer may write checkpoint files into
  }),
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
  /** Terminal: the run failed; the process exits after sending it. */
  z.object({ type: z.literal('error'), message: z.string(), stack: z.string().optional() }),
]);
export type TrainerMessage = z.infer<typeof trainerMessageSchema>;
