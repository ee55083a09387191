// `tunebench models list|import|pull`, `generate`, `classify`, `eval` and `export`: using built-in, imported and
// cached models and trained runs.
import { existsSync } from 'node:fs';
import type { ListedModel, ModelSource } from '../../common/contracts/models';
import { BASE_MODELS, isCachedModel } from '../../common/config';
import { exportFormats, ggufQuants, type EvalReport, type ExportResult, type GgufQuant } from '../../common/evaluation';
import { generateRequestSchema } from '../../common/protocol';
import { badInput } from '../../common/result';
import type { Services } from '../services';
import { parseCommandArgs } from './args';
import { importDataset } from './datasetsCommand';
import { print, printJson, printTable, type CliIo } from './output';
import { parsePullName } from '../models/hfPull';
import { bar, formatBytes, formatDuration, ProgressLine } from './progress';

export async function modelsCommand(services: Services, io: CliIo, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'import') {
    const { values, positionals } = parseCommandArgs('models import', rest, { name: { type: 'string' }, json: { type: 'boolean' } });
    if (positionals.length !== 1) throw badInput('models import takes one folder, for example `tunebench models import ./my-llama`.');
    const model = services.models.import(positionals[0], values.name);
    if (values.json) printJson(io, model);
    else print(io, `imported ${model.name} as ${model.id} (${model.parameters.toLocaleString('en-US')} parameters)`);
    return 0;
  }
  if (sub === 'pull') return pullCommand(services, io, rest);
  if (sub === 'search') {
    const { values, positionals } = parseCommandArgs('models search', rest, { json: { type: 'boolean' } });
    if (positionals.length !== 1) throw badInput('models search takes one query, for example `tunebench models search SmolLM2`.');
    const found = await services.models.search(positionals[0]);
    if (values.json) printJson(io, found);
    else if (found.length === 0) print(io, `No text-generation model on the Hub matches '${positionals[0]}'.`);
    else printTable(io, ['MODEL', 'DOWNLOADS', 'LIKES', 'GATED'], found.map((m) => [m.repo, m.downloads.toLocaleString('en-US'), String(m.likes), m.gated ? 'yes' : '']));
    return 0;
  }
  if (sub !== 'list') throw badInput(`Unknown command 'models ${sub ?? ''}'; use \`models list\`, \`models import <folder>\`, \`models search <query>\` or \`models pull <org/name>\`.`);
  const { values } = parseCommandArgs('models list', rest, { json: { type: 'boolean' } });
  const models = services.models.list();
  if (values.json) printJson(io, models);
  else printModels(io, models, services.models.cacheDir);
  return 0;
}

const SOURCE_LABEL: Record<string, string> = { builtin: 'built-in', imported: 'imported', 'hf-cache': 'hf cache' };

function printModels(io: CliIo, models: ListedModel[], cacheDir: string): void {
  const usable = models.filter((m) => m.runnable !== false);
  printTable(
    io,
    ['ID', 'KIND', 'FAMILY', 'PARAMETERS', 'SIZE', 'FROM', 'LICENSE'],
    usable.map((m) => [m.id, m.kind, m.family ?? '', m.parameters.toLocaleString('en-US'), m.bytes ? formatBytes(m.bytes) : '', SOURCE_LABEL[m.source ?? ''] ?? '', m.license]),
  );
  const refused = models.filter((m) => m.runnable === false);
  if (refused.length) {
    print(io, `\nin the Hugging Face cache (${cacheDir}) but not runnable:`);
    for (const m of refused) print(io, `  ${m.id}  ${m.reason ?? ''}`);
  }
}

