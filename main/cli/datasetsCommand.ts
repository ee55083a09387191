// `tunebench datasets …`
import { existsSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { DatasetSummary } from '../../common/domain';
import { badInput } from '../../common/result';
import type { Services } from '../services';
import { parseCommandArgs } from './args';
import { print, printJson, printTable, type CliIo } from './output';
import { bar, formatBytes, ProgressLine } from './progress';

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

