// Importing Hugging Face-style folders: a Llama built from stories260K's weights in HF layout (rotate-half q/k rows,
// tokenizer.model) generates the documented text; a GPT-2 exported by Tunebench imports and generates exactly what
// its run does; a broken folder is refused in one sentence with nothing kept.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ExportResult, ModelInfo } from '../../common/evaluation';
import type { GenerateResult } from '../../common/protocol';
import { hfLlamaConfig, weightsToHf } from '../../main/trainer/llama/llamaCheckpoint';
import { loadLlama2cCheckpoint } from '../../main/trainer/llama/llama2cCheckpoint';
import { writeSafetensors } from '../../main/trainer/safetensors';
import { llama } from '../../main/trainer/families/llama';
import { assertBuilt, SHARED_DATA, tempDir, tunebench, tunebenchJson } from '../helpers/cli';
import { corpusLines, writeFixture } from '../helpers/fixtures';

const STORIES = join(SHARED_DATA, 'models', 'stories260k');
const present = existsSync(join(STORIES, 'tok512.model'));
if (!present) console.warn(`Skipping the Llama import check: ${STORIES} is absent.`);

/** stories260K's weights and tokenizer written as a Hugging Face Llama folder (rotate-half q/k rows). */
function hfStoriesFolder(): string {
  const folder = tempDir();
  const { config, weights } = loadLlama2cCheckpoint(join(STORIES, 'stories260K.bin'));
  writeSafetensors(join(folder, 'model.safetensors'), weightsToHf(config, weights), { format: 'pt' });
  writeFileSync(join(folder, 'config.json'), JSON.stringify(hfLlamaConfig(config, weights.sharedClassifier)));
  copyFileSync(join(STORIES, 'tok512.model'), join(folder, 'tokenizer.model'));
  return folder;
}

describe('models import', () => {
  beforeAll(assertBuilt);

  it.skipIf(!present)('imports a Llama folder in Hugging Face layout and generates the documented stories260K text', () => {
    const folder = hfStoriesFolder();
    const dataDir = tempDir();
    const model = tunebenchJson<ModelInfo>(dataDir, ['models', 'import', folder, '--name', 'my-llama']);
    expect(model).toMatchObject({ name: 'my-llama', kind: 'generator', parameters: 260_032, imported: true });
    expect(tunebenchJson<ModelInfo[]>(dataDir, ['models', 'list']).map((m) => m.id)).toContain(model.id);
    const out = tunebenchJson<GenerateResult>(dataDir, ['generate', model.id, '--temperature', '0', '--max-tokens', '255']);
    expect(out.text.trimEnd()).toBe(readFileSync(join(STORIES, 'greedy_t0_255steps_from_BOS.txt'), 'utf8').trimEnd());
  });

  it.skipIf(!present)('fine-tunes an imported Llama with LoRA and exports the adapter as PEFT saves it', () => {
    const dataDir = tempDir();
    const model = tunebenchJson<ModelInfo>(dataDir, ['models', 'import', hfStoriesFolder()]);
    const stories = writeFixture(tempDir(), 'stories.txt', `${corpusLines(60).join('\n')}\n`);
    const settings = [`base=${model.id}`, 'method=lora', 'steps=6', 'batchSize=4', 'contextLength=32', 'learningRate=0.003', 'evalEvery=6'];
    const run = tunebenchJson<{ runId: string; status: string; evaluation: { generation: { base: { loss: number } | null } } | null }>(dataDir, [
      'train', '--dataset', stories, ...settings.flatMap((s) => ['--set', s]),
    ]);
    expect(run.status).toBe('completed');
    expect(run.evaluation?.generation?.base).not.toBeNull(); // perplexity before: the imported base
    const adapter = tunebenchJson<ExportResult>(dataDir, ['export', run.runId, '--format', 'adapter']);
    expect(adapter.files.map((f) => f.name)).toEqual(expect.arrayContaining(['adapter_config.json', 'adapter_model.safetensors']));
    const config = JSON.parse(readFileSync(join(adapter.dir, 'adapter_config.json'), 'utf8')) as Record<string, unknown>;
    expect(config).toMatchObject({ peft_type: 'LORA', r: 8, base_model_name_or_path: model.id });
    const merged = tunebenchJson<ExportResult>(dataDir, ['export', run.runId, '--format', 'safetensors']);
    expect(merged.files.map((f) => f.name)).toEqual(expect.arrayContaining(['model.safetensors', 'tokenizer.model']));
  });

  it('trains a scratch model on a BPE vocabulary fitted to the data; its export imports and generates what the run generates', () => {
    const dataDir = tempDir();
    const file = writeFixture(tempDir(), 'corpus.txt', `${corpusLines(150).join('\n')}\n`);
    const run = tunebenchJson<{ runId: string }>(dataDir, ['train', '--dataset', file, '--preset', 'quick', '--set', 'steps=20', '--set', 'nLayer=1', '--set', 'dModel=32', '--set', 'contextLength=32', '--set', 'tokenizer=bpe', '--set', 'vocabSize=300']);
    const exported = tunebenchJson<ExportResult>(dataDir, ['export', run.runId]);
    const model = tunebenchJson<ModelInfo>(dataDir, ['models', 'import', exported.dir]);
    const args = ['--prompt', 'the cat', '--temperature', '0', '--max-tokens', '30'];
    const fromRun = tunebenchJson<GenerateResult>(dataDir, ['generate', run.runId, ...args]);
    const fromImport = tunebenchJson<GenerateResult>(dataDir, ['generate', model.id, ...args]);
    expect(fromImport.text).toBe(fromRun.text);
    expect(fromRun.tokens).toBe(30);
    const tokenizer = JSON.parse(readFileSync(join(exported.dir, 'tokenizer.json'), 'utf8')) as { model: { type: string; vocab: object } };
    expect(tokenizer.model.type).toBe('BPE');
    expect(Object.keys(tokenizer.model.vocab)).toHaveLength(300);
  });

  it('refuses a folder without its tokenizer in one sentence and keeps nothing', () => {
    const folder = tempDir();
    const config = hfLlamaConfig({ dim: 8, hiddenDim: 16, nLayers: 1, nHeads: 2, nKvHeads: 2, vocabSize: 32, seqLen: 16 }, true);
    writeFileSync(join(folder, 'config.json'), JSON.stringify(config));
    const shapes = llama.checkpointShapes(llama.toSpec(config, 'config.json'));
    writeSafetensors(join(folder, 'model.safetensors'), [...shapes].map(([name, shape]) => ({ name, shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)) })), { format: 'pt' });
    const dataDir = tempDir();
    const result = tunebench(dataDir, ['models', 'import', folder]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/has no tokenizer\.json \(nor a SentencePiece tokenizer\.model\)/)]);
    expect(tunebenchJson<ModelInfo[]>(dataDir, ['models', 'list']).some((m) => m.imported)).toBe(false);
    mkdirSync(join(dataDir, 'models'), { recursive: true });
    expect(readdirSync(join(dataDir, 'models'))).toEqual([]);
  });
});
