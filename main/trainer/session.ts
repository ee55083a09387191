// One trainer session: wait for `start`, choose a backend, prepare data, build the model, train, report. All message
// traffic goes through a TrainerChannel, so the process entry (worker.ts) and tests drive the same code.
import { isFolderModel } from '../../common/config';
import { hostMessageSchema, type HostMessage, type TrainerMessage } from '../../common/protocol';
import { TunebenchError } from '../../common/result';
import { selectBackend as defaultSelectBackend, type SelectedBackend } from './backend';
import { restoreCheckpoint, writeCheckpoint } from './gpt/checkpoint';
import { prepareData } from './data';
import { train } from './gpt/loop';
import { GptModel } from './gpt/model';
import { RunControl } from './runControl';
import { fineTuneDecoderRun, fineTuneLlamaRun, trainFewShotRun } from './pretrainedRuns';

export interface TrainerChannel {
  send(message: TrainerMessage): void;
  /** Every message from the host, unvalidated. */
  onMessage(listener: (message: unknown) => void): void;
}

export interface SessionOptions {
  /** Replaces backend selection (tests). */
  selectBackend?: typeof defaultSelectBackend;
}

/** How the session ended; the process exits 0 after `done`, 1 after `error`. */
export type SessionOutcome = { kind: 'done'; status: 'completed' | 'cancelled'; step: number } | { kind: 'error'; message: string };

export type StartMessage = Extract<HostMessage, { type: 'start' }>;

/** What every kind of training run reports through; the session turns these into protocol messages. */
export interface RunHooks {
  onMetrics(step: number, values: Record<string, number>): void;
  onCheckpoint(info: { step: number; path: string; bytes: number }): void;
  onLog(level: 'info' | 'warn', message: string): void;
  shouldStop(): boolean;
  waitWhilePaused(): Promise<void>;
}

export type RunTrainer = (start: StartMessage, hooks: RunHooks) => Promise<{ status: 'completed' | 'cancelled'; step: number }>;

/** From scratch: the GPT-2-layout char model; from a built-in base: that base's own trainer. */
function trainerFor(base: StartMessage['config']['base']): RunTrainer {
  if (base === 'glove-6b-100d') return trainFewShotRun;
  if (base === 'stories260k') return fineTuneLlamaRun;
  if (isFolderModel(base)) return fineTuneDecoderRun; // a Hugging Face folder of any family, imported or cached (checked by the host)
  return trainScratchRun;
}

/** A GPT-2-layout model over a character vocabulary, from random weights. */
const trainScratchRun: RunTrainer = async ({ config, data, checkpointDir, resumeFrom }, hooks) => {
  const prepared = prepareData(data, config, hooks.onLog);
  const model = new GptModel(
    {
      task: data.task,
      vocabSize: prepared.tokenizer.size,
      numLabels: prepared.labels.length,
      nLayer: config.nLayer,
      nHead: config.nHead,
      dModel: config.dModel,
      contextLength: config.contextLength,
      dropout: config.dropout,
    },
    config.seed,
  );
  try {
    hooks.onLog('info', `Model: ${model.parameterCount.toLocaleString('en-US')} parameters, vocabulary of ${prepared.tokenizer.size} tokens.`);
    const ctx = { dir: checkpointDir, config, task: data.task, labels: prepared.labels, tokenizer: prepared.tokenizer };
    const resume = resumeFrom ? restoreCheckpoint(model, resumeFrom.checkpoint) : undefined;
    if (resume) hooks.onLog('info', `Resuming after step ${resume.step} from ${resumeFrom!.checkpoint}.`);
    return await train({
      resume,
      model,
      data: prepared,
      config,
      onMetrics: hooks.onMetrics,
      onCheckpoint: async (step, optimizerState) => hooks.onCheckpoint(await writeCheckpoint(model, step, ctx, optimizerState)),
      onLog: hooks.onLog,
      shouldStop: hooks.shouldStop,
      waitWhilePaused: hooks.waitWhilePaused,
    });
  } finally {
    model.dispose();
  }
};

const MIB = 2 ** 20;