/** `models pull org/name[@revision]`: progress on stderr, the model (as `models list` shows it) on stdout. */
async function pullCommand(services: Services, io: CliIo, args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('models pull', args, { json: { type: 'boolean' } });
  if (positionals.length !== 1) throw badInput('models pull takes one model name, for example `tunebench models pull HuggingFaceTB/SmolLM2-135M` (or org/name@revision).');
  const { repo, revision } = parsePullName(positionals[0]);
  const progress = new ProgressLine(io.stderr);
  const started = Date.now();
  const controller = { cancel: () => {} };
  const onSigint = () => {
    io.stderr.write('\ncancelling… (what arrived is kept; pulling again resumes it)\n');
    controller.cancel();
  };
  process.once('SIGINT', onSigint);
  const requestId = `cli-${process.pid}`;
  controller.cancel = () => services.models.cancelPull(requestId);
  let pulled: Awaited<ReturnType<Services['models']['pull']>>;
  try {
    pulled = await services.models.pull({ requestId, repo, revision }, (p) => {
      if (p.phase === 'checking') progress.update(`checking ${repo}: ${p.files} files, ${formatBytes(p.totalBytes)}${p.bytes ? ` (${formatBytes(p.bytes)} of it already in the cache)` : ''}`, true);
      else if (p.phase === 'downloading') {
        const speed = p.bytesPerSecond > 0 ? `  ${formatBytes(Math.round(p.bytesPerSecond))}/s` : '';
        const eta = p.etaSeconds !== null && p.bytesPerSecond > 0 ? `  ETA ${formatDuration(p.etaSeconds * 1000)}` : '';
        progress.update(`pull ${repo} ${p.file ?? ''} ${bar(p.totalBytes ? p.bytes / p.totalBytes : 1)} ${formatBytes(p.bytes)} / ${formatBytes(p.totalBytes)}${speed}${eta}`);
      }
    });
  } finally {
    process.off('SIGINT', onSigint);
  }
  const { model, result } = pulled;
  progress.done(`pulled ${repo} at ${result.commit.slice(0, 12)}: ${result.files.length} files, ${formatBytes(result.totalBytes)} (${formatBytes(result.downloadedBytes)} downloaded) in ${formatDuration(Date.now() - started)}`);
  if (values.json) printJson(io, model);
  else print(io, `${model.id}  ${model.family ?? ''}  ${model.parameters.toLocaleString('en-US')} parameters  ${result.path}`);
  return 0;
}

const sourceOf = (ref: string): ModelSource =>
  (BASE_MODELS as readonly string[]).includes(ref) || ref.startsWith('im-') || isCachedModel(ref) ? { kind: 'builtin', model: ref } : { kind: 'run', runId: ref };

function numberFlag(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n)) throw badInput(`--${name} takes a number, not '${raw}'.`);
  return n;
}

