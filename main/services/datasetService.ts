// Datasets: inspect a file, preview a preprocessing recipe, import (stage every row in a scratch SQLite file, copy the
// original into the data dir, then copy the rows into the main database in one transaction), attach a test file,
// list, show, cancel a running import, and load a stored split for training. A failed or cancelled call writes nothing.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { DEFAULT_MAX_TOKENS, DEFAULT_SPLIT, type DatasetStats, type ExampleParts, type PreviewRow, type RecipeInput, type SplitRatios, type TokenizerName } from '../../common/datasetTypes';
import type { DatasetSummary } from '../../common/domain';
import type { TrainData } from '../../common/protocol';
import { TunebenchError } from '../../common/result';
import { storeBlob } from '../datasets/blobStore';
import { ImportRegistry, throwIfCancelled } from '../datasets/cancellation';
import { checkSplit, newDatasetRow, toSummary } from '../datasets/datasetRow';
import { DatasetStore } from '../datasets/datasetStore';
import { renderParts } from '../datasets/examples';
import { NO_RECIPE, resolveRecipe } from '../datasets/recipe';
import type { ReadProgress } from '../datasets/readTextFile';
import { seedFromSha256 } from '../datasets/split';
import { stageDataset, stagedStats, type StagedDataset, type StageOptions } from '../datasets/stageDataset';
import { removeStaleStaging } from '../datasets/stagingDb';
import { previewRows, type InspectResult, type RecipePreview } from '../datasets/previews';

export type ImportProgress = ReadProgress & { importId: string; phase: 'reading' | 'writing' };

/** How to read a file; every field optional (detected when absent). */
export interface FileOptions extends Pick<StageOptions, 'format' | 'delimiter' | 'header' | 'txtMode' | 'task' | 'map'> {
  sourceName?: string; // the name the user knows, when filePath is a temporary upload
  importId?: string; // lets datasets.cancelImport reach this call
  signal?: AbortSignal; // a second way to cancel (the CLI's Ctrl+C)
  onProgress?: (p: ImportProgress) => void;
}

export interface ImportOptions extends FileOptions {
  name?: string; // defaults to the file's base name without its extension
  recipe?: RecipeInput;
  split?: SplitRatios; // default 0.9 / 0.1 / 0
  seed?: number; // default: from the file's sha256
}

const PREVIEW_ROWS = 20;
const PROGRESS_INTERVAL_MS = 100;

/** The name errors and progress use: the caller's (an upload's real name), else the path's last part. */
const displayName = (filePath: string, opts: FileOptions) => opts.sourceName || path.basename(path.resolve(filePath));

export class DatasetService {
  private readonly store: DatasetStore;
  private readonly imports = new ImportRegistry();
  private readonly stagingDir: string;

  constructor(
    db: Database.Database,
    private readonly dataDir: string,
  ) {
    this.store = new DatasetStore(db);
    this.stagingDir = path.join(dataDir, 'staging');
    removeStaleStaging(this.stagingDir);
  }

  async importFile(filePath: string, opts: ImportOptions = {}): Promise<DatasetSummary> {
    const sourceName = displayName(filePath, opts);
    const recipe = resolveRecipe(opts.recipe);
    const split = checkSplit(opts.split ?? DEFAULT_SPLIT);
    return this.running(opts, sourceName, async (signal, progress) => {
      const staged = await this.stage(filePath, opts, sourceName, signal, progress, {
        recipe,
        split,
        seed: (sha) => opts.seed ?? seedFromSha256(sha),
        requireClasses: true,
      });
      const id = `ds-${randomBytes(4).toString('hex')}`;
      const name = opts.name?.trim() || path.basename(sourceName, path.extname(sourceName)) || sourceName;
      const stats = stagedStats(staged, 'char', DEFAULT_MAX_TOKENS);
      const dataset = newDatasetRow({ id, name, sourceName, staged, recipe, split, stats });
      await this.commit(staged, filePath, sourceName, signal, progress, (blobPath) => this.store.insertFromStaging({ ...dataset, blob_path: blobPath }, staged.staging.path));
      return this.get(id);
    });
  }

