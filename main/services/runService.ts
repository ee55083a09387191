// Runs: resolve a config, start a trainer process, persist what it streams, forward it to subscribers, and keep the
// run's status honest when the process ends in any way (done, error message, crash, kill).
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { EventBus } from './eventBus';
import type { DatasetService } from './datasetService';
import type { RunStore } from './runStore';
import type { TrainerConnection, TrainerExit, TrainerLauncher } from './trainerProcess';
import { isFolderModel, resolveTrainConfig, type Overrides, type PresetName, type TrainConfig } from '../../common/config';
import { fewShotConfig, fewShotOnBase, profileTrainData } from '../../common/fewShotPreset';
import type { BaseFolders } from '../models/baseFolders';
import type { RunDetail, RunSummary } from '../../common/domain';
import { FINISHED_STATUSES, trainerMessageSchema, type HostMessage, type RunStatus, type TrainData, type TrainerMessage } from '../../common/protocol';
import { loraFileFor, optimizerFileFor } from '../trainer/checkpointFiles';
import { TunebenchError } from '../../common/result';
import { describeEstimate } from '../../common/estimate';
import { sizeFewShotText } from './fewShotSizing';
import { estimateFor, sizedBase, type RunEstimate } from './trainingEstimate';

interface ActiveRun {
  readonly conn: TrainerConnection;
  readonly startedMs: number;
  lastStep: number;
  ended: boolean;
  readonly waiters: ((summary: RunSummary) => void)[];
}

const UPDATE_EVERY_MS = 400; // at most this often a run's summary is pushed while metrics stream

export class RunService {
  private readonly active = new Map<string, ActiveRun>();
  private readonly lastPush = new Map<string, number>();

  constructor(
    private readonly deps: {
      store: RunStore;
      datasets: DatasetService;
      events: EventBus;
      launchTrainer: TrainerLauncher;
      dataDir: string;
      bases: BaseFolders;
    },
  ) {}

  start(input: { datasetId: string; preset: PresetName; overrides: Overrides }): RunSummary {
    const { store, datasets } = this.deps;
    const dataset = datasets.get(input.datasetId);
    const data = datasets.loadTrainData(dataset.id);
    const { config, estimate } = this.plan(data, input.preset, input.overrides);
    if (estimate?.refusal) throw new TunebenchError('bad-input', estimate.refusal); // before any process or row
    const run = store.create({ datasetId: dataset.id, task: data.task, preset: input.preset, config, hostPid: process.pid });
    this.launch(run.id, { config, data, startedMs: Date.now(), lastStep: 0 });
    return store.summary(run.id);
  }

  /**
   * What starting a run on `data` would train: the resolved config (the few-shot preset's choice included) and its
   * memory and time estimate (null for a base the estimate does not size). Writes nothing: `train --dry-run` prints it.
   */
  plan(data: TrainData, preset: PresetName, overrides: Overrides): { config: TrainConfig; estimate: RunEstimate | null } {
    const chosen = preset === 'few-shot' ? this.fewShotChoice(data, overrides) : {};
    const config = resolveTrainConfig(preset, overrides, chosen);
    checkBaseFitsTask(config, data.task, this.deps.bases);
    return this.fitBackend(config);
  }

  /**
   * The config with its estimate; for backend 'auto', the cpu backend where the run fits there but not in
   * WebAssembly's 4 GiB heap (a 1B model's LoRA, say), rather than a refusal.
   */
  fitBackend(config: TrainConfig): { config: TrainConfig; estimate: RunEstimate | null } {
    const estimate = this.estimate(config);
    if (!estimate?.refusal || config.backend !== 'auto' || estimate.backend !== 'wasm') return { config, estimate };
    const onCpu: TrainConfig = { ...config, backend: 'cpu' };
    const cpuEstimate = this.estimate(onCpu);
    return cpuEstimate && !cpuEstimate.refusal ? { config: onCpu, estimate: cpuEstimate } : { config, estimate };
  }

