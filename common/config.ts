// Training configuration: one flat object of defaults, validated by zod, with named presets. The resolved config is
// stored with the run so it can be reproduced. Every field can be overridden (`--set key=value`, the Model screen).
import { z } from 'zod';
import { badInput } from './result';

export const BACKENDS = ['tensorflow', 'webgpu', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

const int = (min: number, max: number) => z.number().int().min(min).max(max);

/** What training starts from: random weights, or a built-in pretrained base (resources/models/<id>). */
export const BASE_MODELS = ['scratch', 'glove-6b-100d', 'stories260k'] as const;
export type BaseModel = (typeof BASE_MODELS)[number];
/** An imported model's id (`tunebench models import`): a folder of any decoder family, fine-tuned like stories260k. */
export const IMPORTED_MODEL_ID = /^im-[0-9a-f]{8}$/;
export const isImportedModel = (id: string): boolean => IMPORTED_MODEL_ID.test(id);
/** A model in the Hugging Face cache, used in place: `hf:org/name` (its refs/main), `hf:org/name@revision`. */
export const CACHED_MODEL_ID = /^hf:(?:[A-Za-z0-9][\w.-]{0,95}\/)?[A-Za-z0-9][\w.-]{0,95}(?:@[\w][\w./-]{0,127})?$/;
export const isCachedModel = (id: string): boolean => CACHED_MODEL_ID.test(id) && !id.includes('..');
/** A base that is a Hugging Face folder of a decoder family: imported (im-…) or in the cache (hf:…). */
export const isFolderModel = (id: string): boolean => isImportedModel(id) || isCachedModel(id);
/** A pretrained generator that fine-tunes on text: stories260k or a folder model. */
const isGeneratorBase = (id: string): boolean => id === 'stories260k' || isFolderModel(id);
/**
 * How the base is trained. full: every weight. head: the base frozen, only a task head on its pooled output (for the
 * GloVe encoder this is the linear probe). setfit: a contrastive stage on pairs of examples (same label → similar,
 * different → dissimilar) that adapts the encoder, then the head. freeze: only the top `trainLayers` blocks and the
 * final norm/head of a pretrained generator. lora: low-rank adapters (rank, alpha) on the chosen projections, the
 * base frozen; merged into the weights on export.
 */
export const TRAIN_METHODS = ['full', 'head', 'setfit', 'freeze', 'lora'] as const;
export type TrainMethod = (typeof TRAIN_METHODS)[number];

export const trainConfigShape = {
  base: z
    .string()
    .refine((id) => (BASE_MODELS as readonly string[]).includes(id) || isFolderModel(id), {
      message: `expected one of ${BASE_MODELS.join(', ')}, an imported model's id (im-…) or a cached one (hf:org/name)`,
    })
    .default('scratch'),
  method: z.enum(TRAIN_METHODS).default('full'),
  backend: z.enum(['auto', ...BACKENDS]).default('auto'), // 'auto' = first that loads and passes a self-test
  seed: int(0, 2 ** 31 - 1).default(1337), // same seed + same backend = same run
  // model: a small causal transformer (GPT-2 layout) over a character vocabulary
  nLayer: int(1, 48).default(2), // transformer blocks
  nHead: int(1, 64).default(4), // attention heads; dModel must divide by it
  dModel: int(8, 4096).default(64), // width of the residual stream
  contextLength: int(4, 4096).default(64), // tokens a model sees at once (T)
  tokenizer: z.enum(['char', 'bpe']).default('char'), // from scratch: characters, or byte-level BPE trained on the data
  vocabSize: int(260, 65_536).default(512), // bpe: vocabulary size to train (256 bytes + merges + <pad>, <unk>)
  dropout: z.number().min(0).max(0.9).default(0), // on attention output and MLP output
  // optimisation: Adam
  steps: int(1, 10_000_000).default(150), // optimizer steps
  batchSize: int(1, 4096).default(16), // sequences per step (B)
  learningRate: z.number().positive().max(1).default(3e-3), // peak, after warmup
  warmupSteps: int(0, 1_000_000).default(10), // linear warmup from 0
  schedule: z.enum(['cosine', 'linear', 'constant']).default('cosine'), // after warmup, down to 10% of peak (or flat)
  gradClip: z.number().min(0).max(1e6).default(1), // global-norm clip; 0 disables
  gradAccumulation: int(1, 1024).default(1), // micro-batches summed per optimizer step (effective batch = B × this)
  labelSmoothing: z.number().min(0).max(0.5).default(0), // share of the target mass spread over all classes/tokens
  earlyStoppingPatience: int(0, 10_000).default(0), // stop after this many evaluations without a better val_loss; 0 = off
  // evaluation and checkpoints
  validationFraction: z.number().min(0.01).max(0.5).default(0.1), // rows held out when the dataset has no split
  evalEvery: int(1, 1_000_000).default(25), // steps between validation passes
  evalBatches: int(1, 1000).default(4), // batches per validation pass
  checkpointEvery: int(0, 1_000_000).default(0), // steps between checkpoints; 0 = only at the end
  logEvery: int(1, 1_000_000).default(5), // steps between train-loss metric points
  // few-shot classification on a pretrained encoder
  pairsPerExample: int(0, 1000).default(20), // setfit: contrastive pairs drawn per training example
  weightDecay: z.number().min(0).max(1).default(0), // decoupled (AdamW-style) decay; L2 strength for the head
  // fine-tuning a pretrained generator
  trainLayers: int(0, 48).default(1), // freeze: top blocks trained (plus final norm and head)
  loraRank: int(1, 256).default(8), // lora: rank r of each adapter pair (A: in×r, B: r×out)
  loraAlpha: z.number().positive().max(1024).default(16), // lora: the update is scaled by alpha / r
  loraTargets: z.enum(['attention', 'attention+mlp']).default('attention'), // lora: q,k,v,o projections, or those and the MLP
};

export const trainConfigSchema = z
  .object(trainConfigShape)
  .strict()
  .refine((c) => c.dModel % c.nHead === 0, { message: 'dModel must be a multiple of nHead', path: ['dModel'] })
  .refine((c) => !['head', 'setfit'].includes(c.method) || c.base === 'glove-6b-100d', {
    message: "methods 'head' and 'setfit' need the encoder base 'glove-6b-100d'",
    path: ['method'],
  })
  .refine((c) => !['freeze', 'lora'].includes(c.method) || isGeneratorBase(c.base), {
    message: "methods 'freeze' and 'lora' need a pretrained generator base (stories260k or an imported model)",
    path: ['method'],
  });
export type TrainConfig = z.infer<typeof trainConfigSchema>;
export type TrainConfigKey = keyof typeof trainConfigShape;

export const PRESETS = {
  /** A minute or less on two CPU cores: a small model and few steps, enough to see the loss fall. */
  quick: { nLayer: 2, nHead: 4, dModel: 64, contextLength: 64, steps: 150, batchSize: 16, learningRate: 3e-3, evalEvery: 25 },
  /** A longer run of a slightly bigger model. */
  standard: { nLayer: 4, nHead: 4, dModel: 128, contextLength: 64, steps: 1000, batchSize: 16, learningRate: 2e-3, evalEvery: 100, checkpointEvery: 250 },
  /**
   * One-click few-shot: these are its fixed parts; the rest is chosen from the dataset by fewShotConfig()
   * (common/fewShotPreset.ts) before overrides apply.
   */
  'few-shot': {},
} satisfies Record<string, Partial<TrainConfig>>;
export const PRESET_NAMES = Object.keys(PRESETS) as [keyof typeof PRESETS, ...(keyof typeof PRESETS)[]];
export type PresetName = keyof typeof PRESETS;
export const presetNameSchema = z.enum(PRESET_NAMES);

export type Overrides = Record<string, string | number | boolean>;

const STRING_SETTINGS = new Set<string>(['backend', 'base', 'method', 'schedule', 'loraTargets', 'tokenizer']);

/** Turns `key=value` strings (CLI `--set`) into overrides, typed by the config field they name. */
export function parseSetArgs(pairs: readonly string[]): Overrides {
  const out: Overrides = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw badInput(`--set ${pair}: expected key=value, for example --set steps=200.`);
    const key = pair.slice(0, eq).trim();
    const raw = pair.slice(eq + 1).trim();
    const field = trainConfigShape[key as TrainConfigKey];
    if (!field) throw badInput(`--set ${pair}: unknown setting '${key}' (known: ${Object.keys(trainConfigShape).join(', ')}).`);
    if (STRING_SETTINGS.has(key)) out[key] = raw;
    else {
      const num = Number(raw);
      if (raw === '' || !Number.isFinite(num)) throw badInput(`--set ${pair}: '${key}' takes a number, not '${raw}'.`);
      out[key] = num;
    }
  }
  return out;
}

/**
 * Preset defaults, then what the preset chose from the dataset (few-shot), then overrides; throws a bad-input error
 * naming the first invalid field.
 */
export function resolveTrainConfig(preset: PresetName, overrides: Overrides = {}, chosen: Partial<TrainConfig> = {}): TrainConfig {
  const base = PRESETS[preset];
  if (!base) throw badInput(`Unknown preset '${String(preset)}' (known: ${PRESET_NAMES.join(', ')}).`);
  const parsed = trainConfigSchema.safeParse({ ...base, ...chosen, ...overrides });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.join('.') || 'config';
    if (issue.code === 'unrecognized_keys') throw badInput(`Unknown setting '${issue.keys[0]}' in the training config.`);
    throw badInput(`Training setting '${field}' is invalid: ${issue.message}.`);
  }
  return parsed.data;
}
