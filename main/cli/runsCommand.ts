// `tunebench runs …`
import type { RunSummary } from '../../common/domain';
import { badInput } from '../../common/result';
import type { Services } from '../services';
import { parseCommandArgs } from './args';
import { print, printJson, printTable, type CliIo } from './output';
import { formatBytes, formatDuration } from './progress';
import { followRun } from './trainCommand';

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
  if (sub === 'delete') {
    const { values, positionals } = parseCommandArgs('runs delete', rest, { json: { type: 'boolean' } });
    if (positionals.length !== 1) throw badInput('runs delete takes one run id, for example `tunebench runs delete run-1a2b3c4d`.');
    services.runs.delete(positionals[0]);
    if (values.json) printJson(io, { deleted: positionals[0] });
    else print(io, `deleted ${positionals[0]}`);
    return 0;
  }
  if (sub === 'continue') {
    const { values, positionals } = parseCommandArgs('runs continue', rest, { 'from-step': { type: 'string' }, json: { type: 'boolean' } });
    if (positionals.length !== 1) throw badInput('runs continue takes one run id, for example `tunebench runs continue run-1a2b3c4d`.');
    const raw = values['from-step'];
    const fromStep = raw === undefined ? undefined : Number(raw);
    if (fromStep !== undefined && (!Number.isInteger(fromStep) || fromStep < 1)) throw badInput(`--from-step ${raw}: expected a checkpoint's step number.`);
    const run = services.runs.continue(positionals[0], fromStep);
    io.stderr.write(`run ${run.id}: continuing after step ${run.lastStep} of ${run.config.steps}\n`);
    return followRun(services, io, run, Boolean(values.json));
  }
  throw badInput(`Unknown command 'runs ${sub ?? ''}'; use \`runs list\`, \`show <run>\`, \`continue <run>\` or \`delete <run>\`.`);
}

function runRow(r: RunSummary): string[] {
  const fmt = (v: number | undefined) => (v === undefined ? '-' : v.toFixed(4));
  return [r.id, r.datasetName, r.status, r.backend ?? '-', String(r.lastStep), fmt(r.metrics.loss), fmt(r.metrics.val_loss), r.durationMs === null ? '-' : formatDuration(r.durationMs)];
}

