// Training configuration: one flat object of defaults, validated by zod, with named presets. The resolved config is
// stored with the run so it can be reproduced. Every field can be overridden (`--set key=value`, the Model screen).
import { z } from 'zod';
import { badInput } from './result';

export const BACKENDS = ['tensorflow', 'webgpu', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

const int = (min: number, max: number) => z.number().int().min(min).max(max);

export const trainConfigShape = {
  backend: z.enum(['auto', ...BACKENDS]).default('auto'), // 'auto' = first that loads and passes a self-test
  seed: int(0, 2 ** 31 - 1).default(1337), // same seed + same backend = same run
  // model: a small causal transformer (GPT-2 layout) over a character vocabulary
  nLayer: int(1, 48).default(2), // transformer blocks
  nHead: int(1, 64).default(4), // attention heads; dModel must divide by it
  dModel: int(8, 4096).default(64), // width of the residual stream
  contextLength: int(4, 4096).default(64), // tokens a model sees at once (T)
  dropout: z.number().min(0).max(0.9).default(0), // on attention output and MLP output
  // optimisation: Adam
  steps: int(1, 10_000_000).default(150), // optimizer steps
  batchSize: int(1, 4096).default(16), // sequences per step (B)
  learningRate: z.number().positive().max(1).default(3e-3), // peak, after warmup
  warmupSteps: int(0, 1_000_000).default(10), // linear warmup from 0
  gradClip: z.number().min(0).max(1e6).default(1), // global-norm clip; 0 disables
  // evaluation and checkpoints
  validationFraction: z.number().min(0.01).max(0.5).default(0.1), // rows held out when the dataset has no split
  evalEvery: int(1, 1_000_000).default(25), // steps between validation passes
  evalBatches: int(1, 1000).default(4), // batches per validation pass
  checkpointEvery: int(0, 1_000_000).default(0), // steps between checkpoints; 0 = only at the end
  logEvery: int(1, 1_000_000).default(5), // steps between train-loss metric points
};

export const trainConfigSchema = z
  .object(trainConfigShape)
  .strict()
  .refine((c) => c.dModel % c.nHead === 0, { message: 'dModel must be a multiple of nHead', path: ['dModel'] });
export type TrainConfig = z.infer<typeof trainConfigSchema>;
export type TrainConfigKey = keyof typeof trainConfigShape;

export const PRESETS = {
  /** A minute or less on two CPU cores: a small model and few steps, enough to see the loss fall. */
  quick: { nLayer: 2, nHead: 4, dModel: 64, contextLength: 64, steps: 150, batchSize: 16, learningRate: 3e-3, evalEvery: 25 },
  /** A longer run of a slightly bigger model. */
  standard: { nLayer: 4, nHead: 4, dModel: 128, contextLength: 64, steps: 1000, batchSize: 16, learningRate: 2e-3, evalEvery: 100, checkpointEvery: 250 },
} satisfies Record<string, Partial<TrainConfig>>;
export const PRESET_NAMES = Object.keys(PRESETS) as [keyof typeof PRESETS, ...(keyof typeof PRESETS)[]];
export type PresetName = keyof typeof PRESETS;
export const presetNameSchema = z.enum(PRESET_NAMES);

export type Overrides = Record<string, string | number | boolean>;

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
    if (key === 'backend') out[key] = raw;
    else {
      const num = Number(raw);
      if (raw === '' || !Number.isFinite(num)) throw badInput(`--set ${pair}: '${key}' takes a number, not '${raw}'.`);
      out[key] = num;
    }
  }
  return out;
}

/** Preset defaults, then overrides; throws a bad-input error naming the first invalid field. */
export function resolveTrainConfig(preset: PresetName, overrides: Overrides = {}): TrainConfig {
  const base = PRESETS[preset];
  if (!base) throw badInput(`Unknown preset '${String(preset)}' (known: ${PRESET_NAMES.join(', ')}).`);
  const parsed = trainConfigSchema.safeParse({ ...base, ...overrides });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.join('.') || 'config';
    if (issue.code === 'unrecognized_keys') throw badInput(`Unknown setting '${issue.keys[0]}' in the training config.`);
    throw badInput(`Training setting '${field}' is invalid: ${issue.message}.`);
  }
  return parsed.data;
}