  /** runs.estimate: the plan's estimate for a draft (on a dataset when one is named), with its readable lines. */
  estimateDraft(input: { datasetId?: string; preset: PresetName; overrides: Overrides }): { estimate: RunEstimate | null; lines: string[] } {
    const { datasets } = this.deps;
    const { config, estimate } = input.datasetId
      ? this.plan(datasets.loadTrainData(datasets.get(input.datasetId).id), input.preset, input.overrides)
      : this.fitBackend(resolveTrainConfig(input.preset, input.overrides));
    return { estimate, lines: estimate ? describeEstimate(estimate, config.steps) : [] };
  }

  /** The memory and time estimate of a resolved config on this machine, or null for a base it does not size. */
  estimate(config: TrainConfig): RunEstimate | null {
    const base = sizedBase(config, this.deps.bases.pathOf(config.base));
    return base ? estimateFor(config, base) : null;
  }

  /**
   * The one-click preset's choice for this data, on the folder base the user named (fewShotOnBase); for text, the
   * context from the texts' token lengths and the batch from the memory estimate (fewShotSizing.ts).
   */
  private fewShotChoice(data: TrainData, overrides: Overrides): Partial<TrainConfig> {
    let chosen = fewShotConfig(profileTrainData(data));
    if (data.task !== 'generate') return chosen;
    const base = overrides.base;
    if (typeof base === 'string' && isFolderModel(base)) chosen = fewShotOnBase(chosen, base, this.deps.bases.folderModel(base).parameters);
    const on = typeof base === 'string' ? base : chosen.base!;
    return sizeFewShotText(chosen, data.train, overrides, this.deps.bases.pathOf(on));
  }

  /**
   * Trains a run on from one of its checkpoints (the latest by default): an interrupted, failed or cancelled run
   * picks up where it stopped, or a run is taken back to an earlier step. The model, the optimizer's moments and the
   * data order are restored, so the curve continues as if the run had never stopped. Runs from scratch and Llama
   * fine-tunes (full, freeze, lora) continue; few-shot runs on the GloVe encoder do not.
   */
  continue(runId: string, fromStep?: number): RunSummary {
    const { store, datasets } = this.deps;
    const run = store.summary(runId);
    const active = this.active.get(runId);
    if (active && !active.ended) throw new TunebenchError('conflict', `Run ${runId} is ${run.status}; it can be continued once it has stopped.`);
    if (run.config.base === 'glove-6b-100d') {
      throw new TunebenchError('bad-input', `Run ${runId} is a few-shot run on ${run.config.base}, which takes seconds and saves no checkpoint to continue from: start it again instead.`);
    }
    const checkpoints = store.checkpoints(runId);
    const from = fromStep === undefined ? checkpoints.at(-1) : checkpoints.find((c) => c.step === fromStep);
    if (!from) {
      const have = checkpoints.map((c) => c.step).join(', ') || 'none';
      throw new TunebenchError('bad-input', fromStep === undefined ? `Run ${runId} has no checkpoint to continue from (set checkpointEvery to save some).` : `Run ${runId} has no checkpoint at step ${fromStep} (saved steps: ${have}).`);
    }
    if (from.step >= run.config.steps) throw new TunebenchError('bad-input', `Run ${runId} already finished all ${run.config.steps} steps; name an earlier checkpoint with --from-step.`);
    if (fromStep === undefined && run.status === 'completed') {
      // early stopping ended it before config.steps: training on would undo the choice of its best step
      throw new TunebenchError('bad-input', `Run ${runId} completed at step ${from.step}, stopped early because val_loss stopped improving; name a checkpoint with --from-step to train on from it anyway.`);
    }
    if (!existsSync(from.path)) throw new TunebenchError('bad-input', `The checkpoint ${from.path} of run ${runId} is missing on disk.`);
    if (!existsSync(optimizerFileFor(from.path))) {
      throw new TunebenchError('bad-input', `The checkpoint at step ${from.step} of run ${runId} was saved without its optimizer state (by an older Tunebench), so it cannot be continued on the same curve: start the run again.`);
    }
    const data = datasets.loadTrainData(run.datasetId);
    for (const path of store.rewind(runId, from.step, process.pid)) {
      rmSync(path, { force: true });
      rmSync(optimizerFileFor(path), { force: true });
      rmSync(loraFileFor(path), { force: true });
    }
    this.launch(runId, { config: run.config, data, startedMs: Date.now() - (run.durationMs ?? 0), lastStep: from.step, resumeFrom: { checkpoint: from.path, step: from.step } });
    return store.summary(runId);
  }

