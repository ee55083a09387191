// Shapes of the datasets domain beyond the summary: formats, tasks, column mappings, preprocessing recipes, splits,
// statistics and previews. Shared by main (validation, storage), the CLI's --json and the UI.
import { z } from 'zod';

/** How the file was read. `trec`: `COARSE:fine text` lines; `folder`: one sub-folder of .txt files per class. */
export const DATASET_FILE_FORMATS = ['txt', 'csv', 'tsv', 'jsonl', 'json', 'parquet', 'trec', 'folder'] as const;
export type DatasetFileFormat = (typeof DATASET_FILE_FORMATS)[number];

/**
 * What a dataset's records are. Training (common/protocol.ts) knows `generate` and `classify`; pairs, instruction
 * records and chats train as `generate` texts written out with a plain template (see main/datasets/examples.ts).
 */
export const DATASET_TASKS = ['classify', 'generate', 'pairs', 'instruction', 'chat'] as const;
export type DatasetTask = (typeof DATASET_TASKS)[number];

/** The roles a source column can play; which ones a task uses is in TASK_ROLES. */
export const MAPPING_ROLES = ['text', 'label', 'prompt', 'completion', 'instruction', 'input', 'output', 'messages'] as const;
export type MappingRole = (typeof MAPPING_ROLES)[number];
export const TASK_ROLES: Record<DatasetTask, { required: MappingRole[]; optional: MappingRole[] }> = {
  classify: { required: ['text', 'label'], optional: [] },
  generate: { required: ['text'], optional: [] },
  pairs: { required: ['prompt', 'completion'], optional: [] },
  instruction: { required: ['instruction', 'output'], optional: ['input'] },
  chat: { required: ['messages'], optional: [] },
};

const columnName = z.string().min(1).max(256);
/** Role → source column name, e.g. { text: 'review', label: 'stars' }. */
export const mappingSchema = z.object(Object.fromEntries(MAPPING_ROLES.map((r) => [r, columnName.optional()])) as Record<MappingRole, z.ZodOptional<typeof columnName>>).strict();
export type Mapping = z.infer<typeof mappingSchema>;

/** Length measures: characters (what today's character-level models see) or whitespace-separated words. */
export const TOKENIZER_NAMES = ['char', 'word'] as const;
export type TokenizerName = (typeof TOKENIZER_NAMES)[number];

export const TEXT_ENCODINGS = ['utf-8', 'utf-8-bom', 'utf-16le', 'utf-16be', 'binary'] as const; // binary: Parquet

export const TXT_MODES = ['auto', 'lines', 'corpus'] as const; // corpus: paragraphs separated by blank lines
export const DELIMITERS = [',', ';', '\t', '|'] as const;

/** How to read a file; every field optional, `auto` (or absent) means detect from the content. */
export const parseOptionsShape = {
  format: z.enum(DATASET_FILE_FORMATS).optional(),
  task: z.enum(['auto', ...DATASET_TASKS]).optional(),
  map: mappingSchema.optional(),
  header: z.boolean().optional(), // CSV/TSV: the first row names the columns
  delimiter: z.enum(DELIMITERS).optional(),
  txtMode: z.enum(TXT_MODES).optional(),
};

/** Preprocessing, applied in this order: whitespace, lower-case, stop words, tokenise, length filters, de-duplicate. */
export const recipeSchema = z
  .object({
    normalizeWhitespace: z.boolean().default(false), // runs of spaces/tabs → one space, lines trimmed, ≥3 newlines → 2
    lowercase: z.boolean().default(false),
    removeStopwords: z.boolean().default(false),
    stopwordLanguage: z.string().regex(/^[a-z]{3}[A-Za-z]*$/).default('eng'), // ISO 639-3 code of the stopword package
    tokenize: z.boolean().default(false), // words and punctuation marks separated by single spaces
    minLength: z.number().int().min(0).nullable().default(null), // rows shorter than this are dropped
    maxLength: z.number().int().min(1).nullable().default(null), // rows longer than this are dropped
    lengthUnit: z.enum(TOKENIZER_NAMES).default('char'), // what min/maxLength count
    dedupe: z.enum(['none', 'exact', 'near']).default('none'), // near: same text once lower-cased, without punctuation
  })
  .strict();
