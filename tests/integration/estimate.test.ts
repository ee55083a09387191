// The memory estimate against the measured peak: for a random-weight model of each family in its real layout
// (tests/python/make_hf_model.py: real widths, 2 blocks, a 640-token vocabulary), `train --dry-run --json` gives the
// estimate, then the same run trains 2 steps through the CLI and its trainer reports peak_rss_mb (getrusage's
// ru_maxrss: the whole process, Node and the backend included) and baseline_rss_mb. The estimate must be within 25%.
import { existsSync } from 'node:fs';
import { freemem } from 'node:os';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrainingEstimate } from '../../common/estimate';
import { assertBuilt, tempDir, tunebench, tunebenchJson } from '../helpers/cli';
import { familyTokenizer, GPT2_BPE_DIR, writeFamilyTokenizer, type Family } from '../helpers/familyTokenizers';
import { corpusLines, writeFixture } from '../helpers/fixtures';
import { makeHfModel, NO_TORCH, torchAvailable } from '../helpers/hfReference';

const ready = torchAvailable && existsSync(GPT2_BPE_DIR);
if (!ready) console.warn(torchAvailable ? `estimate.test: ${GPT2_BPE_DIR} is absent; skipping.` : NO_TORCH);

const CASES: { shape: string; tokenizer: Family; method: 'lora' | 'full' | 'freeze' }[] = [
  { shape: 'smollm2-135m', tokenizer: 'smollm2', method: 'lora' },
  { shape: 'qwen2.5-0.5b', tokenizer: 'qwen2', method: 'full' },
  { shape: 'qwen3-0.6b', tokenizer: 'qwen3', method: 'freeze' },
  { shape: 'gemma-3-270m', tokenizer: 'gemma3', method: 'lora' },
  { shape: 'gpt2-124m', tokenizer: 'gpt2', method: 'full' },
];
const SETTINGS = ['steps=2', 'batchSize=4', 'contextLength=64', 'warmupSteps=0', 'evalEvery=100', 'evalBatches=1', 'logEvery=1', 'backend=wasm'];
const MIB = 2 ** 20;

describe.skipIf(!ready)('the memory estimate against the measured peak', () => {
  beforeAll(() => assertBuilt());

  for (const c of CASES) {
    it(`${c.shape} ${c.method}: train --dry-run's total is within 25% of the trainer's peak resident set`, () => {
      const folder = makeHfModel({ shape: c.shape, layers: 2, vocab: 640 });
      writeFamilyTokenizer(folder, familyTokenizer(c.tokenizer, 640));
      const dataDir = tempDir();
      const model = tunebenchJson<{ id: string }>(dataDir, ['models', 'import', folder]);
      const corpus = writeFixture(tempDir(), 'corpus.txt', `${corpusLines(200).join('\n')}\n`);
      const args = ['train', '--dataset', corpus, ...[`base=${model.id}`, `method=${c.method}`, ...SETTINGS].flatMap((s) => ['--set', s])];
      const plan = tunebenchJson<{ dryRun: boolean; estimate: TrainingEstimate }>(dataDir, [...args, '--dry-run']);
      expect(tunebenchJson<unknown[]>(dataDir, ['runs', 'list'])).toEqual([]); // a dry run writes nothing
      const run = tunebenchJson<{ status: string; metrics: Record<string, number> }>(dataDir, args);
      expect(run.status).toBe('completed');
      const estimated = plan.estimate.memory.total / MIB;
      const { peak_rss_mb: peak, baseline_rss_mb: baseline } = run.metrics;
      const error = (estimated - peak) / peak;
      const stepSeconds = plan.estimate.tokensPerStep / run.metrics.tokens_per_s; // the last step's throughput
      console.info(`${c.shape} ${c.method}: estimated ${estimated.toFixed(0)} MiB, measured peak ${peak.toFixed(0)} MiB (baseline ${baseline.toFixed(0)}), error ${(100 * error).toFixed(1)}%; step ${plan.estimate.secondsPerStep.toFixed(2)} s estimated, ${stepSeconds.toFixed(2)} s measured`);
      expect(peak).toBeGreaterThan(baseline * 1.5); // the model's share is a real part of what is compared
      expect(Math.abs(error)).toBeLessThanOrEqual(0.25);
    }, 900_000);
  }
});