  /** Parses a file without importing it: what would be detected, statistics, the first rows. */
  async inspectFile(filePath: string, opts: FileOptions & { tokenizer?: TokenizerName; maxTokens?: number } = {}): Promise<InspectResult> {
    const sourceName = displayName(filePath, opts);
    return this.running(opts, sourceName, async (signal, progress) => {
      const staged = await this.stage(filePath, opts, sourceName, signal, progress, { recipe: NO_RECIPE, split: { all: 'train' }, seed: () => 0 });
      try {
        const { source, chosen, detected } = staged;
        return {
          fileName: sourceName,
          format: source.format,
          encoding: source.encoding,
          delimiter: source.delimiter as InspectResult['delimiter'],
          header: source.header,
          txtMode: source.txtMode,
          fields: staged.fields,
          task: chosen.task,
          mapping: chosen.mapping,
          detected,
          labels: staged.labels,
          rows: staged.kept,
          stats: stagedStats(staged, opts.tokenizer ?? 'char', opts.maxTokens ?? DEFAULT_MAX_TOKENS),
          preview: previewRows(staged.staging.firstRows(PREVIEW_ROWS, true)),
          bytes: source.bytes,
          sha256: source.sha256,
        };
      } finally {
        staged.dispose();
      }
    });
  }

  /** What `recipe` would do to a file: rows removed by each step, the first rows before and after. */
  async previewRecipe(filePath: string, opts: FileOptions & { recipe: RecipeInput }): Promise<RecipePreview> {
    const sourceName = displayName(filePath, opts);
    const recipe = resolveRecipe(opts.recipe);
    return this.running(opts, sourceName, async (signal, progress) => {
      const staged = await this.stage(filePath, opts, sourceName, signal, progress, { recipe, split: { all: 'train' }, seed: () => 0 });
      try {
        const { removed, kept } = staged;
        const rows = staged.staging.firstRows(PREVIEW_ROWS, false);
        return {
          recipe,
          rowsBefore: Object.values(removed).reduce((a, b) => a + b, kept) - removed.empty,
          rowsAfter: kept,
          removed: (Object.keys(removed) as (keyof typeof removed)[]).filter((s) => s !== 'empty').map((step) => ({ step, rows: removed[step] })),
          preview: rows.map((r) => ({ line: r.line, before: r.raw ?? r.text, after: r.removed ? null : r.text, removedBy: r.removed })),
        };
      } finally {
        staged.dispose();
      }
    });
  }

  /** Adds a test file to a dataset that has no test split; it is read with the dataset's mapping and recipe. */
  async attachTest(datasetRef: string, filePath: string, opts: FileOptions = {}): Promise<DatasetSummary> {
    const dataset = this.get(datasetRef);
    const sourceName = displayName(filePath, opts);
    if (dataset.splits.test > 0) {
      const from = dataset.test ? `from ${dataset.test.sourceName}` : 'from its split';
      throw new TunebenchError('conflict', `Dataset ${dataset.id} already has a test split of ${dataset.splits.test} rows (${from}); import it again with --split train,validation,0 to attach a test file.`);
    }
    return this.running(opts, sourceName, async (signal, progress) => {
      const staged = await this.stage(filePath, { ...opts, task: dataset.task }, sourceName, signal, progress, {
        recipe: dataset.recipe,
        split: { all: 'test' },
        seed: () => 0,
        prefer: dataset.mapping,
        allowedLabels: dataset.trainTask === 'classify' ? dataset.labels : undefined,
      });
      const testSource = { sourceName, sha256: staged.source.sha256, bytes: staged.source.bytes, rows: staged.kept };
      await this.commit(staged, filePath, sourceName, signal, progress, () => this.store.appendTestFromStaging(dataset.id, testSource, staged.staging.path));
      return this.get(dataset.id);
    });
  }

