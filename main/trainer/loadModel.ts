// Loading any model Tunebench can use by where its files are: a run's checkpoint (GPT char model, fine-tuned
// Llama, few-shot classifier — told apart by the checkpoint's `format` metadata) or a built-in base model's folder.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelRef } from '../../common/protocol';
import { badInput, notFound } from '../../common/result';
import { CHECKPOINT_FORMAT } from './checkpoint';
import { FEWSHOT_FORMAT, loadFewShot, type FewShotClassifier } from './fewshot';
import { loadGptCheckpoint, type LoadedGpt } from './gptInference';
import { loadHfFolder } from './hfModel';
import { LLAMA_BASE_FILES } from './llama/fineTune';
import { loadLlama2cCheckpoint } from './llama/llama2cCheckpoint';
import { LLAMA_CHECKPOINT_FORMAT, readLlamaCheckpoint } from './llama/llamaCheckpoint';
import { LlamaModel } from './llama/llamaModel';
import { SentencePieceTokenizer } from './llama/sentencePieceTokenizer';
import { readSafetensorsHeader } from './safetensors';

export type LoadedModel = { description: string; dispose(): void } & (
  | { kind: 'gpt'; gpt: LoadedGpt }
  | { kind: 'llama'; model: LlamaModel; tokenizer: SentencePieceTokenizer }
  | { kind: 'fewshot'; classifier: FewShotClassifier }
);

function builtinId(folder: string): string {
  const file = join(folder, 'model.json');
  if (!existsSync(file)) throw notFound(`No built-in model at ${folder} (model.json is missing).`);
  return String((JSON.parse(readFileSync(file, 'utf8')) as { id?: unknown }).id);
}

function llamaTokenizer(baseFolder: string | undefined, vocabSize: number): SentencePieceTokenizer {
  if (!baseFolder) throw badInput('A Llama checkpoint needs its base model folder for the tokenizer.');
  return SentencePieceTokenizer.load(join(baseFolder, LLAMA_BASE_FILES.tokenizer), vocabSize);
}

export function loadModel(ref: ModelRef): LoadedModel {
  if (ref.kind === 'builtin' && existsSync(join(ref.path, 'config.json'))) {
    const hf = loadHfFolder(ref.path);
    const description = `The imported model in ${ref.path}`;
    if (hf.kind === 'llama') return { kind: 'llama', description, model: hf.model, tokenizer: hf.tokenizer, dispose: () => hf.model.dispose() };
    return { kind: 'gpt', description, gpt: hf.gpt, dispose: () => hf.gpt.model.dispose() };
  }
  if (ref.kind === 'builtin') {
    const id = builtinId(ref.path);
    if (id === 'stories260k') {
      const checkpoint = loadLlama2cCheckpoint(join(ref.path, LLAMA_BASE_FILES.weights));
      const model = LlamaModel.fromCheckpoint(checkpoint);
      const tokenizer = llamaTokenizer(ref.path, checkpoint.config.vocabSize);
      return { kind: 'llama', description: 'stories260K (built-in)', model, tokenizer, dispose: () => model.dispose() };
    }
    throw badInput(`The built-in model '${id}' is an encoder without a task head: fine-tune it on a labelled dataset first (tunebench train --dataset <file> --preset few-shot).`);
  }
  if (!existsSync(ref.path)) throw notFound(`The checkpoint ${ref.path} does not exist any more.`);
  const format = readSafetensorsHeader(ref.path).metadata.format; // the header only: each loader reads the file itself
  if (format === CHECKPOINT_FORMAT) {
    const gpt = loadGptCheckpoint(ref.path);
    return { kind: 'gpt', description: `The ${gpt.task === 'classify' ? 'classifier' : 'text model'} in ${ref.path}`, gpt, dispose: () => gpt.model.dispose() };
  }
  if (format === FEWSHOT_FORMAT) {
    if (!ref.basePath) throw badInput(`The few-shot checkpoint ${ref.path} needs its base encoder folder.`);
    const classifier = loadFewShot(ref.path, ref.basePath);
    return { kind: 'fewshot', description: `The few-shot classifier in ${ref.path}`, classifier, dispose: () => classifier.dispose() };
  }
  if (format === LLAMA_CHECKPOINT_FORMAT) {
    const trained = readLlamaCheckpoint(ref.path);
    const model = trained.toInference();
    trained.dispose();
    const tokenizer = llamaTokenizer(ref.basePath, model.config.vocabSize);
    return { kind: 'llama', description: `The fine-tuned Llama in ${ref.path}`, model, tokenizer, dispose: () => model.dispose() };
  }
  throw badInput(`${ref.path} is not a checkpoint Tunebench knows (format '${format ?? 'none'}').`);
}
