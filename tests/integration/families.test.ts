// Real model families end to end through the CLI, on random-weight folders in the exact layouts people download
// (tests/python/make_hf_model.py: real widths, one block, a 640-token vocabulary; tokenizer files in each family's
// format, tests/helpers/familyTokenizers.ts): import, greedy generation equal to the PyTorch reference's tokens,
// LoRA / full / freeze fine-tuning with a falling validation loss, generate and eval on the run, continue from a
// checkpoint on the same curve, and an export in the base's layout whose logits PyTorch reproduces to 1e-4.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunDetail } from '../../common/domain';
import type { EvalReport, ExportResult, ModelInfo } from '../../common/evaluation';
import type { GenerateResult } from '../../common/protocol';
import { selectBackend } from '../../main/trainer/backend';
import { loadDecoderCheckpoint } from '../../main/trainer/decoder/checkpoint';
import { decoderTokenizerFor } from '../../main/trainer/decoder/folderTokenizer';
import { withBos } from '../../main/trainer/decoder/tokenizer';
import * as tf from '../../main/trainer/tfjs';
import { assertBuilt, tempDir, tunebench, tunebenchJson } from '../helpers/cli';
import { familyTokenizer, GPT2_BPE_DIR, writeFamilyTokenizer, type Family } from '../helpers/familyTokenizers';
import { corpusLines, writeFixture } from '../helpers/fixtures';
import { makeHfModel, maxAbsDiff, NO_TORCH, referenceForward, torchAvailable } from '../helpers/hfReference';

const VOCAB = 640;
const ready = torchAvailable && existsSync(GPT2_BPE_DIR);
if (!torchAvailable) console.warn(NO_TORCH);
else if (!ready) console.warn(`families.test: ${GPT2_BPE_DIR} is absent (the tokenizer fixtures are built from it); skipping.`);

interface Case {
  shape: string;
  tokenizer: Family;
  label: string;
  method: 'lora' | 'full' | 'freeze';
  dtype?: 'f32' | 'bf16';
  shards?: number;
  layers?: number;
  set?: Record<string, unknown>;
  learningRate?: number;
}

const CASES: Case[] = [
  { shape: 'smollm2-135m', tokenizer: 'smollm2', label: 'Llama', method: 'lora', dtype: 'bf16', shards: 2 },
  { shape: 'qwen2.5-0.5b', tokenizer: 'qwen2', label: 'Qwen2', method: 'lora' },
  { shape: 'qwen3-0.6b', tokenizer: 'qwen3', label: 'Qwen3', method: 'freeze' },
  { shape: 'gemma-3-270m', tokenizer: 'gemma3', label: 'Gemma 3', method: 'lora', set: { sliding_window: 8 } },
  { shape: 'gpt2-124m', tokenizer: 'gpt2', label: 'GPT-2', method: 'full', learningRate: 1e-3 }, // every weight: a tenth of LoRA's rate
];

/** A random-weight folder of the case's shape with its family's tokenizer files. */
function folderFor(c: Case): string {
  const folder = makeHfModel({ shape: c.shape, layers: c.layers ?? 1, vocab: VOCAB, dtype: c.dtype ?? 'f32', shards: c.shards, set: c.set });
  writeFamilyTokenizer(folder, familyTokenizer(c.tokenizer, VOCAB));
  return folder;
}

const SMALL = ['steps=8', 'batchSize=2', 'contextLength=32', 'warmupSteps=0', 'evalEvery=4', 'evalBatches=1', 'checkpointEvery=4', 'logEvery=1'];
const sets = (settings: string[]) => settings.flatMap((s) => ['--set', s]);