  private launch(runId: string, o: { config: TrainConfig; data: TrainData; startedMs: number; lastStep: number; resumeFrom?: { checkpoint: string; step: number } }): void {
    const checkpointDir = join(this.deps.dataDir, 'checkpoints', runId);
    mkdirSync(checkpointDir, { recursive: true });
    const conn = this.deps.launchTrainer();
    const active: ActiveRun = { conn, startedMs: o.startedMs, lastStep: o.lastStep, ended: false, waiters: [] };
    this.active.set(runId, active);
    conn.onMessage((raw) => this.onTrainerMessage(runId, raw));
    conn.onExit((exit) => this.onTrainerExit(runId, exit));
    const { config, data } = o;
    const basePath = this.deps.bases.pathOf(config.base) ?? undefined;
    const start: HostMessage = { type: 'start', runId, config, data, checkpointDir, ...(basePath ? { basePath } : {}), ...(o.resumeFrom ? { resumeFrom: o.resumeFrom } : {}) };
    conn.send(start);
    this.push(runId, true);
  }

  list(): RunSummary[] {
    return this.deps.store.list();
  }

  get(runId: string): RunDetail {
    return this.deps.store.detail(runId);
  }

  pause(runId: string): RunSummary {
    this.control(runId, 'pause', ['running']);
    return this.deps.store.summary(runId);
  }

  resume(runId: string): RunSummary {
    this.control(runId, 'resume', ['paused']);
    return this.deps.store.summary(runId);
  }

  cancel(runId: string): RunSummary {
    this.control(runId, 'cancel', ['queued', 'running', 'paused']);
    return this.deps.store.summary(runId);
  }

  /** Deletes a finished run, its metrics and its checkpoint files. */
  delete(runId: string): void {
    const active = this.active.get(runId);
    if (active && !active.ended) throw new TunebenchError('conflict', `Run ${runId} is still training; cancel it before deleting it.`);
    this.deps.store.delete(runId);
    rmSync(join(this.deps.dataDir, 'checkpoints', runId), { recursive: true, force: true });
  }

  /** Resolves with the final summary once the run has finished (immediately if it already has). */
  waitFor(runId: string): Promise<RunSummary> {
    const active = this.active.get(runId);
    if (!active || active.ended) return Promise.resolve(this.deps.store.summary(runId));
    return new Promise((resolve) => active.waiters.push(resolve));
  }

  /** Stops every trainer (app quit, server shutdown): their runs end as interrupted. */
  shutdown(): void {
    for (const [runId, active] of this.active) {
      if (active.ended) continue;
      this.finish(runId, 'interrupted', 'Tunebench stopped while this run was training.');
      active.conn.kill();
    }
  }

  private control(runId: string, type: 'pause' | 'resume' | 'cancel', allowed: RunStatus[]): void {
    const summary = this.deps.store.summary(runId);
    const active = this.active.get(runId);
    if (!active || active.ended || !allowed.includes(summary.status)) {
      throw new TunebenchError('conflict', `Run ${runId} is ${summary.status}; it cannot be ${type === 'pause' ? 'paused' : type === 'resume' ? 'resumed' : 'cancelled'} now.`);
    }
    active.conn.send({ type } satisfies HostMessage);
  }

  private onTrainerMessage(runId: string, raw: unknown): void {
    const active = this.active.get(runId);
    if (!active || active.ended) return;
    const parsed = trainerMessageSchema.safeParse(raw);
    if (!parsed.success) {
      this.deps.events.emit('runs.onDidLog', { runId, level: 'warn', message: 'Ignored a malformed message from the trainer.' });
      return;
    }
    this.handle(runId, active, parsed.data);
  }