  /** True when an import, inspect or preview by that id was running and has been told to stop. */
  cancelImport(importId: string): boolean {
    return this.imports.cancel(importId);
  }

  /** Newest first. */
  list(): DatasetSummary[] {
    return this.store.list();
  }

  /** By id, or by exact name (the newest of that name). */
  get(ref: string): DatasetSummary {
    return toSummary(this.store.row(ref));
  }

  show(ref: string, opts: { tokenizer?: TokenizerName; maxTokens?: number; offset?: number; limit?: number } = {}): { summary: DatasetSummary; stats: DatasetStats; rows: PreviewRow[] } {
    const row = this.store.row(ref);
    return {
      summary: toSummary(row),
      stats: this.store.stats(row, opts.tokenizer ?? 'char', opts.maxTokens ?? DEFAULT_MAX_TOKENS),
      rows: this.store.page(row.id, opts.offset ?? 0, opts.limit ?? PREVIEW_ROWS),
    };
  }

  /**
   * The stored train and validation rows as the trainer takes them. Classification labels become indices into the
   * sorted labels. Pairs, instruction records and chats become `generate` texts written with the plain template of
   * examples.ts (`Prompt: …\nResponse: …`), with the length of each text's prompt part (promptChars) so training
   * counts the loss on the completion only.
   */
  loadTrainData(ref: string): TrainData {
    const dataset = this.get(ref);
    const rows = this.store.trainRows(dataset.id);
    const of = (split: string) => rows.filter((r) => r.split === split);
    if (dataset.trainTask === 'generate') {
      const examples = (split: string) => of(split).map((r) => (r.parts ? renderedExample(JSON.parse(r.parts) as ExampleParts) : { text: r.text, promptChars: 0 }));
      const [train, validation] = [examples('train'), examples('validation')];
      const data: TrainData = { task: 'generate', train: train.map((e) => e.text), validation: validation.map((e) => e.text) };
      if (rows.some((r) => r.parts)) data.promptChars = { train: train.map((e) => e.promptChars), validation: validation.map((e) => e.promptChars) };
      return data;
    }
    const index = new Map(dataset.labels.map((label, i) => [label, i]));
    const example = (r: (typeof rows)[number]) => ({ text: r.text, label: index.get(r.label ?? '') ?? -1 });
    const data: TrainData = { task: 'classify', labels: dataset.labels, train: of('train').map(example), validation: of('validation').map(example) };
    if ([...data.train, ...data.validation].some((e) => e.label < 0)) {
      throw new TunebenchError('internal', `Dataset ${dataset.id} has a row whose label is not among its labels.`);
    }
    return data;
  }

  /**
   * Held-out examples to evaluate on: the test split, else validation, else (another dataset with neither) every
   * row. Texts are rendered as training sees them; labels stay strings so another dataset's labels can be matched.
   */
  loadEvalExamples(ref: string): { split: 'test' | 'validation' | 'all'; task: DatasetSummary['trainTask']; examples: { text: string; label: string | null }[] } {
    const dataset = this.get(ref);
    const text = (r: { text: string; parts: string | null }) => (dataset.trainTask === 'generate' && r.parts ? renderParts(JSON.parse(r.parts)) : r.text);
    for (const split of ['test', 'validation'] as const) {
      const rows = this.store.splitRows(dataset.id, split);
      if (rows.length) return { split, task: dataset.trainTask, examples: rows.map((r) => ({ text: text(r), label: r.label })) };
    }
    const rows = this.store.splitRows(dataset.id, 'train');
    return { split: 'all', task: dataset.trainTask, examples: rows.map((r) => ({ text: text(r), label: r.label })) };
  }

