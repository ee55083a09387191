// `tunebench train …`: starts a run in a trainer process and follows it with a progress line until it ends.
import { existsSync } from 'node:fs';
import { parseSetArgs, PRESET_NAMES, resolveTrainConfig, type PresetName } from '../../common/config';
import { badInput } from '../../common/result';
import type { Services } from '../services';
import { parseCommandArgs } from './args';
import { importDataset } from './datasetsCommand';
import { print, printJson, type CliIo } from './output';
import { bar, formatDuration, ProgressLine } from './progress';

export async function trainCommand(services: Services, io: CliIo, args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('train', args, {
    dataset: { type: 'string' },
    preset: { type: 'string', default: 'quick' },
    set: { type: 'string', multiple: true, default: [] },
    json: { type: 'boolean' },
  });
  if (positionals.length) throw badInput(`train: unexpected argument '${positionals[0]}'; name the data with --dataset.`);
  if (!values.dataset) throw badInput('train needs --dataset <id|name|file>.');
  const preset = values.preset as string;
  if (!(PRESET_NAMES as string[]).includes(preset)) throw badInput(`Unknown preset '${preset}' (known: ${PRESET_NAMES.join(', ')}).`);
  const overrides = parseSetArgs(values.set as string[]);
  resolveTrainConfig(preset as PresetName, overrides); // a bad setting is reported before anything is imported

  const ref = values.dataset;
  const dataset = existsSync(ref) ? await importDataset(services, io, ref) : services.datasets.get(ref);
  const run = services.runs.start({ datasetId: dataset.id, preset: preset as PresetName, overrides });
  const totalSteps = run.config.steps;
  const progress = new ProgressLine(io.stderr);
  const startedMs = Date.now();
  const latest: Record<string, number> = {};
  let step = 0;
  const offMetrics = services.events.on('runs.onDidMetrics', ({ runId, points }) => {
    if (runId !== run.id) return;
    for (const p of points) {
      latest[p.name] = p.value;
      step = Math.max(step, p.step);
    }
    const elapsed = Date.now() - startedMs;
    const eta = step > 0 ? ((totalSteps - step) * elapsed) / step : NaN;
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
  io.stderr.write(`run ${run.id}: ${dataset.name} (${dataset.task}), preset ${preset}, ${totalSteps} steps\n`);
  const final = await services.runs.waitFor(run.id);
  process.off('SIGINT', onSigint);
  offMetrics();
  offLog();
  progress.done(`run ${final.id} ${final.status} on ${final.backend ?? 'no backend'} in ${formatDuration(final.durationMs ?? 0)}`);
  if (final.error) io.stderr.write(`error: ${final.error}\n`);
  if (values.json) printJson(io, { runId: final.id, status: final.status, backend: final.backend, metrics: final.metrics, durationMs: final.durationMs });
  else print(io, final.id);
  return final.status === 'completed' ? 0 : final.status === 'cancelled' ? 130 : 1;
}

