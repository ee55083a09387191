// Models as users pick them: the built-in bases, imported folders, the Hugging Face cache (and downloads into it by
// name), the model each finished run trained (its last checkpoint), and the playground calls that use them through
// the inference process.
import type { HubModel, ListedModel, ModelSource, PullProgress } from '../../common/contracts/models';
import type { ModelInfo } from '../../common/evaluation';
import type { ClassifyResult, GenerateRequest, GenerateResult, ModelRef } from '../../common/protocol';
import { TunebenchError } from '../../common/result';
import { listBuiltinModels } from '../models/registry';
import { isFolderModel } from '../../common/config';
import type { BaseFolders } from '../models/baseFolders';
import { pullModel, searchModels, type PullResult } from '../models/hfPull';
import type { EventBus } from './eventBus';
import type { InferenceService } from './inferenceService';
import type { RunStore } from './runStore';

export class ModelService {
  constructor(
    private readonly deps: { resourcesDir: string; store: RunStore; inference: InferenceService; events: EventBus; bases: BaseFolders },
  ) {}

  /** The Hugging Face cache this process reads and pulls into. */
  get cacheDir(): string {
    return this.deps.bases.cache.dir;
  }

  private readonly pulls = new Map<string, { repo: string; controller: AbortController }>();

  /** Built-in bases, imported models, then every model in the Hugging Face cache (those it cannot run with the reason). */
  list(): ListedModel[] {
    return [
      ...listBuiltinModels(this.deps.resourcesDir).map((m) => ({ ...m, source: 'builtin' as const })),
      ...this.deps.bases.imported.list().map((m) => ({ ...m, source: 'imported' as const })),
      ...this.deps.bases.cache.list(),
    ];
  }

  /**
   * Downloads a model by name into the Hugging Face cache (see main/models/hfPull.ts); progress as
   * models.onDidPullProgress events tagged with `requestId` (a few a second), cancelled by cancelPull(requestId).
   */
  async pull(input: { requestId: string; repo: string; revision?: string }, onProgress?: (p: PullProgress) => void): Promise<{ model: ListedModel; result: PullResult }> {
    if (this.pulls.has(input.requestId)) throw new TunebenchError('conflict', `A pull with request id ${input.requestId} is already under way.`);
    const busy = [...this.pulls.values()].find((p) => p.repo === input.repo);
    if (busy) throw new TunebenchError('conflict', `${input.repo} is already being downloaded; wait for it to finish or cancel it.`);
    const controller = new AbortController();
    this.pulls.set(input.requestId, { repo: input.repo, controller });
    let last = 0;
    try {
      const result = await pullModel({
        repo: input.repo,
        revision: input.revision,
        cacheDir: this.deps.bases.cache.dir,
        signal: controller.signal,
        onProgress: (p) => {
          const now = Date.now();
          if (p.phase === 'downloading' && now - last < 250) return;
          last = now;
          const progress = { requestId: input.requestId, ...p };
          onProgress?.(progress);
          this.deps.events.emit('models.onDidPullProgress', progress);
        },
      });
      return { model: this.deps.bases.cache.get(result.id), result };
    } finally {
      this.pulls.delete(input.requestId);
    }
  }

  /** Text-generation models on the Hub whose name contains `query` (see main/models/hfPull.ts). */
  search(query: string): Promise<HubModel[]> {
    return searchModels({ query });
  }

  /** Stops a pull; what it downloaded stays in the cache, and pulling again resumes it. */
  cancelPull(requestId: string): { cancelled: boolean } {
    const pull = this.pulls.get(requestId);
    if (!pull) return { cancelled: false };
    pull.controller.abort();
    return { cancelled: true };
  }

  import(folder: string, name?: string): ModelInfo {
    return this.deps.bases.imported.import(folder, name);
  }

  /** Where a model's files are: a built-in folder, or the last checkpoint of a run (with its base, if any). */
  refFor(source: ModelSource): ModelRef {
    if (source.kind === 'builtin') {
      if (source.model === 'scratch') throw new TunebenchError('bad-input', "'scratch' is not a model: it means training from random weights.");
      return { kind: 'builtin', path: this.deps.bases.pathOf(source.model)! };
    }
    const run = this.deps.store.summary(source.runId);
    const last = this.deps.store.checkpoints(source.runId).at(-1);
    if (!last) {
      throw new TunebenchError('conflict', `Run ${run.id} has no saved model yet (${run.status}); models are saved when a run completes or at its checkpoints.`);
    }
    const basePath = this.deps.bases.pathOf(run.config.base);
    return { kind: 'checkpoint', path: last.path, ...(basePath ? { basePath } : {}) };
  }

  /** The base model a run started from, when it had one (for before/after comparisons). */
  baseOf(runId: string): ModelRef | null {
    const base = this.deps.store.summary(runId).config.base;
    return base === 'stories260k' || isFolderModel(base) ? { kind: 'builtin', path: this.deps.bases.pathOf(base)! } : null;
  }

  /** Streams tokens as playground.onDidToken events tagged with the caller's requestId. */
  generate(input: { requestId: string; source: ModelSource; request: GenerateRequest }): Promise<GenerateResult> {
    const ref = this.refFor(input.source);
    if (input.source.kind === 'run') this.requireTask(input.source.runId, 'generate');
    return this.deps.inference.generate(ref, input.request, (text) => this.deps.events.emit('playground.onDidToken', { requestId: input.requestId, text }));
  }

  classify(input: { runId: string; texts: string[] }): Promise<ClassifyResult> {
    this.requireTask(input.runId, 'classify');
    return this.deps.inference.classify(this.refFor({ kind: 'run', runId: input.runId }), input.texts);
  }

  private requireTask(runId: string, task: 'generate' | 'classify'): void {
    const run = this.deps.store.summary(runId);
    if (run.task !== task) {
      const has = run.task === 'classify' ? 'classifies texts' : 'generates text';
      throw new TunebenchError('bad-input', `Run ${runId} ${has}; ${task === 'classify' ? 'classify' : 'generate'} needs a run trained to ${task === 'classify' ? 'classify' : 'generate'}.`);
    }
  }
}