  private stage(
    filePath: string,
    opts: FileOptions,
    sourceName: string,
    signal: AbortSignal,
    progress: (phase: ImportProgress['phase']) => (p: ReadProgress) => void,
    rest: Pick<StageOptions, 'recipe' | 'split' | 'seed' | 'prefer' | 'allowedLabels' | 'requireClasses'>,
  ): Promise<StagedDataset> {
    const { format, delimiter, header, txtMode, task, map } = opts;
    return stageDataset(filePath, { format, delimiter, header, txtMode, task, map, ...rest, sourceName, stagingDir: this.stagingDir, signal, onProgress: progress('reading') });
  }

  /** Stores the original, then runs `write` (one main-database transaction); undoes the copy if either fails. */
  private async commit(
    staged: StagedDataset,
    filePath: string,
    sourceName: string,
    signal: AbortSignal,
    progress: (phase: ImportProgress['phase']) => (p: ReadProgress) => void,
    write: (blobPath: string) => void,
  ): Promise<void> {
    try {
      const { sha256, bytes } = staged.source;
      progress('writing')({ fileName: sourceName, bytesRead: bytes, totalBytes: bytes });
      const blob = await storeBlob(this.dataDir, staged.bundlePath ?? filePath, sha256, sourceName);
      try {
        throwIfCancelled(signal, sourceName);
        staged.staging.close(); // the main connection attaches the file next
        write(blob.relativePath);
      } catch (err) {
        if (!this.store.usesBlob(sha256)) blob.discard();
        throw err;
      }
    } finally {
      staged.dispose();
    }
  }

  /** Registers the call under its import id for cancelling, and removes the staging folder if it is left empty. */
  private async running<T>(
    opts: FileOptions,
    sourceName: string,
    work: (signal: AbortSignal, progress: (phase: ImportProgress['phase']) => (p: ReadProgress) => void) => Promise<T>,
  ): Promise<T> {
    const { importId, signal, end } = this.imports.begin(opts.importId);
    const stopOnOuter = () => this.imports.cancel(importId);
    opts.signal?.addEventListener('abort', stopOnOuter);
    let last = 0;
    const progress = (phase: ImportProgress['phase']) => (p: ReadProgress) => {
      const now = Date.now();
      if (phase === 'reading' && p.bytesRead < p.totalBytes && now - last < PROGRESS_INTERVAL_MS) return; // a folder reports per file
      last = now;
      opts.onProgress?.({ ...p, importId, phase });
    };
    try {
      throwIfCancelled(opts.signal, sourceName);
      return await work(signal, progress);
    } finally {
      opts.signal?.removeEventListener('abort', stopOnOuter);
      end();
      try {
        fs.rmdirSync(this.stagingDir);
      } catch {
        /* absent, or another import is using it */
      }
    }
  }
}

/** Chat roles whose messages are the replies a model learns to write. */
const ASSISTANT_ROLES = new Set(['assistant', 'gpt', 'bot', 'model']);

/**
 * A pairs / instruction / chat example as training text, with the length of its prompt: everything before the
 * completion (pairs), the output (instructions), or the last assistant reply (chats; the last message when no role is
 * an assistant's). The template puts that part last, so the prompt is the text rendered with it left empty.
 */
function renderedExample(parts: ExampleParts): { text: string; promptChars: number } {
  const text = renderParts(parts);
  let prefix: ExampleParts;
  if ('prompt' in parts) prefix = { ...parts, completion: '' };
  else if ('instruction' in parts) prefix = { ...parts, output: '' };
  else if (parts.messages.length === 0) return { text, promptChars: 0 };
  else {
    const roles = parts.messages.map((m) => m.role.trim().toLowerCase());
    const last = roles.findLastIndex((role) => ASSISTANT_ROLES.has(role));
    const reply = last >= 0 ? last : parts.messages.length - 1;
    prefix = { messages: [...parts.messages.slice(0, reply), { ...parts.messages[reply], content: '' }] };
  }
  const promptText = renderParts(prefix);
  return { text, promptChars: text.startsWith(promptText) ? promptText.length : 0 };
}
