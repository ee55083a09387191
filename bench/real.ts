// `npm run bench:real [-- --json] [--method lora|full|both] [--shape smollm2-135m|llama-3.2-1b] [--vocab V]
// [--layers N] [--batch 4] [--context 256] [--steps 3] [--warmup 3] [--backend auto|wasm|cpu] [--folder DIR]`: fine-tuning
// at the sizes people use. A random-weight model of the shape (SmolLM2-135M's widths with a 512-token vocabulary by default:
// 106M parameters) is written once in the Hugging Face layout (tests/python/make_hf_model.py, cached in the temp
// folder); then, for each method, one process of ours (the trainer's own path: loadDecoderFolder, weightsToTrain,
// runTrainLoop) steps in lockstep with PyTorch (bench/torch_decoder.py, the same model, batches and step, at the
// faster of its two CPU thread settings). It prints tokens/s, peak RSS and the ratios ours ÷ PyTorch for each, and
// the first step's loss on both sides (the same weights and tokens: they agree to float32 rounding). Progress on stderr.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { resolveTrainConfig, type TrainConfig } from '../common/config';
import { selectBackend } from '../main/trainer/backend';
import { loadDecoderFolder } from '../main/trainer/decoder/checkpoint';
import { decaysDecoderWeight, weightsToTrain } from '../main/trainer/decoder/methods';
import * as tf from '../main/trainer/tfjs';
import { runTrainLoop, type Trainable } from '../main/trainer/trainLoop';
import { PYTHON, TORCH_MIN_WARMUP, TorchInLockstep, eachArg, cpuMs, fmtTiming, log, threadText, timingOf, type Timing, type TorchSummary } from './torchLockstep';

const ROOT = resolve(__dirname, '../..'); // from out/bench/real.js
const TORCH_SCRIPT = join(ROOT, 'bench/torch_decoder.py');
const MAKE_MODEL = join(ROOT, 'tests/python/make_hf_model.py');
const LEARNING_RATE = 1e-4;
const SHAPES = ['smollm2-135m', 'llama-3.2-1b'] as const;
type Method = 'lora' | 'full';

interface Options {
  json: boolean;
  methods: Method[];
  shape: (typeof SHAPES)[number];
  vocab: number | null;
  layers: number | null;
  batch: number;
  context: number;
  steps: number;
  warmup: number;
  backend: 'auto' | 'wasm' | 'cpu';
  folder: string | null;
  child: boolean;
}

function parseArgs(argv: string[]): Options {
  const opts: Options = { json: false, methods: ['lora', 'full'], shape: 'smollm2-135m', vocab: null, layers: null, batch: 4, context: 256, steps: 3, warmup: 3, backend: 'auto', folder: null, child: false };
  eachArg(argv, (arg, { count, oneOf, value }) => {
    if (arg === '--json') opts.json = true;
    else if (arg === '--folder') opts.folder = value();
    else if (arg === '--child') opts.child = true;
    else if (arg === '--method') {
      const m = oneOf(['lora', 'full', 'both'] as const);
      opts.methods = m === 'both' ? ['lora', 'full'] : [m];
    } else if (arg === '--shape') opts.shape = oneOf(SHAPES);
    else if (arg === '--vocab') opts.vocab = count(2);
    else if (arg === '--layers') opts.layers = count(1);
    else if (arg === '--batch') opts.batch = count(1);
    else if (arg === '--context') opts.context = count(1);
    else if (arg === '--steps') opts.steps = count(1);
    else if (arg === '--warmup') opts.warmup = count(TORCH_MIN_WARMUP); // PyTorch warms up under each thread setting
    else if (arg === '--backend') opts.backend = oneOf(['auto', 'wasm', 'cpu'] as const);
    else throw new Error(`Unknown option '${arg}' (known: --json, --method lora|full|both, --shape ${SHAPES.join('|')}, --vocab V, --layers N, --batch N, --context N, --steps N, --warmup N, --backend auto|wasm|cpu, --folder DIR).`);
  });
  return opts;
}