export type Recipe = z.infer<typeof recipeSchema>;
export type RecipeInput = z.input<typeof recipeSchema>;

/** Why a row was left out, in pipeline order. `empty`: no text in the source. */
export const REMOVAL_STEPS = ['empty', 'removeStopwords', 'minLength', 'maxLength', 'dedupe'] as const;
export type RemovalStep = (typeof REMOVAL_STEPS)[number];
export const removalsSchema = z.object(
  Object.fromEntries(REMOVAL_STEPS.map((s) => [s, z.number().int()])) as Record<RemovalStep, z.ZodNumber>,
);
export type Removals = z.infer<typeof removalsSchema>;

const ratio = z.number().min(0).max(1);
/** Fractions of rows per split; they must add up to 1. */
export const splitRatiosSchema = z
  .object({ train: ratio, validation: ratio, test: ratio })
  .strict()
  // all-test (0,0,1) is a file kept only to evaluate on (`tunebench eval <run> --dataset <file>`)
  .refine((r) => Math.abs(r.train + r.validation + r.test - 1) < 1e-6 && (r.train > 0 || r.test === 1), {
    message: 'split fractions must add up to 1, with some rows for training (or all of them for testing)',
  });
export type SplitRatios = z.infer<typeof splitRatiosSchema>;
export const DEFAULT_SPLIT: SplitRatios = { train: 0.9, validation: 0.1, test: 0 };

export const seedSchema = z.number().int().min(0).max(2 ** 31 - 1);

/** The split as stored: ratios, the seed that shuffled (null: imported before seeds were stored), stratification. */
export const splitSpecSchema = z.object({
  train: ratio,
  validation: ratio,
  test: ratio,
  seed: seedSchema.nullable(),
  stratified: z.boolean(), // each label keeps its share in every split (classification)
});
export type SplitSpec = z.infer<typeof splitSpecSchema>;

/** A test file attached to a dataset after import. */
export const testSourceSchema = z.object({ sourceName: z.string(), sha256: z.string(), bytes: z.number().int(), rows: z.number().int() });

/** The structured example of pairs, instruction and chat rows (null for classify and generate). */
export const examplePartsSchema = z.union([
  z.object({ prompt: z.string(), completion: z.string() }),
  z.object({ instruction: z.string(), input: z.string(), output: z.string() }),
  z.object({ messages: z.array(z.object({ role: z.string(), content: z.string() })) }),
]);
export type ExampleParts = z.infer<typeof examplePartsSchema>;

export const previewRowSchema = z.object({
  line: z.number().int(), // where the record starts in the source (line, record or file number), 1-based
  text: z.string(), // what training sees (pairs/instruction/chat: written out with the template)
  label: z.string().nullable(),
  parts: examplePartsSchema.nullable(),
  fields: z.record(z.string(), z.unknown()), // the source record, as read
  split: z.enum(['train', 'validation', 'test']).optional(), // stored datasets only
});
export type PreviewRow = z.infer<typeof previewRowSchema>;

const count = z.number().int();
export const datasetStatsSchema = z.object({
  rows: count, // rows described (after preprocessing for a stored dataset)
  labelCounts: z.array(z.object({ label: z.string(), count })), // in label order; [] without labels
  tokenizer: z.enum(TOKENIZER_NAMES),
  tokens: z.object({ total: count, min: count, max: count, mean: z.number(), p50: count, p95: count }),
  histogram: z.array(z.object({ from: count, to: count, count })), // rows by token length in [from, to), equal widths, min to max
  maxTokens: count,
  overLong: count, // rows with more than maxTokens tokens
  emptyRows: count, // rows without text in the source; never stored
  exactDuplicates: count, // rows whose text equals an earlier row's
  nearDuplicates: count, // rows equal to an earlier one once lower-cased, without punctuation and extra spaces
});
export type DatasetStats = z.infer<typeof datasetStatsSchema>;
export const DEFAULT_MAX_TOKENS = 512;
