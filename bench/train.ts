// `npm run bench [-- --json] [--backend wasm|cpu] [--steps N] [--warmup N] [--profile] [--unfused]`: trains one GPT
// (vocab 256, width 128, 4 heads, 4 layers, context 64, batch 16) with our trainer (GptModel + loop.ts's train step)
// and with PyTorch on the CPU (bench/torch_gpt.py, Debian's python3-torch at /usr/bin/python3, at the faster of its two thread settings), on random
// tokens, and prints the median ms/step of each (wall-clock, and CPU time, which a busy machine disturbs less),
// tokens/s and the ratio ours ÷ PyTorch's. --json ends the output with one JSON line. --profile adds our time per
// kernel kind for one step. --unfused also times ours without the fused kernels (kernels/fusedOps.ts, tfjs ops only),
// alternating step by step with the fused ones so both see the same load. Progress goes to stderr.
import { resolve } from 'node:path';
import { resolveTrainConfig } from '../common/config';
import { selectBackend } from '../main/trainer/backend';
import type { Batch, PreparedData } from '../main/trainer/data';
import { train } from '../main/trainer/gpt/loop';
import { useFusedKernels } from '../main/trainer/kernels/fusedOps';
import { GptModel } from '../main/trainer/gpt/model';
import { mulberry32 } from '../main/trainer/rng';
import * as tf from '../main/trainer/tfjs';
import { CharTokenizer } from '../main/trainer/tokenizer';
import { TORCH_MIN_WARMUP, TorchInLockstep, eachArg, cpuMs, fmtTiming, log, threadText, timingOf, type Timing } from './torchLockstep';

const SHAPE = { vocab: 256, width: 128, heads: 4, layers: 4, context: 64, batch: 16 };
const LEARNING_RATE = 2e-3;
const TORCH_SCRIPT = resolve(__dirname, '../../bench/torch_gpt.py'); // from out/bench/train.js

interface Options {
  json: boolean;
  backend: 'wasm' | 'cpu';
  steps: number;
  warmup: number;
  profile: boolean;
  unfused: boolean;
}

const tokensPerStep = SHAPE.batch * SHAPE.context;
const timing = (times: number[], cpuTimes: number[]): Timing => timingOf(times, cpuTimes, tokensPerStep);

function parseArgs(argv: string[]): Options {
  const opts: Options = { json: false, backend: 'wasm', steps: 20, warmup: 3, profile: false, unfused: false };
  eachArg(argv, (arg, { count, oneOf }) => {
    if (arg === '--json') opts.json = true;
    else if (arg === '--profile') opts.profile = true;
    else if (arg === '--unfused') opts.unfused = true;
    else if (arg === '--steps') opts.steps = count(1);
    else if (arg === '--warmup') opts.warmup = count(TORCH_MIN_WARMUP); // PyTorch warms up under each thread setting
    else if (arg === '--backend') opts.backend = oneOf(['wasm', 'cpu'] as const);
    else throw new Error(`Unknown option '${arg}' (known: --json, --backend wasm|cpu, --steps N, --warmup N, --profile, --unfused).`);
  });
  return opts;
}

/** Random next-token batches over the whole vocabulary; no validation (the bench times training only). */
function randomData(seed: number): PreparedData {
  const rng = mulberry32(seed);
  const { batch: B, context: T, vocab: V } = SHAPE;
  const nextTrainBatch = (): Batch => {
    const stream = Int32Array.from({ length: B * (T + 1) }, () => rng.int(V));
    const inputs = new Int32Array(B * T);
    const targets = new Int32Array(B * T);
    for (let b = 0; b < B; b++) {
      inputs.set(stream.subarray(b * (T + 1), b * (T + 1) + T), b * T);
      targets.set(stream.subarray(b * (T + 1) + 1, (b + 1) * (T + 1)), b * T);
    }
    return { kind: 'lm', B, T, inputs, targets };
  };
  return { tokenizer: CharTokenizer.fromTexts(['bench']), labels: [], nextTrainBatch, validation: [], tokensPerBatch: B * T };
}

function newModel(): GptModel {
  const { vocab, width, heads, layers, context } = SHAPE;
  return new GptModel({ task: 'generate', vocabSize: vocab, numLabels: 0, nLayer: layers, nHead: heads, dModel: width, contextLength: context, dropout: 0 }, 1337);
}

function configFor(steps: number) {
  const big = 1_000_000;
  return resolveTrainConfig('standard', { steps, learningRate: LEARNING_RATE, logEvery: big, evalEvery: big, checkpointEvery: 0 });
}

/**
 * Runs loop.ts's train() for warmup + steps steps; a step runs from its batch being drawn to the next shouldStop
 * check. With `alternate`, it runs twice the steps, every other one without the fused kernels, so both kinds see the
 * same load. `beforeFusedStep` runs before each step with the fused kernels (PyTorch's step in lockstep), untimed.
 */
