// Few-shot benchmark: the setfit recipe against the linear probe (method 'head' on the same frozen pooled GloVe
// vectors), k examples per class drawn from each dataset's training side, several seeds, on SST-2 (GLUE dev = the
// labelled test.tsv), AG News (train: dev.tsv sample, test: test.tsv), TREC-6 (train_5500 / TREC_10) and SMS spam
// (stratified 80/20 split, seed 0). Evaluation sets are capped (stratified, fixed) to keep the run short. Beside
// them, on the same samples, the independent probe (independentProbe.ts): scikit-learn's default logistic regression
// on the plain mean of the shared data's GloVe vectors, the baseline an outside check would compute.
// Usage: npm run bench:fewshot [-- --json --k 8,64 --seeds 5 --first-seed 0 --datasets sst2,agnews,trec,sms --backend wasm
//        --eval-cap 2000 --set key=value ... --recipe key=value ... --probe-set key=value ...]
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { classificationMetrics } from '../common/classificationMetrics';
import { parseSetArgs, resolveTrainConfig, type BackendName, type Overrides } from '../common/config';
import { selectBackend } from '../main/trainer/backend';
import { DEFAULT_RECIPE, recommendFewShotConfig, trainFewShot, type FewShotRecipe } from '../main/trainer/fewshot';
import { rngFor, shuffle } from '../main/trainer/rng';
import { fitSklearnDefault, meanVectors, predictLogistic, readSharedGlove, type RawGlove } from './independentProbe';

interface Example { text: string; label: number }
interface Dataset { name: string; labels: string[]; train: Example[]; test: Example[]; note: string }

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const options = (name: string) => args.flatMap((a, i) => (a === `--${name}` && i + 1 < args.length ? [args[i + 1]] : []));
const progress = (line: string) => process.stderr.write(`${line}\n`);

const DATA = resolve(option('data', '/work/shared/data'));
const BASE = resolve(option('base', 'resources/models/glove-6b-100d'));
const KS = option('k', '8,64').split(',').map(Number);
const SEEDS = Number(option('seeds', '5'));
const FIRST_SEED = Number(option('first-seed', '0'));
const EVAL_CAP = Number(option('eval-cap', '2000'));
const BACKEND = option('backend', 'wasm') as BackendName;
const DATASETS = option('datasets', 'sst2,agnews,trec,sms').split(',');
const METHODS = option('methods', 'head,setfit').split(',') as ('head' | 'setfit')[];

function withLabels(rows: { text: string; label: string }[], labels: string[]): Example[] {
  return rows.map((r) => ({ text: r.text, label: labels.indexOf(r.label) }));
}
const lines = (path: string, encoding: BufferEncoding = 'utf8') => readFileSync(path, encoding).split(/\r?\n/).filter((l) => l.trim() !== '');

function tsv(path: string, header: boolean, textCol: number, labelCol: number) {
  return lines(path).slice(header ? 1 : 0).map((l) => {
    const cols = l.split('\t');
    return { text: cols[textCol].trim(), label: cols[labelCol].trim() };
  });
}

function trec(path: string) {
  return lines(path, 'latin1').map((l) => {
    const space = l.indexOf(' ');
    return { text: l.slice(space + 1).trim(), label: l.slice(0, space).split(':')[0] };
  });
}

function loadDataset(name: string): Dataset {
  const dir = join(DATA, 'classify');
  if (name === 'sst2') {
    const labels = ['0', '1'];
    return { name: 'SST-2', labels, train: withLabels(tsv(join(dir, 'sst2/train.tsv'), true, 0, 1), labels), test: withLabels(tsv(join(dir, 'sst2/test.tsv'), true, 0, 1), labels), note: 'test = GLUE dev (872)' };
  }
  if (name === 'agnews') {
    const labels = ['World', 'Sports', 'Business', 'Sci/Tech'];
    return { name: 'AG News', labels, train: withLabels(tsv(join(dir, 'agnews/dev.tsv'), false, 0, 1), labels), test: withLabels(tsv(join(dir, 'agnews/test.tsv'), false, 0, 1), labels), note: 'train side = dev.tsv' };
  }
  if (name === 'trec') {
    const labels = ['ABBR', 'DESC', 'ENTY', 'HUM', 'LOC', 'NUM'];
    return { name: 'TREC-6', labels, train: withLabels(trec(join(dir, 'trec/train_5500.label')), labels), test: withLabels(trec(join(dir, 'trec/TREC_10.label')), labels), note: 'TREC_10 test (500)' };
  }
  if (name === 'sms') {
    const labels = ['ham', 'spam'];
    const all = withLabels(tsv(join(dir, 'sms-spam/SMSSpamCollection'), true, 1, 0), labels);
    const train: Example[] = [];
    const test: Example[] = [];
    labels.forEach((_, k) => {
      const rows = shuffle(all.filter((e) => e.label === k), rngFor(0, 'sms-split'));
      const cut = Math.round(rows.length * 0.2);
      test.push(...rows.slice(0, cut));
      train.push(...rows.slice(cut));
    });
    return { name: 'SMS spam', labels, train, test, note: 'stratified 20% test, seed 0' };
  }
  throw new Error(`Unknown dataset '${name}' (known: sst2, agnews, trec, sms).`);
}