/**
 * What the run held in memory: peak_rss_mb, the process's high-water resident set (getrusage's ru_maxrss: weights,
 * optimizer, activations, the backend's heap, checkpoint copies and Node itself), and baseline_rss_mb, its resident
 * set once the backend had started, before data or model. The estimate (common/estimate.ts) is checked against them.
 */
function memoryMetrics(baselineRss: number): Record<string, number> {
  return { peak_rss_mb: (process.resourceUsage().maxRSS * 1024) / MIB, baseline_rss_mb: baselineRss / MIB };
}

function describeInvalid(raw: unknown, issues: readonly { path: PropertyKey[]; message: string }[]): string {
  const type = typeof raw === 'object' && raw !== null && 'type' in raw ? `'${String((raw as { type: unknown }).type)}' ` : '';
  const issue = issues[0];
  const where = issue?.path.length ? ` at ${issue.path.map(String).join('.')}` : '';
  return `The trainer received an invalid ${type}message${where}: ${issue?.message ?? 'unknown problem'}.`;
}

export function runTrainerSession(channel: TrainerChannel, options: SessionOptions = {}): Promise<SessionOutcome> {
  const control = new RunControl();
  let started = false;
  let finished = false;
  let failure: string | null = null;
  let resolveStart: (start: StartMessage | null) => void = () => {};
  const startReceived = new Promise<StartMessage | null>((resolve) => (resolveStart = resolve));

  const send = (message: TrainerMessage) => {
    if (!finished) channel.send(message);
  };

  channel.onMessage((raw) => {
    if (finished) return;
    const parsed = hostMessageSchema.safeParse(raw);
    if (!parsed.success) {
      failure = describeInvalid(raw, parsed.error.issues);
      control.stop();
      resolveStart(null);
      return;
    }
    const msg = parsed.data;
    switch (msg.type) {
      case 'start':
        if (started) send({ type: 'log', level: 'warn', message: 'Ignored a second start: this trainer is already running a run.' });
        started = true;
        resolveStart(msg);
        break;
      case 'pause':
        if (control.pause()) send({ type: 'status', status: 'paused', message: 'Paused after the current step.' });
        break;
      case 'resume':
        if (control.resume()) send({ type: 'status', status: 'running', message: 'Resumed.' });
        break;
      case 'cancel':
        control.stop();
        if (!started) resolveStart(null);
        break;
    }
  });

  const finish = (outcome: SessionOutcome): SessionOutcome => {
    if (outcome.kind === 'done') send({ type: 'done', status: outcome.status, step: outcome.step });
    finished = true;
    return outcome;
  };
  const fail = (err: unknown): SessionOutcome => {
    const message = err instanceof Error ? err.message : String(err);
    const stack = err instanceof Error && !(err instanceof TunebenchError) ? err.stack : undefined;
    send({ type: 'error', message, ...(stack ? { stack } : {}) });
    finished = true;
    return { kind: 'error', message };
  };

  return (async (): Promise<SessionOutcome> => {
    const start = await startReceived;
    if (failure) return fail(new TunebenchError('bad-input', failure));
    if (!start) return finish({ kind: 'done', status: 'cancelled', step: 0 });
    try {
      const { config } = start;
      const chosen: SelectedBackend = await (options.selectBackend ?? defaultSelectBackend)(config.backend);
      send({ type: 'backend', backend: chosen.backend, device: chosen.device, tried: chosen.tried });
      const baselineRss = process.memoryUsage().rss; // Node + tfjs + the backend, before any data or model
      const hooks: RunHooks = {
        onMetrics: (step, values) => send({ type: 'metrics', step, values }),
        onCheckpoint: (info) => send({ type: 'checkpoint', ...info }),
        onLog: (level, message) => send({ type: 'log', level, message }),
        shouldStop: () => control.isStopped,
        waitWhilePaused: () => control.waitWhilePaused(),
      };
      const result = await trainerFor(config.base)(start, hooks);
      if (result.status === 'completed') hooks.onMetrics(result.step, memoryMetrics(baselineRss));
      if (failure) return fail(new TunebenchError('bad-input', failure));
      return finish({ kind: 'done', status: result.status, step: result.step });
    } catch (err) {
      return fail(err);
    }
  })();
}
