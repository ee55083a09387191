// `tunebench train …`: starts a run in a trainer process and follows it with a progress line until it ends.
import { existsSync } from 'node:fs';
import { parseSetArgs, PRESET_NAMES, resolveTrainConfig, type Overrides, type PresetName, type TrainConfig } from '../../common/config';
import { describeEstimate } from '../../common/estimate';
import type { TrainData } from '../../common/protocol';
import type { RunSummary } from '../../common/domain';
import type { EvalReport } from '../../common/evaluation';
import { badInput } from '../../common/result';
import type { Services } from '../services';
import { parseCommandArgs } from './args';
import { importDataset } from './datasetsCommand';
import { print, printJson, type CliIo } from './output';
import { printReport, withEvalProgress } from './modelCommands';
import { bar, formatDuration, ProgressLine } from './progress';

const describeConfig = (c: TrainConfig): string =>
  `steps ${c.steps}, batch ${c.batchSize}, learning rate ${c.learningRate}${c.method === 'setfit' ? `, ${c.pairsPerExample} pairs per example` : ''}`;

/** The evaluation that starts when a run completes, with its progress on stderr. */
async function followEvaluation(services: Services, io: CliIo, runId: string): Promise<EvalReport | null> {
  const pending = services.autoEvaluation(runId);
  if (!pending) return null;
  return withEvalProgress(services, io, runId, pending);
}

export async function trainCommand(services: Services, io: CliIo, args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('train', args, {
    dataset: { type: 'string' },
    preset: { type: 'string', default: 'quick' },
    set: { type: 'string', multiple: true, default: [] },
    json: { type: 'boolean' },
    'dry-run': { type: 'boolean' },
  });
  if (positionals.length) throw badInput(`train: unexpected argument '${positionals[0]}'; name the data with --dataset.`);
  if (!values.dataset) throw badInput('train needs --dataset <id|name|file>.');
  const preset = values.preset as string;
  if (!(PRESET_NAMES as string[]).includes(preset)) throw badInput(`Unknown preset '${preset}' (known: ${PRESET_NAMES.join(', ')}).`);
  const overrides = parseSetArgs(values.set as string[]);
  // a bad setting is reported before anything is imported (few-shot settings depend on the data, so are checked at start)
  if (preset !== 'few-shot') {
    const refusal = values['dry-run'] ? null : services.runs.fitBackend(resolveTrainConfig(preset as PresetName, overrides)).estimate?.refusal;
    if (refusal) throw badInput(refusal); // before a file is imported: a refused run writes nothing
  }

  const ref = values.dataset;
  if (values['dry-run']) return dryRun(services, io, await dryRunData(services, ref), preset as PresetName, overrides, Boolean(values.json));
  const dataset = existsSync(ref) ? await importDataset(services, io, ref) : services.datasets.get(ref);
  const run = services.runs.start({ datasetId: dataset.id, preset: preset as PresetName, overrides });
  io.stderr.write(`run ${run.id}: ${dataset.name} (${dataset.task}), preset ${preset}, ${run.config.steps} steps\n`);
  if (preset === 'few-shot') io.stderr.write(`chosen: base ${run.config.base}, method ${run.config.method}, ${describeConfig(run.config)}\n`);
  return followRun(services, io, run, Boolean(values.json));
}

/**
 * A dry run's data: a stored dataset's rows, or a file read without storing it (its first rows: what `datasets
 * inspect` shows), so nothing is written.
 */
async function dryRunData(services: Services, ref: string): Promise<TrainData> {
  if (!existsSync(ref)) return services.datasets.loadTrainData(services.datasets.get(ref).id);
  const inspected = await services.datasets.inspectFile(ref);
  const texts = inspected.preview.map((r) => r.text);
  if (inspected.task !== 'classify') return { task: 'generate', train: texts, validation: [] };
  const labels = inspected.labels.length >= 2 ? inspected.labels : ['a', 'b'];
  return { task: 'classify', labels, train: inspected.preview.map((r) => ({ text: r.text, label: Math.max(0, labels.indexOf(r.label ?? '')) })), validation: [] };
}

/** `train --dry-run`: the config and its memory and time estimate; exit 2 (and the refusal) when it would not fit. */
function dryRun(services: Services, io: CliIo, data: TrainData, preset: PresetName, overrides: Overrides, json: boolean): number {
  const { config, estimate } = services.runs.plan(data, preset, overrides);
  if (json) printJson(io, { dryRun: true, config, estimate });
  else {
    print(io, `base ${config.base}, method ${config.method}, ${describeConfig(config)}, context ${config.contextLength}`);
    for (const line of estimate ? describeEstimate(estimate, config.steps) : ['No memory estimate for this base: the estimate sizes fine-tunes of pretrained decoders (stories260K, imported and cached models).']) print(io, line);
  }
  if (estimate?.refusal) io.stderr.write(`${estimate.refusal}\n`);
  return estimate?.refusal ? 2 : 0;
}

/** Follows a started run with a progress line (and Ctrl+C = cancel) until it ends; prints the result. */
export async function followRun(services: Services, io: CliIo, run: RunSummary, json: boolean): Promise<number> {
  const totalSteps = run.config.steps;
  const progress = new ProgressLine(io.stderr);
  const startedMs = Date.now();
  const latest: Record<string, number> = {};
  let step = run.lastStep;
  const offMetrics = services.events.on('runs.onDidMetrics', ({ runId, points }) => {
    if (runId !== run.id) return;
    for (const p of points) {
      latest[p.name] = p.value;
      step = Math.max(step, p.step);
    }
    const elapsed = Date.now() - startedMs;
    const done = step - run.lastStep; // steps this process has seen (a continued run starts part-way)
    const eta = done > 0 ? ((totalSteps - step) * elapsed) / done : NaN;
    const losses = ['loss', 'val_loss'].filter((k) => k in latest).map((k) => `${k} ${latest[k].toFixed(4)}`).join('  ');
    progress.update(`train ${run.id} step ${step}/${totalSteps} ${bar(step / totalSteps)} ${losses}${Number.isFinite(eta) ? `  ETA ${formatDuration(eta)}` : ''}`);
  });
  const offLog = services.events.on('runs.onDidLog', ({ runId, level, message }) => {
    if (runId === run.id && level !== 'info') io.stderr.write(`${level}: ${message}\n`);
  });
  const onSigint = () => {
    io.stderr.write('\ncancelling…\n');
    try {
      services.runs.cancel(run.id);
    } catch {
      /* already finished */
    }
  };
  process.once('SIGINT', onSigint);
  const final = await services.runs.waitFor(run.id);
  process.off('SIGINT', onSigint);
  offMetrics();
  offLog();
  progress.done(`run ${final.id} ${final.status} on ${final.backend ?? 'no backend'} in ${formatDuration(final.durationMs ?? 0)}`);
  if (final.error) io.stderr.write(`error: ${final.error}\n`);
  const evaluation = final.status === 'completed' ? await followEvaluation(services, io, final.id) : null;
  if (json) {
    printJson(io, { runId: final.id, status: final.status, backend: final.backend, config: final.config, metrics: final.metrics, durationMs: final.durationMs, evaluation });
  } else {
    print(io, final.id);
    if (evaluation) printReport(io, evaluation);
  }
  return final.status === 'completed' ? 0 : final.status === 'cancelled' ? 130 : 1;
}