  private handle(runId: string, active: ActiveRun, msg: TrainerMessage): void {
    const { store, events } = this.deps;
    switch (msg.type) {
      case 'backend':
        store.update(runId, { backend: msg.backend, device: msg.device, status: 'running', startedAt: new Date().toISOString() });
        for (const line of msg.tried) events.emit('runs.onDidLog', { runId, level: 'info', message: `backend ${line}` });
        events.emit('runs.onDidLog', { runId, level: 'info', message: `training on ${msg.backend} (${msg.device})` });
        this.push(runId, true);
        break;
      case 'status':
        store.update(runId, { status: msg.status });
        if (msg.message) events.emit('runs.onDidLog', { runId, level: 'info', message: msg.message });
        this.push(runId, true);
        break;
      case 'metrics': {
        const points = Object.entries(msg.values).map(([name, value]) => ({ step: msg.step, name, value }));
        active.lastStep = Math.max(active.lastStep, msg.step);
        store.appendMetrics(runId, points);
        events.emit('runs.onDidMetrics', { runId, points });
        this.push(runId, false);
        break;
      }
      case 'checkpoint':
        store.addCheckpoint(runId, { step: msg.step, path: msg.path, bytes: msg.bytes });
        events.emit('runs.onDidLog', { runId, level: 'info', message: `checkpoint at step ${msg.step}: ${msg.path}` });
        break;
      case 'log':
        events.emit('runs.onDidLog', { runId, level: msg.level, message: msg.message });
        break;
      case 'done':
        active.lastStep = Math.max(active.lastStep, msg.step);
        this.finish(runId, msg.status, null);
        break;
      case 'error':
        this.finish(runId, 'failed', msg.message);
        break;
    }
  }

  private onTrainerExit(runId: string, exit: TrainerExit): void {
    const active = this.active.get(runId);
    if (!active) return;
    if (!active.ended) {
      const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
      const detail = exit.stderrTail ? `: ${lastLines(exit.stderrTail, 5)}` : '';
      this.finish(runId, 'failed', `The trainer process ${how} before the run finished${detail}`);
    }
    this.active.delete(runId);
  }

  private finish(runId: string, status: RunStatus, error: string | null): void {
    const active = this.active.get(runId);
    if (!active || active.ended) return;
    active.ended = true;
    const { store } = this.deps;
    store.flush();
    const summary = store.update(runId, {
      status,
      error,
      lastStep: active.lastStep,
      finishedAt: new Date().toISOString(),
      durationMs: Date.now() - active.startedMs,
    });
    if (error) this.deps.events.emit('runs.onDidLog', { runId, level: 'error', message: error });
    this.deps.events.emit('runs.onDidUpdate', summary);
    for (const resolve of active.waiters.splice(0)) resolve(summary);
    if (FINISHED_STATUSES.includes(status) && status !== 'failed') {
      // the trainer exits by itself after `done`; make sure a cancelled one does not linger
      setTimeout(() => active.conn.kill(), 5000).unref();
    }
  }

  /** Pushes the run's summary to subscribers; metric-driven pushes are throttled. */
  private push(runId: string, force: boolean): void {
    const now = Date.now();
    if (!force && now - (this.lastPush.get(runId) ?? 0) < UPDATE_EVERY_MS) return;
    this.lastPush.set(runId, now);
    const summary = this.deps.store.summary(runId);
    const active = this.active.get(runId);
    if (active) summary.lastStep = Math.max(summary.lastStep, active.lastStep);
    this.deps.events.emit('runs.onDidUpdate', summary);
  }
}

/** A base model trains one kind of task; say so before a process starts rather than fail inside it. */
export function checkBaseFitsTask(config: TrainConfig, task: 'generate' | 'classify', bases: BaseFolders): void {
  if (isFolderModel(config.base)) {
    bases.pathOf(config.base); // not-found for an unknown id, one sentence for a cached model that cannot run
    if (task !== 'generate') throw new TunebenchError('bad-input', `Setting 'base' is invalid: ${config.base} generates text, and this dataset is labelled for classification (use glove-6b-100d or scratch).`);
    return;
  }
  if (config.base === 'glove-6b-100d' && task !== 'classify') {
    throw new TunebenchError('bad-input', "Setting 'base' is invalid: the glove-6b-100d encoder classifies texts, and this dataset is for text generation (use stories260k or scratch).");
  }
  if (config.base === 'stories260k' && task !== 'generate') {
    throw new TunebenchError('bad-input', "Setting 'base' is invalid: stories260k generates text, and this dataset is labelled for classification (use glove-6b-100d or scratch).");
  }
}

function lastLines(text: string, n: number): string {
  return text.split('\n').slice(-n).join(' ').replace(/\s+/g, ' ').trim();
}
