// The Model screen's draft: a preset plus the fields the user typed (raw strings, as typed), resolved and validated
// with the same zod schema main uses (common/config.ts), so a bad value is caught before `runs.start`.
import {
  BACKENDS,
  PRESETS,
  trainConfigSchema,
  trainConfigShape,
  type BackendName,
  type Overrides,
  type PresetName,
  type TrainConfig,
  type TrainConfigKey,
} from '../../../common/config';
import type { ModelInfo } from '../../../common/evaluation';
import type { Task } from '../../../common/protocol';
import { baseTaskError } from './baseModels';

/** Fields the user changed, by key, as typed ('' and 'abc' are kept so the field can say what is wrong). */
export type ConfigEdits = Partial<Record<TrainConfigKey, string>>;
export type BackendChoice = 'auto' | BackendName;
export type FieldErrors = Partial<Record<TrainConfigKey, string>>;

export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', ...BACKENDS];
export const CONFIG_KEYS = Object.keys(trainConfigShape) as TrainConfigKey[];

export const isConfigKey = (key: unknown): key is TrainConfigKey =>
  typeof key === 'string' && Object.prototype.hasOwnProperty.call(trainConfigShape, key);
export const isBackendChoice = (value: unknown): value is BackendChoice =>
  typeof value === 'string' && (BACKEND_CHOICES as readonly string[]).includes(value);

/** The named values of a setting that takes one of a few words (backend, base, method, schedule…); null for numbers. */
export function enumChoices(key: TrainConfigKey): readonly string[] | null {
  const field = trainConfigShape[key] as unknown as { unwrap?: () => unknown };
  const inner = (field.unwrap?.() ?? field) as { options?: unknown };
  return Array.isArray(inner.options) ? (inner.options as string[]) : null;
}

/** Settings typed as words rather than numbers, sent as strings. */
export const STRING_KEYS: ReadonlySet<TrainConfigKey> = new Set([...CONFIG_KEYS.filter((key) => enumChoices(key) !== null), 'base' as const]);

/**
 * The full config a preset resolves to before any edit. `chosen` is what the preset picks from the dataset
 * (few-shot: lib/fewShotPreview.ts), applied over the preset as main does.
 */
export function presetConfig(preset: PresetName, chosen: Partial<TrainConfig> = {}): TrainConfig {
  return trainConfigSchema.parse({ ...PRESETS[preset], ...chosen });
}

/** What else the draft is checked against: the dataset's task, the built-in models, the preset's choices. */
export interface DraftContext {
  chosen?: Partial<TrainConfig>;
  trainTask?: Task | null;
  models?: readonly ModelInfo[] | null;
}

export interface ResolvedDraft {
  /** What `runs.start` gets as `overrides`: parsed edits, plus the Settings backend unless the draft names one. */
  overrides: Overrides;
  /** The config the run would use; null while a field is invalid. */
  config: TrainConfig | null;
  errors: FieldErrors;
}

interface Issue {
  code: string;
  path: PropertyKey[];
  message: string;
  minimum?: unknown;
  maximum?: unknown;
  inclusive?: boolean;
  expected?: string;
}

const number = (v: unknown) => (typeof v === 'number' || typeof v === 'bigint' ? Number(v).toLocaleString('en-US', { maximumFractionDigits: 8 }) : String(v));

/** One short sentence for a zod issue on a config field, e.g. "Must be at most 48." */
export function describeIssue(issue: Issue): string {
  switch (issue.code) {
    case 'too_small':
      return issue.inclusive === false ? `Must be more than ${number(issue.minimum)}.` : `Must be at least ${number(issue.minimum)}.`;
    case 'too_big':
      return issue.inclusive === false ? `Must be less than ${number(issue.maximum)}.` : `Must be at most ${number(issue.maximum)}.`;
    case 'invalid_type':
      return issue.expected === 'int' ? 'Must be a whole number.' : 'Enter a number.';
    default: {
      const text = issue.message.trim(); // e.g. 'dModel must be a multiple of nHead' (starts with a field name)
      return /[.!?]$/.test(text) ? text : `${text}.`;
    }
  }
}

/** Preset + edits (+ the Settings default backend) → overrides to send, the resolved config, and per-field errors. */
export function resolveDraft(
  preset: PresetName,
  edits: ConfigEdits,
  defaultBackend: BackendChoice = 'auto',
  context: DraftContext = {},
): ResolvedDraft {
  const overrides: Overrides = {};
  const errors: FieldErrors = {};
  for (const key of CONFIG_KEYS) {
    const raw = edits[key];
    if (raw === undefined) continue;
    if (STRING_KEYS.has(key)) {
      overrides[key] = raw;
      continue;
    }
    const text = raw.trim();
    const value = Number(text);
    if (text === '' || !Number.isFinite(value)) errors[key] = 'Enter a number.';
    else overrides[key] = value;
  }
  if (overrides.backend === undefined && defaultBackend !== 'auto') overrides.backend = defaultBackend;

  const parsed = trainConfigSchema.safeParse({ ...PRESETS[preset], ...context.chosen, ...overrides });
  if (parsed.success) {
    const baseError = baseTaskError(parsed.data.base, context.trainTask ?? null, context.models ?? null);
    if (baseError && !errors.base) errors.base = baseError;
  }
  if (parsed.success && Object.keys(errors).length === 0) return { overrides, config: parsed.data, errors };
  for (const issue of parsed.success ? [] : (parsed.error.issues as Issue[])) {
    const key = issue.path[0];
    if (isConfigKey(key) && !errors[key]) errors[key] = describeIssue(issue);
  }
  return { overrides, config: null, errors };
}

/** The config field an error sentence from main names, e.g. "Training setting 'dModel' is invalid: …" → 'dModel'. */
export function fieldNamedIn(message: string): TrainConfigKey | null {
  for (const match of message.matchAll(/'([A-Za-z]+)'/g)) if (isConfigKey(match[1])) return match[1];
  return null;
}
