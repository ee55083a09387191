// Shapes of evaluation reports and built-in models, shared by the services, the CLI's --json and the UI.
import { z } from 'zod';
import { TASKS } from './protocol';

/**
 * Where evaluated examples came from: a split of the run's dataset, another imported dataset, or the out-of-fold
 * predictions of a few-shot classifier that trained on every row ('cross-validation', with its number of folds).
 */
export const evalSourceSchema = z.object({
  datasetId: z.string(),
  datasetName: z.string(),
  split: z.enum(['test', 'validation', 'train', 'all', 'cross-validation']),
  folds: z.number().int().min(2).optional(),
});

export const classMetricsSchema = z.object({
  label: z.string(),
  precision: z.number(),
  recall: z.number(),
  f1: z.number(),
  support: z.number().int(), // true examples of this label
});
export type ClassMetrics = z.infer<typeof classMetricsSchema>;

export const classificationMetricsSchema = z.object({
  examples: z.number().int(),
  accuracy: z.number(), // 0..1
  macroF1: z.number(), // 0..1, unweighted mean over labels
  perClass: z.array(classMetricsSchema),
  /** confusion[i][j] = examples of true label i predicted as label j; labels in the order of `labels`. */
  labels: z.array(z.string()),
  confusion: z.array(z.array(z.number().int())),
  /** Wrong predictions, most confident first (at most 20). */
  mistakes: z.array(z.object({ text: z.string(), label: z.string(), predicted: z.string(), confidence: z.number() })),
});
export type ClassificationMetrics = z.infer<typeof classificationMetricsSchema>;

export const perplexitySchema = z.object({ loss: z.number(), perplexity: z.number(), tokens: z.number().int() });

export const generationMetricsSchema = z.object({
  examples: z.number().int(),
  /** The base model before fine-tuning; null for a model trained from scratch (no "before"). */
  base: perplexitySchema.nullable(),
  tuned: perplexitySchema,
  /** Prompts drawn from the held-out texts, continued by base and tuned with the same settings. */
  samples: z.array(z.object({ prompt: z.string(), base: z.string().nullable(), tuned: z.string() })),
});
export type GenerationMetrics = z.infer<typeof generationMetricsSchema>;

export const evalReportSchema = z.object({
  id: z.string(),
  runId: z.string(),
  createdAt: z.string(),
  source: evalSourceSchema,
  task: z.enum(TASKS),
  classification: classificationMetricsSchema.nullable(),
  generation: generationMetricsSchema.nullable(),
});
export type EvalReport = z.infer<typeof evalReportSchema>;

export const modelInfoSchema = z.object({
  id: z.string(), // a built-in base (BASE_MODELS) or an imported model's id (im-…)
  name: z.string(),
  kind: z.enum(['generator', 'encoder', 'scratch']), // generator: text continuation; encoder: classification base
  tasks: z.array(z.enum(TASKS)),
  parameters: z.number().int(),
  description: z.string(),
  license: z.string(),
  path: z.string().nullable(), // folder under resources/models (or <dataDir>/models for imported); null for scratch
  imported: z.boolean().optional(), // true for a folder the user imported (usable to generate, evaluate and compare)
  family: z.string().optional(), // a decoder's family label: Llama, Qwen2, Qwen3, Gemma 3, GPT-2
  bytes: z.number().int().optional(), // size of its weight files on disk
});
export type ModelInfo = z.infer<typeof modelInfoSchema>;

/**
 * safetensors: an HF folder (merged weights); tfjs: a weights manifest; adapter: a LoRA run's PEFT adapter folder;
 * gguf: model.gguf for llama.cpp / Ollama with a Modelfile, in one of ggufQuants (f16 unless asked).
 */
export const exportFormats = ['safetensors', 'tfjs', 'adapter', 'gguf'] as const;
export const ggufQuants = ['f16', 'q8_0', 'q4_k_m'] as const;
export type GgufQuant = (typeof ggufQuants)[number];
export const exportResultSchema = z.object({
  format: z.enum(exportFormats),
  dir: z.string(),
  files: z.array(z.object({ name: z.string(), bytes: z.number().int() })),
  /** gguf: the quantisation written. */
  quant: z.enum(ggufQuants).optional(),
  /** What the export could not write as asked (a tensor kept in F16, a setting llama.cpp does not read), one line each. */
  warnings: z.array(z.string()).optional(),
});
export type ExportResult = z.infer<typeof exportResultSchema>;