/** The shape's vocabulary unless set: SmolLM2's widths with 512 tokens (the issue's 106M model); Llama 3.2's own. */
const vocabOf = (o: Options): number | null => o.vocab ?? (o.shape === 'smollm2-135m' ? 512 : null);

/** The random-weight model folder, written once (the same flags always give the same bytes). */
function modelFolder(o: Options): string {
  if (o.folder) return o.folder; // a Llama-family folder of one's own
  const vocab = vocabOf(o);
  const folder = join(tmpdir(), 'tunebench-bench', `${o.shape}${o.layers ? `-L${o.layers}` : ''}${vocab ? `-V${vocab}` : ''}`);
  if (existsSync(join(folder, 'config.json'))) return folder;
  log(`writing a random-weight ${o.shape} to ${folder} …`);
  const args = [MAKE_MODEL, '--shape', o.shape, '--out', folder, ...(vocab ? ['--vocab', String(vocab)] : []), ...(o.layers ? ['--layers', String(o.layers)] : [])];
  const made = spawnSync(PYTHON, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  if (made.status !== 0) throw new Error(`${MAKE_MODEL} could not write the model (status ${made.status}); it needs Debian's python3-torch.`);
  return folder;
}

/**
 * Step s's batch, the same on both sides (torch_decoder.py draws the same): token (b, t) of the stream is a hash of
 * its position and the step, mod V.
 */
export function benchBatch(s: number, B: number, T: number, V: number): { inputs: Int32Array; targets: Int32Array } {
  const inputs = new Int32Array(B * T);
  const targets = new Int32Array(B * T);
  const token = (i: number) => ((Math.imul(i, 0x9e3779b1) + s * 97 + 12345) >>> 0) % V;
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      inputs[b * T + t] = token(b * (T + 1) + t);
      targets[b * T + t] = token(b * (T + 1) + t + 1);
    }
  }
  return { inputs, targets };
}

interface ChildResult {
  method: Method;
  device: string;
  parameters: number;
  trained: number;
  ours: Timing;
  oursPeakRssBytes: number;
  oursLoss0: number;
  torch: TorchSummary | string;
}

/** One method, ours in this process and PyTorch beside it in lockstep. */
async function runChild(o: Options, folder: string): Promise<ChildResult> {
  const method = o.methods[0];
  const selected = await selectBackend(o.backend);
  log(`ours: ${selected.device}`);
  const partner = TorchInLockstep.start(TORCH_SCRIPT, [folder, '--method', method, '--batch', o.batch, '--context', o.context, '--steps', o.steps, '--warmup', o.warmup, '--lr', LEARNING_RATE]);
  if (typeof partner === 'string') log(partner);
  const { model } = loadDecoderFolder(folder);
  const total = o.warmup + o.steps;
  const big = 1_000_000;
  const config: TrainConfig = resolveTrainConfig('standard', {
    base: 'hf:bench/random', method, steps: total + 1, learningRate: LEARNING_RATE, warmupSteps: 0, schedule: 'constant', batchSize: o.batch, contextLength: o.context,
    logEvery: big, evalEvery: big, checkpointEvery: 0, weightDecay: 0,
  });
  const trained = weightsToTrain(model, config, o.shape);
  log(trained.description);
  const trainedCount = [...trained.params.values()].reduce((n, v) => n + v.size, 0);
  const V = model.spec.vocabSize;
  let s = 0;
  let loss0 = NaN;
  const times: number[] = [];
  const cpuTimes: number[] = [];
  let started: { wall: number; cpu: number } | null = null;
  const trainable: Trainable<number> = {
    params: trained.params,
    decays: decaysDecoderWeight,
    nextBatch: () => {
      started = { wall: performance.now(), cpu: cpuMs() };
      return s++;
    },
    tokensPerBatch: o.batch * o.context,
    loss: (step) =>
      tf.tidy(() => {
        const { inputs, targets } = benchBatch(step, o.batch, o.context, V);
        const loss = model.lossOn(tf.tensor2d(inputs, [o.batch, o.context], 'int32'), tf.tensor2d(targets, [o.batch, o.context], 'int32'));
        if (step === 0) loss0 = loss.dataSync()[0];
        return loss;
      }),
    validate: () => ({ val_loss: NaN }),
    save: (step) => ({ step, path: '', bytes: 0 }),
  };
  try {
    await runTrainLoop(trainable, {
      config,
      waitWhilePaused: () => (typeof partner === 'string' ? Promise.resolve() : partner.step()),
      shouldStop: () => {
        if (started) {
          times.push(performance.now() - started.wall);
          cpuTimes.push(cpuMs() - started.cpu);
          started = null;
          log(`ours ${method} step ${times.length}/${total}: ${times.at(-1)!.toFixed(0)} ms`);
        }
        return times.length >= total;
      },
    });
  } finally {
    model.setAdapter(null);
    trained.lora?.dispose();
  }
  const torch = typeof partner === 'string' ? partner : await partner.finish();
  return {
    method,
    device: selected.device,
    parameters: model.parameterCount,
    trained: trainedCount,
    ours: timingOf(times.slice(o.warmup), cpuTimes.slice(o.warmup), o.batch * o.context),
    oursPeakRssBytes: process.resourceUsage().maxRSS * 1024,
    oursLoss0: loss0,
    torch,
  };
}