describe.skipIf(!ready)('decoder families through the CLI', () => {
  beforeAll(async () => {
    assertBuilt();
    await selectBackend('cpu');
  });

  for (const c of CASES) {
    it(`${c.shape}: import, reference greedy tokens, ${c.method} fine-tune, generate and eval on the run, export that PyTorch reloads`, () => {
      const folder = folderFor(c);
      const dataDir = tempDir();
      const model = tunebenchJson<ModelInfo>(dataDir, ['models', 'import', folder]);
      expect(model).toMatchObject({ family: c.label, kind: 'generator', imported: true });
      expect(model.parameters).toBeGreaterThan(1_000_000);

      // greedy from the base equals the reference's tokens for the same prompt ids
      const tokenizer = decoderTokenizerFor(folder);
      const prompt = 'the cat sees';
      const ids = withBos(tokenizer, tokenizer.encode(prompt));
      const ref = referenceForward(folder, ids, 6);
      const stops = new Set(tokenizer.stopIds);
      const until = ref.greedy.findIndex((id) => stops.has(id));
      const expected = until < 0 ? ref.greedy : ref.greedy.slice(0, until);
      const base = tunebenchJson<GenerateResult>(dataDir, ['generate', model.id, '--prompt', prompt, '--temperature', '0', '--max-tokens', '6']);
      expect(base.text).toBe(tokenizer.decode(expected));

      const corpus = writeFixture(tempDir(), 'corpus.txt', `${corpusLines(40).join('\n')}\n`);
      const run = tunebenchJson<{ runId: string; status: string }>(dataDir, ['train', '--dataset', corpus, '--set', `base=${model.id}`, '--set', `method=${c.method}`, '--set', `learningRate=${c.learningRate ?? 0.01}`, ...sets(SMALL)]);
      expect(run.status).toBe('completed');
      const detail = tunebenchJson<RunDetail>(dataDir, ['runs', 'show', run.runId]);
      const val = detail.series.val_loss;
      expect(val[0].step).toBe(0);
      expect(val.at(-1)!.value).toBeLessThan(val[0].value);

      const tuned = tunebench(dataDir, ['generate', run.runId, '--prompt', prompt, '--max-tokens', '5', '--temperature', '0.8', '--seed', '3']);
      expect(tuned.code, tuned.stderr).toBe(0);
      const evaluation = tunebenchJson<EvalReport>(dataDir, ['eval', run.runId]);
      expect(evaluation.generation!.tuned.loss).toBeLessThan(evaluation.generation!.base!.loss);

      const exported = tunebenchJson<ExportResult>(dataDir, ['export', run.runId, '--format', 'safetensors']);
      expect(exported.files.map((f) => f.name)).toEqual(expect.arrayContaining(['config.json', 'model.safetensors', 'tokenizer.json']));
      const config = JSON.parse(readFileSync(join(exported.dir, 'config.json'), 'utf8')) as Record<string, unknown>;
      expect(config.model_type).toBe(JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8')).model_type);
      const checkpoint = detail.checkpoints.at(-1)!.path;
      const loaded = loadDecoderCheckpoint(checkpoint);
      try {
        const ours = tf.tidy(() => loaded.model.forward(ids).arraySync() as number[][]);
        expect(maxAbsDiff(ours, referenceForward(exported.dir, ids).logits)).toBeLessThan(1e-4);
      } finally {
        loaded.model.dispose();
      }
      if (c.method === 'lora') {
        const adapter = tunebenchJson<ExportResult>(dataDir, ['export', run.runId, '--format', 'adapter']);
        const peft = JSON.parse(readFileSync(join(adapter.dir, 'adapter_config.json'), 'utf8')) as Record<string, unknown>;
        expect(peft).toMatchObject({ peft_type: 'LORA', r: 8, target_modules: ['k_proj', 'o_proj', 'q_proj', 'v_proj'] });
      }
    }, 900_000);
  }

  it('continues a LoRA fine-tune of an imported Qwen3 from its checkpoint on the same curve', () => {
    const folder = folderFor({ shape: 'qwen3-0.6b', tokenizer: 'qwen3', label: 'Qwen3', method: 'lora', layers: 1 });
    const dataDir = tempDir();
    const model = tunebenchJson<ModelInfo>(dataDir, ['models', 'import', folder]);
    const corpus = writeFixture(tempDir(), 'corpus.txt', `${corpusLines(40).join('\n')}\n`);
    const first = tunebenchJson<{ runId: string }>(dataDir, ['train', '--dataset', corpus, '--set', `base=${model.id}`, '--set', 'method=lora', '--set', 'learningRate=0.01', ...sets(SMALL)]);
    const original = tunebenchJson<RunDetail>(dataDir, ['runs', 'show', first.runId]);
    expect(original.checkpoints.map((p) => p.step)).toEqual([4, 8]);
    expect(tunebenchJson<{ status: string }>(dataDir, ['runs', 'continue', first.runId, '--from-step', '4']).status).toBe('completed');
    const resumed = tunebenchJson<RunDetail>(dataDir, ['runs', 'show', first.runId]);
    for (const name of ['loss', 'val_loss']) {
      const want = original.series[name].filter((p) => p.step > 4);
      const got = resumed.series[name].filter((p) => p.step > 4);
      expect(got.map((p) => p.step)).toEqual(want.map((p) => p.step));
      got.forEach((p, i) => expect(Math.abs(p.value - want[i].value)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(want[i].value))));
    }
  }, 900_000);
});