describe('train --dry-run and the refusal of a run that would not fit', () => {
  beforeAll(() => assertBuilt());

  it('prints a readable estimate, and refuses a batch that would not fit in one sentence with exit 2, writing nothing', () => {
    const dataDir = tempDir();
    const corpus = writeFixture(tempDir(), 'corpus.txt', `${corpusLines(40).join('\n')}\n`);
    const base = ['train', '--dataset', corpus, '--set', 'base=stories260k', '--set', 'backend=wasm'];
    const dry = tunebench(dataDir, [...base, '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/^Memory: about \d+ MiB at the peak \(baseline 150 MiB, weights 1 MiB/m);
    expect(dry.stdout).toMatch(/^Time: about .* a step \(.* GFLOP for \d+ tokens at 16\.0 GFLOP\/s, measured/m);
    const refused = tunebench(dataDir, [...base, '--set', 'batchSize=4096', '--set', 'contextLength=512']);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/This run needs about [\d.]+ GiB .*more than the wasm backend's 4 GiB WebAssembly heap holds; what would fit: --set batchSize=\d+/);
    expect(tunebenchJson<unknown[]>(dataDir, ['datasets', 'list'])).toEqual([]); // the file was not imported
    expect(tunebenchJson<unknown[]>(dataDir, ['runs', 'list'])).toEqual([]);
  }, 120_000);

  it("on backend 'auto' takes the cpu backend for a run past WebAssembly's heap that fits this machine's memory", () => {
    const dataDir = tempDir();
    const corpus = writeFixture(tempDir(), 'corpus.txt', `${corpusLines(40).join('\n')}\n`);
    const args = ['train', '--dataset', corpus, '--set', 'base=stories260k', '--set', 'batchSize=24', '--set', 'contextLength=512', '--dry-run'];
    expect(tunebench(dataDir, [...args, '--set', 'backend=wasm']).code).toBe(2); // about 4.5 GiB: past the heap
    const auto = tunebench(dataDir, [...args, '--json']);
    const free = freemem() / 2 ** 30; // the cpu estimate here is about 11 GiB (the JS heap's slack included)
    if (free > 14) {
      expect(auto.code, auto.stderr).toBe(0);
      const plan = JSON.parse(auto.stdout) as { config: { backend: string }; estimate: TrainingEstimate & { backend: string } };
      expect(plan.config.backend).toBe('cpu');
      expect(plan.estimate.backend).toBe('cpu');
      expect(plan.estimate.fits).toBe(true);
    } else if (free < 11) expect(auto.code).toBe(2); // nowhere to go: refused with what would fit
  }, 120_000);

  it("the few-shot preset on text sizes its context from the texts' token lengths and its batch from the estimate", () => {
    const dataDir = tempDir();
    const args = (words: number) => {
      const text = Array.from({ length: 60 }, (_, i) => `${corpusLines(words, i + 1).join(' ')}`).join('\n');
      const file = writeFixture(tempDir(), `texts-${words}.txt`, `${text}\n`);
      return ['train', '--dataset', file, '--preset', 'few-shot', '--set', 'backend=wasm', '--dry-run'];
    };
    const plan = (words: number) => tunebenchJson<{ config: { contextLength: number; batchSize: number }; estimate: TrainingEstimate }>(dataDir, args(words));
    const short = plan(1);
    expect(short.config.contextLength).toBeLessThanOrEqual(64);
    expect(short.config.batchSize).toBe(16);
    const long = plan(40);
    expect(long.config.contextLength).toBe(512); // stories260K's whole context
    // the largest batch up to 16 whose estimate fits WebAssembly's heap: it fits, and one more is refused
    expect(long.estimate.fits).toBe(true);
    if (long.config.batchSize < 16) expect(tunebench(dataDir, [...args(40), '--set', `batchSize=${long.config.batchSize + 1}`]).code).toBe(2);
  }, 120_000);

  it("is within 25% of the measured peak for the few-shot preset's own choice on stories260K", () => {
    const dataDir = tempDir();
    const texts = Array.from({ length: 80 }, (_, i) => corpusLines(12, i + 1).join(' '));
    const file = writeFixture(tempDir(), 'stories.txt', `${texts.join('\n')}\n`);
    const args = ['train', '--dataset', file, '--preset', 'few-shot', '--set', 'steps=2', '--set', 'backend=wasm'];
    const plan = tunebenchJson<{ config: { contextLength: number; batchSize: number }; estimate: TrainingEstimate }>(dataDir, [...args, '--dry-run']);
    const run = tunebenchJson<{ status: string; metrics: Record<string, number> }>(dataDir, args);
    expect(run.status).toBe('completed');
    const estimated = plan.estimate.memory.total / MIB;
    const peak = run.metrics.peak_rss_mb;
    console.info(`stories260k few-shot (context ${plan.config.contextLength}, batch ${plan.config.batchSize}): estimated ${estimated.toFixed(0)} MiB, measured peak ${peak.toFixed(0)} MiB, error ${((100 * (estimated - peak)) / peak).toFixed(1)}%`);
    expect(Math.abs(estimated - peak) / peak).toBeLessThanOrEqual(0.25);
  }, 300_000);
});
