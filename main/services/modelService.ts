// Models as users pick them: the built-in bases and the model each finished run trained (its last checkpoint), and
// the playground calls that use them through the inference process.
import type { ModelSource } from '../../common/contracts/models';
import type { ModelInfo } from '../../common/evaluation';
import type { ClassifyResult, GenerateRequest, GenerateResult, ModelRef } from '../../common/protocol';
import { TunebenchError } from '../../common/result';
import { listBuiltinModels } from '../models/registry';
import { isImportedModel } from '../../common/config';
import type { BaseFolders } from '../models/baseFolders';
import type { EventBus } from './eventBus';
import type { InferenceService } from './inferenceService';
import type { RunStore } from './runStore';

export class ModelService {
  constructor(
    private readonly deps: { resourcesDir: string; store: RunStore; inference: InferenceService; events: EventBus; bases: BaseFolders },
  ) {}

  /** Built-in bases, then imported models. */
  list(): ModelInfo[] {
    return [...listBuiltinModels(this.deps.resourcesDir), ...this.deps.bases.imported.list()];
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
    return base === 'stories260k' || isImportedModel(base) ? { kind: 'builtin', path: this.deps.bases.pathOf(base)! } : null;
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
