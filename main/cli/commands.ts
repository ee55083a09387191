// The `tunebench` commands over the services. Each returns the exit status; results go to stdout (a table, or one
// JSON document with --json), progress and messages to stderr.
import { existsSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { parseSetArgs, PRESET_NAMES, resolveTrainConfig, type PresetName } from '../../common/config';
import type { DatasetSummary, RunSummary } from '../../common/domain';
import { badInput } from '../../common/result';
import type { Services } from '../services';
import { parseCommandArgs } from './args';
import { bar, formatBytes, formatDuration, ProgressLine } from './progress';

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WriteStream;
}

const print = (io: CliIo, text: string) => io.stdout.write(`${text}\n`);
const printJson = (io: CliIo, value: unknown) => io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

export async function importDataset(services: Services, io: CliIo, file: string, name?: string): Promise<DatasetSummary> {
  if (!existsSync(file)) throw badInput(`${file} does not exist.`);
  if (!statSync(file).isFile()) throw badInput(`${file} is not a file.`);
  const progress = new ProgressLine(io.stderr);
  const summary = await services.datasets.importFile(file, {
    name,
    onProgress: ({ bytesRead, totalBytes }) =>
      progress.update(`importing ${basename(file)} ${bar(totalBytes ? bytesRead / totalBytes : 1)} ${formatBytes(bytesRead)}`),
  });
  progress.done(`imported ${summary.name}: ${summary.rows} rows, task ${summary.task}${summary.labels.length ? `, ${summary.labels.length} labels` : ''} (${summary.id})`);
  return summary;
}

export async function datasetsCommand(services: Services, io: CliIo, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'import') {
    const { values, positionals } = parseCommandArgs('datasets import', rest, { name: { type: 'string' }, json: { type: 'boolean' } });
    if (positionals.length !== 1) throw badInput('datasets import takes exactly one file, for example `tunebench datasets import reviews.csv`.');
    const summary = await importDataset(services, io, positionals[0], values.name);
    if (values.json) printJson(io, summary);
    else print(io, summary.id);
    return 0;
  }
  if (sub === 'list') {
    const { values } = parseCommandArgs('datasets list', rest, { json: { type: 'boolean' } });
    const list = services.datasets.list();
    if (values.json) printJson(io, list);
    else if (list.length === 0) print(io, 'No datasets yet: import one with `tunebench datasets import <file>`.');
    else printTable(io, ['ID', 'NAME', 'TASK', 'ROWS', 'LABELS', 'IMPORTED'], list.map((d) => [d.id, d.name, d.task, String(d.rows), String(d.labels.length || '-'), d.createdAt]));
    return 0;
  }
  throw badInput(`Unknown command 'datasets ${sub ?? ''}'; use \`datasets import <file>\` or \`datasets list\`.`);
}

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
  const dataset = existsSync(ref) && statSync(ref).isFile() ? await importDataset(services, io, ref) : services.datasets.get(ref);
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

export async function runsCommand(services: Services, io: CliIo, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'list') {
    const { values } = parseCommandArgs('runs list', rest, { json: { type: 'boolean' } });
    const list = services.runs.list();
    if (values.json) printJson(io, list);
    else if (list.length === 0) print(io, 'No runs yet: start one with `tunebench train --dataset <file>`.');
    else printTable(io, ['ID', 'DATASET', 'STATUS', 'BACKEND', 'STEP', 'LOSS', 'VAL_LOSS', 'DURATION'], list.map(runRow));
    return 0;
  }
  if (sub === 'show') {
    const { values, positionals } = parseCommandArgs('runs show', rest, { json: { type: 'boolean' } });
    if (positionals.length !== 1) throw badInput('runs show takes one run id, for example `tunebench runs show run-1a2b3c4d`.');
    const detail = services.runs.get(positionals[0]);
    if (values.json) {
      printJson(io, detail);
      return 0;
    }
    printTable(io, ['ID', 'DATASET', 'STATUS', 'BACKEND', 'STEP', 'LOSS', 'VAL_LOSS', 'DURATION'], [runRow(detail)]);
    print(io, `\nconfig: ${JSON.stringify(detail.config)}`);
    if (detail.error) print(io, `error: ${detail.error}`);
    for (const [name, series] of Object.entries(detail.series)) {
      const first = series[0];
      const last = series[series.length - 1];
      print(io, `${name}: ${series.length} points, step ${first.step} → ${last.step}: ${first.value.toFixed(4)} → ${last.value.toFixed(4)}`);
    }
    for (const c of detail.checkpoints) print(io, `checkpoint step ${c.step}: ${c.path} (${formatBytes(c.bytes)})`);
    return 0;
  }
  throw badInput(`Unknown command 'runs ${sub ?? ''}'; use \`runs list\` or \`runs show <run>\`.`);
}

function runRow(r: RunSummary): string[] {
  const fmt = (v: number | undefined) => (v === undefined ? '-' : v.toFixed(4));
  return [r.id, r.datasetName, r.status, r.backend ?? '-', String(r.lastStep), fmt(r.metrics.loss), fmt(r.metrics.val_loss), r.durationMs === null ? '-' : formatDuration(r.durationMs)];
}

function printTable(io: CliIo, header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  print(io, [line(header), ...rows.map(line)].join('\n'));
}