/** k per class (fewer when a class is smaller), drawn with the seed. */
function sampleK(rows: Example[], classes: number, k: number, seed: number): Example[] {
  const rng = rngFor(seed, 'bench-k');
  const out: Example[] = [];
  for (let c = 0; c < classes; c++) out.push(...shuffle(rows.filter((r) => r.label === c), rng).slice(0, k));
  return shuffle(out, rng);
}

/** At most `cap` rows, each class keeping its share (fixed seed). */
function capStratified(rows: Example[], classes: number, cap: number): Example[] {
  if (rows.length <= cap) return rows;
  const rng = rngFor(0, 'bench-eval');
  const out: Example[] = [];
  for (let c = 0; c < classes; c++) {
    const of = rows.filter((r) => r.label === c);
    out.push(...shuffle(of, rng).slice(0, Math.round((of.length * cap) / rows.length)));
  }
  return out;
}

function parseRecipe(pairs: string[]): Partial<FewShotRecipe> {
  const out: Record<string, unknown> = {};
  for (const p of pairs) {
    const [key, raw] = p.split('=');
    if (!(key in DEFAULT_RECIPE)) throw new Error(`--recipe ${p}: unknown field (known: ${Object.keys(DEFAULT_RECIPE).join(', ')}).`);
    out[key] = raw === 'true' ? true : raw === 'false' ? false : raw === 'null' ? null : Number.isFinite(Number(raw)) ? Number(raw) : raw;
  }
  return out as Partial<FewShotRecipe>;
}

const meanStd = (xs: number[]) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return { mean: m, std: Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, xs.length - 1)) };
};
const pct = (x: { mean: number; std: number }) => `${(100 * x.mean).toFixed(1)} ± ${(100 * x.std).toFixed(1)}`;

/** The probe's own settings: 300 full-batch steps converge it; lr 0.01–0.1 and decay 0–0.01 measured within 1 point. */
const PROBE: Overrides = { method: 'head', steps: 300, learningRate: 0.1, weightDecay: 0.01 };

interface RunScore { accuracy: number; macroF1: number; seconds: number; steps: number }

async function runOnce(ds: Dataset, train: Example[], test: Example[], method: 'head' | 'setfit', seed: number): Promise<RunScore> {
  const counts = ds.labels.map((_, c) => train.filter((e) => e.label === c).length).sort((a, b) => a - b);
  const profile = { classes: ds.labels.length, minPerClass: counts[0], medianPerClass: counts[Math.floor(counts.length / 2)], rows: train.length, meanWords: train.reduce((a, e) => a + e.text.split(/\s+/).length, 0) / train.length };
  const chosen = recommendFewShotConfig(profile);
  const extra: Overrides = method === 'head' ? { ...PROBE, ...parseSetArgs(options('probe-set')) } : parseSetArgs(options('set'));
  const config = resolveTrainConfig('few-shot', { backend: BACKEND, seed, ...extra }, chosen);
  const recipe = method === 'setfit' ? { ...DEFAULT_RECIPE, ...parseRecipe(options('recipe')) } : { ...DEFAULT_RECIPE, ...parseRecipe(options('probe-recipe')) };
  const started = performance.now();
  const result = await trainFewShot({ basePath: BASE, labels: ds.labels, train, validation: [], config, recipe });
  const seconds = (performance.now() - started) / 1000;
  const probs = result.model.predictProba(test.map((e) => e.text));
  result.model.dispose();
  const m = classificationMetrics(ds.labels, test.map((e) => e.label), probs, test.map((e) => e.text));
  return { accuracy: m.accuracy, macroF1: m.macroF1, seconds, steps: config.steps };
}

/** The independent probe on `train`, scored on `test` (whose mean vectors are given). */
function runIndependent(ds: Dataset, raw: RawGlove, train: Example[], test: Example[], testX: Float64Array): RunScore {
  const started = performance.now();
  const model = fitSklearnDefault(meanVectors(train.map((e) => e.text), raw), train.map((e) => e.label), raw.dims, ds.labels.length);
  const seconds = (performance.now() - started) / 1000;
  if (!model.converged) progress(`${ds.name}: the independent probe stopped short of a zero gradient (its score is still reported).`);
  const oneHot = predictLogistic(model, testX).map((c) => ds.labels.map((_, k) => (k === c ? 1 : 0)));
  const m = classificationMetrics(ds.labels, test.map((e) => e.label), oneHot, test.map((e) => e.text));
  return { accuracy: m.accuracy, macroF1: m.macroF1, seconds, steps: 0 };
}