async function timeOurs(opts: Options, alternate: boolean, beforeFusedStep: () => Promise<void>): Promise<{ fused: Timing; unfused: Timing | null }> {
  const model = newModel();
  const timed = alternate ? 2 * opts.steps : opts.steps;
  const total = opts.warmup + timed;
  const times: number[] = []; // by step, 0-based
  const cpuTimes: number[] = [];
  const tensors: number[] = [];
  let started: { wall: number; cpu: number } | null = null;
  const fusedAt = (step: number) => !alternate || step <= opts.warmup || (step - opts.warmup) % 2 === 1;
  const data = randomData(7);
  const nextTrainBatch = data.nextTrainBatch;
  try {
    await train({
      model,
      data: {
        ...data,
        nextTrainBatch: () => {
          started = { wall: performance.now(), cpu: cpuMs() };
          return nextTrainBatch();
        },
      },
      config: configFor(total + 1), // the extra step is never taken: shouldStop ends the run before it
      waitWhilePaused: () => (fusedAt(times.length + 1) ? beforeFusedStep() : Promise.resolve()),
      shouldStop: () => {
        if (started) {
          times.push(performance.now() - started.wall);
          cpuTimes.push(cpuMs() - started.cpu);
          tensors.push(tf.memory().numTensors);
          started = null;
          const n = times.length;
          log(`ours step ${n}/${total}${fusedAt(n) ? '' : ' (unfused)'}: ${times[n - 1].toFixed(1)} ms`);
          useFusedKernels(fusedAt(n + 1));
        }
        return times.length >= total;
      },
    });
  } finally {
    useFusedKernels(true);
    model.dispose();
  }
  const growth = tensors[tensors.length - 1] - tensors[Math.min(opts.warmup, tensors.length - 1)];
  if (growth !== 0) log(`warning: tf.memory().numTensors grew by ${growth} over the timed steps`);
  const steps = Array.from({ length: timed }, (_, i) => opts.warmup + 1 + i); // 1-based step numbers
  const timingOf = (chosen: number[]) => timing(chosen.map((s) => times[s - 1]), chosen.map((s) => cpuTimes[s - 1]));
  return {
    fused: timingOf(steps.filter(fusedAt)),
    unfused: alternate ? timingOf(steps.filter((s) => !fusedAt(s))) : null,
  };
}

/** Our time per kernel kind (ms per step, largest first) over two train steps after one untimed step. */
async function profileOurs(): Promise<[string, number][]> {
  const model = newModel();
  const data = randomData(11);
  await train({ model, data, config: configFor(1) });
  const profiled = 2;
  const info = await tf.profile(() => train({ model, data, config: configFor(profiled) }).then(() => []));
  model.dispose();
  const byKernel = new Map<string, number>();
  for (const k of info.kernels) {
    byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + (k.kernelTimeMs as number) / profiled);
  }
  return [...byKernel.entries()].sort((a, b) => b[1] - a[1]);
}

const fmt = fmtTiming;

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const selected = await selectBackend(opts.backend);
  log(`ours: ${selected.device}`);
  const { vocab, width, heads, layers, context, batch } = SHAPE;
  const model = `GPT vocab ${vocab}, width ${width}, ${heads} heads, ${layers} layers, context ${context}, batch ${batch}`;
  const partner = TorchInLockstep.start(TORCH_SCRIPT, ['--vocab', vocab, '--width', width, '--heads', heads, '--layers', layers, '--context', context, '--batch', batch,
    '--steps', opts.steps, '--warmup', opts.warmup, '--lr', LEARNING_RATE]);
  const { fused: ours, unfused } = await timeOurs(opts, opts.unfused, () => (typeof partner === 'string' ? Promise.resolve() : partner.step()));
  const torchResult = typeof partner === 'string' ? partner : await partner.finish();
  const torch = typeof torchResult === 'string' ? null : torchResult;
  if (!torch) log(torchResult as string);
  const ratio = torch ? ours.msPerStep / torch.msPerStep : null;
  const cpuRatio = torch ? ours.cpuMsPerStep / torch.cpuMsPerStep : null;

  const lines = [model, `ours (${opts.backend}, ${selected.device}): ${fmt(ours)}`];
  lines.push(torch ? `PyTorch (CPU, ${threadText(torch)}): ${fmt(torch)}` : (torchResult as string));
  if (ratio !== null && cpuRatio !== null) lines.push(`ratio ours / PyTorch: ${ratio.toFixed(2)}x (CPU time: ${cpuRatio.toFixed(2)}x)`);
  if (unfused) {
    const vsTorch = torch ? `, ${(unfused.msPerStep / torch.msPerStep).toFixed(2)}x PyTorch` : '';
    lines.push(`ours without fused kernels: ${fmt(unfused)}${vsTorch}`);
  }
  if (opts.profile) {
    const kernels = await profileOurs();
    const total = kernels.reduce((s, [, ms]) => s + ms, 0);
    lines.push(`ours per kernel kind (ms/step, ${total.toFixed(1)} in kernels):`);
    for (const [name, ms] of kernels.filter(([, ms]) => ms >= 0.5)) lines.push(`  ${name.padEnd(28)} ${ms.toFixed(1)}`);
  }
  process.stdout.write(lines.join('\n') + '\n');
  if (opts.json) process.stdout.write(JSON.stringify({ model, backend: opts.backend, ours, pytorch: torch, ratio, cpuRatio, ...(unfused ? { oursUnfused: unfused } : {}) }) + '\n');
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