/** Runs one method in a fresh process of this script, so each peak RSS is that method's alone. */
function spawnChild(method: Method, argv: string[]): Promise<ChildResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [__filename, ...argv, '--child', '--method', method], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.on('close', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code === 0 && line.startsWith('{')) resolvePromise(JSON.parse(line) as ChildResult);
      else reject(new Error(`The ${method} run exited with status ${code} (its errors are above).`));
    });
  });
}

const gb = (bytes: number) => `${(bytes / 2 ** 30).toFixed(2)} GiB`;

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const o = parseArgs(argv);
  const folder = modelFolder(o);
  if (o.child) {
    process.stdout.write(JSON.stringify(await runChild(o, folder)) + '\n');
    return;
  }
  const parentArgs = argv.filter((a, i) => a !== '--json' && a !== '--method' && argv[i - 1] !== '--method');
  const results: ChildResult[] = [];
  for (const method of o.methods) results.push(await spawnChild(method, parentArgs));
  const lines = [`${o.folder ? 'The Llama-family model' : `${o.shape}-shaped Llama`} (${folder}), ${results[0].parameters.toLocaleString('en-US')} parameters, batch ${o.batch} × ${o.context} tokens, ${o.steps} timed steps after ${o.warmup} warm-up`];
  const summary = results.map((r) => {
    const torch = typeof r.torch === 'string' ? null : r.torch;
    const ratio = torch ? r.ours.msPerStep / torch.msPerStep : null;
    const memoryRatio = torch?.peakRssBytes ? r.oursPeakRssBytes / torch.peakRssBytes : null;
    lines.push(`${r.method} (training ${r.trained.toLocaleString('en-US')} parameters):`);
    lines.push(`  ours (${r.device}): ${fmtTiming(r.ours)}, peak RSS ${gb(r.oursPeakRssBytes)}, first loss ${r.oursLoss0.toFixed(5)}`);
    if (torch) {
      lines.push(`  PyTorch ${torch.threads ? `(${threadText(torch)})` : ''}: ${fmtTiming(torch)}, peak RSS ${gb(torch.peakRssBytes ?? NaN)}, first loss ${torch.loss0?.toFixed(5)}`);
      lines.push(`  ratio ours / PyTorch: time ${ratio!.toFixed(2)}x (CPU time ${(r.ours.cpuMsPerStep / torch.cpuMsPerStep).toFixed(2)}x), peak memory ${memoryRatio?.toFixed(2)}x`);
    } else lines.push(`  ${r.torch as string}`);
    return { ...r, ratio, memoryRatio };
  });
  process.stdout.write(lines.join('\n') + '\n');
  if (o.json) process.stdout.write(JSON.stringify({ shape: o.shape, batch: o.batch, context: o.context, results: summary }) + '\n');
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