async function main(): Promise<void> {
  if (!existsSync(join(DATA, 'classify'))) throw new Error(`${DATA}/classify is absent: the benchmark needs the shared data sets.`);
  const chosen = await selectBackend(BACKEND);
  progress(`backend: ${chosen.device}; k = ${KS.join(', ')}; ${SEEDS} seeds; evaluation capped at ${EVAL_CAP} examples (stratified, fixed)`);
  const raw = readSharedGlove(join(DATA, 'embeddings/glove-6b-100d'));
  if (!raw) progress(`${DATA}/embeddings/glove-6b-100d is absent: no independent probe column.`);
  const results: Record<string, unknown>[] = [];
  const table: string[] = [];
  for (const name of DATASETS) {
    const ds = loadDataset(name);
    const test = capStratified(ds.test, ds.labels.length, EVAL_CAP);
    const testX = raw ? meanVectors(test.map((e) => e.text), raw) : null;
    for (const k of KS) {
      const scores: Record<'head' | 'setfit' | 'independent', RunScore[]> = { head: [], setfit: [], independent: [] };
      for (let seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++) {
        const train = sampleK(ds.train, ds.labels.length, k, seed);
        for (const method of METHODS) {
          const s = await runOnce(ds, train, test, method, seed);
          scores[method].push(s);
          progress(`${ds.name} k=${k} seed=${seed} ${method}: acc ${(100 * s.accuracy).toFixed(1)} F1 ${(100 * s.macroF1).toFixed(1)} (${s.steps} steps, ${s.seconds.toFixed(1)} s)`);
        }
        if (raw && testX) scores.independent.push(runIndependent(ds, raw, train, test, testX));
      }
      const summary = (m: 'head' | 'setfit' | 'independent') => ({
        accuracy: meanStd(scores[m].map((s) => s.accuracy)),
        macroF1: meanStd(scores[m].map((s) => s.macroF1)),
        seconds: meanStd(scores[m].map((s) => s.seconds)),
      });
      const head = summary('head');
      const setfit = summary('setfit');
      const independent = raw ? summary('independent') : null;
      const delta = setfit.accuracy.mean - head.accuracy.mean;
      const deltaIndependent = independent ? setfit.accuracy.mean - independent.accuracy.mean : null;
      results.push({ dataset: ds.name, k, evalExamples: test.length, note: ds.note, probe: head, setfit, independentProbe: independent, deltaAccuracy: delta, deltaIndependent });
      const ind = independent ? `${pct(independent.accuracy)} | ${(100 * deltaIndependent!).toFixed(1)}` : '– | –';
      table.push(`| ${ds.name} | ${k} | ${test.length} | ${pct(head.accuracy)} | ${pct(setfit.accuracy)} | ${(100 * delta).toFixed(1)} | ${ind} | ${pct(head.macroF1)} | ${pct(setfit.macroF1)} | ${setfit.seconds.mean.toFixed(1)} |`);
    }
  }
  const print = (s: string) => process.stdout.write(`${s}\n`);
  print(`Few-shot benchmark (${chosen.device}); accuracy and macro-F1 in %, mean ± std over ${SEEDS} seeds; evaluation sets capped at ${EVAL_CAP} (stratified, fixed).`);
  print('| data set | k | eval n | probe acc | setfit acc | Δ acc | indep. probe acc | Δ vs indep. | probe F1 | setfit F1 | setfit s |');
  print('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const row of table) print(row);
  for (const k of KS) {
    const deltas = results.filter((r) => r.k === k).map((r) => r.deltaAccuracy as number);
    print(`k = ${k}: mean Δ accuracy over ${deltas.length} data sets = ${(100 * meanStd(deltas).mean).toFixed(1)} points`);
    const vsIndependent = results.filter((r) => r.k === k && r.deltaIndependent !== null).map((r) => r.deltaIndependent as number);
    if (vsIndependent.length) print(`k = ${k}: mean Δ accuracy over the independent probe (sklearn-default logistic regression on mean shared GloVe) = ${(100 * meanStd(vsIndependent).mean).toFixed(1)} points`);
  }
  if (flag('json')) print(JSON.stringify({ backend: chosen.device, seeds: SEEDS, evalCap: EVAL_CAP, recipe: { ...DEFAULT_RECIPE, ...parseRecipe(options('recipe')) }, results }));
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