export async function generateCommand(services: Services, io: CliIo, args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('generate', args, {
    prompt: { type: 'string', default: '' },
    temperature: { type: 'string' },
    'top-k': { type: 'string' },
    'top-p': { type: 'string' },
    'max-tokens': { type: 'string' },
    stop: { type: 'string', multiple: true, default: [] },
    seed: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (positionals.length !== 1) throw badInput('generate takes one model or run, for example `tunebench generate stories260k --prompt "Once upon a time"`.');
  const parsed = generateRequestSchema.safeParse({
    prompt: values.prompt,
    temperature: numberFlag('temperature', values.temperature),
    topK: numberFlag('top-k', values['top-k']),
    topP: numberFlag('top-p', values['top-p']),
    maxTokens: numberFlag('max-tokens', values['max-tokens']),
    stop: values.stop,
    seed: numberFlag('seed', values.seed),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw badInput(`generate: '${issue.path.join('.')}' is invalid: ${issue.message}.`);
  }
  const source = sourceOf(positionals[0]);
  // without --json the prompt and then each token are written as they come
  if (!values.json) io.stdout.write(parsed.data.prompt);
  const off = values.json ? () => {} : services.events.on('playground.onDidToken', (t) => t.requestId === 'cli' && io.stdout.write(t.text));
  const result = await services.models.generate({ requestId: 'cli', source, request: parsed.data }).finally(off);
  if (values.json) printJson(io, result);
  else io.stdout.write('\n');
  return 0;
}

export async function classifyCommand(services: Services, io: CliIo, args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('classify', args, { text: { type: 'string', multiple: true, default: [] }, json: { type: 'boolean' } });
  const texts = values.text as string[];
  if (positionals.length !== 1 || texts.length === 0) throw badInput('classify takes one run and at least one --text, for example `tunebench classify run-1a2b3c4d --text "great film"`.');
  const { labels, probs } = await services.models.classify({ runId: positionals[0], texts });
  const rows = texts.map((text, i) => {
    const ranked = labels.map((label, j) => ({ label, probability: probs[i][j] })).sort((a, b) => b.probability - a.probability);
    return { text, label: ranked[0].label, probabilities: Object.fromEntries(ranked.map((r) => [r.label, r.probability])) };
  });
  if (values.json) printJson(io, texts.length === 1 ? rows[0] : rows);
  else printTable(io, ['LABEL', 'P', 'TEXT'], rows.map((r) => [r.label, r.probabilities[r.label].toFixed(3), r.text.length > 60 ? `${r.text.slice(0, 57)}…` : r.text]));
  return 0;
}

export async function evalCommand(services: Services, io: CliIo, args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('eval', args, { dataset: { type: 'string' }, json: { type: 'boolean' } });
  if (positionals.length !== 1) throw badInput('eval takes one run, for example `tunebench eval run-1a2b3c4d --dataset test.csv`.');
  const runId = positionals[0];
  services.runs.get(runId); // an unknown run is reported before a file is imported
  let datasetId: string | undefined;
  if (values.dataset) {
    // a file is imported whole as test data (nothing of it is trained on); otherwise an imported dataset's id or name
    datasetId = existsSync(values.dataset)
      ? (await importDataset(services, io, values.dataset, undefined, { split: { train: 0, validation: 0, test: 1 } })).id
      : services.datasets.get(values.dataset).id;
  }
  const report = await withEvalProgress(services, io, runId, services.evaluations.evaluate(runId, datasetId));
  if (values.json) printJson(io, report);
  else printReport(io, report);
  return 0;
}

export async function exportCommand(services: Services, io: CliIo, args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('export', args, { format: { type: 'string', default: 'safetensors' }, quant: { type: 'string' }, json: { type: 'boolean' } });
  if (positionals.length !== 1) throw badInput('export takes one run, for example `tunebench export run-1a2b3c4d --format safetensors`.');
  const format = values.format as string;
  if (!(exportFormats as readonly string[]).includes(format)) throw badInput(`--format ${format}: expected safetensors, tfjs, adapter or gguf.`);
  const quant = values.quant as string | undefined;
  if (quant !== undefined && format !== 'gguf') throw badInput(`--quant applies to --format gguf only.`);
  if (quant !== undefined && !(ggufQuants as readonly string[]).includes(quant)) throw badInput(`--quant ${quant}: expected f16, q8_0 or q4_k_m.`);
  const result = services.exports.export(positionals[0], format as ExportResult['format'], { quant: quant as GgufQuant | undefined });
  // what the export could not write as asked goes to stderr, whatever the output format
  for (const w of result.warnings ?? []) io.stderr.write(`warning: ${w}\n`);
  if (values.json) printJson(io, result);
  else {
    print(io, result.dir);
    for (const f of result.files) print(io, `  ${f.name}  ${formatBytes(f.bytes)}`);
  }
  return 0;
}

/** Writes an evaluation's progress lines to stderr until `evaluation` settles. */
export function withEvalProgress<T>(services: Services, io: CliIo, runId: string, evaluation: Promise<T>): Promise<T> {
  const off = services.events.on('runs.onDidEvalProgress', (p) => {
    if (p.runId === runId) io.stderr.write(`${p.message}\n`);
  });
  return evaluation.finally(off);
}

export function printReport(io: CliIo, report: EvalReport): void {
  print(io, `evaluation of ${report.runId} on ${report.source.datasetName} (${report.source.split})`);
  const c = report.classification;
  if (c) {
    print(io, `accuracy ${(c.accuracy * 100).toFixed(1)}%  macro-F1 ${(c.macroF1 * 100).toFixed(1)}%  (${c.examples} examples)`);
    printTable(io, ['LABEL', 'PRECISION', 'RECALL', 'F1', 'SUPPORT'], c.perClass.map((p) => [p.label, p.precision.toFixed(3), p.recall.toFixed(3), p.f1.toFixed(3), String(p.support)]));
  }
  const g = report.generation;
  if (g) {
    if (g.base) print(io, `base  loss ${g.base.loss.toFixed(4)}  perplexity ${g.base.perplexity.toFixed(2)}`);
    print(io, `tuned loss ${g.tuned.loss.toFixed(4)}  perplexity ${g.tuned.perplexity.toFixed(2)}  (${g.tuned.tokens} tokens)`);
    for (const s of g.samples) print(io, `\nprompt: ${s.prompt}\n${s.base !== null ? `  base:  ${s.base}\n` : ''}  tuned: ${s.tuned}`);
  }
}
