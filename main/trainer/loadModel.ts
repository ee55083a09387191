// Loading any model Tunebench can use by where its files are: a run's checkpoint (GPT char model, fine-tuned
// Llama, few-shot classifier — told apart by the checkpoint's `format` metadata) or a built-in base model's folder.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelRef } from '../../common/protocol';
import { badInput, notFound } from '../../common/result';
import { CHECKPOINT_FORMAT } from './gpt/checkpoint';
import { FEWSHOT_FORMAT, loadFewShot, type FewShotClassifier } from './fewshot';
import { loadGptCheckpoint, type LoadedGpt } from './gpt/gptInference';
import { DECODER_CHECKPOINT_FORMAT, loadDecoderCheckpoint, loadDecoderFolder } from './decoder/checkpoint';
import { decoderTokenizerFor } from './decoder/folderTokenizer';
import type { DecoderModel } from './decoder/model';
import type { DecoderTokenizer } from './decoder/tokenizer';
import { LLAMA_BASE_FILES } from './llama/fineTune';
import { loadLlama2cCheckpoint } from './llama/llama2cCheckpoint';
import { LLAMA_CHECKPOINT_FORMAT, readLlamaCheckpoint } from './llama/llamaCheckpoint';
import { LlamaModel } from './llama/llamaModel';
import { loadSentencePieceModel } from './llama/sentencePieceModel';
import { SentencePieceTokenizer } from './llama/sentencePieceTokenizer';
import { readSafetensorsHeader } from './safetensors';

export type LoadedModel = { description: string; dispose(): void } & (
  | { kind: 'gpt'; gpt: LoadedGpt }
  | { kind: 'llama'; model: LlamaModel; tokenizer: SentencePieceTokenizer }
  | { kind: 'decoder'; model: DecoderModel; tokenizer: DecoderTokenizer }
  | { kind: 'fewshot'; classifier: FewShotClassifier }
);

function builtinId(folder: string): string {
  const file = join(folder, 'model.json');
  if (!existsSync(file)) throw notFound(`No built-in model at ${folder} (model.json is missing).`);
  return String((JSON.parse(readFileSync(file, 'utf8')) as { id?: unknown }).id);
}

/** stories260K's tok512.bin, or the tokenizer.model of an imported Llama folder a legacy checkpoint was tuned from. */
function llamaTokenizer(baseFolder: string | undefined, vocabSize: number): SentencePieceTokenizer {
  if (!baseFolder) throw badInput('A Llama checkpoint needs its base model folder for the tokenizer.');
  if (existsSync(join(baseFolder, 'config.json'))) return loadSentencePieceModel(join(baseFolder, 'tokenizer.model'));
  return SentencePieceTokenizer.load(join(baseFolder, LLAMA_BASE_FILES.tokenizer), vocabSize);
}

export function loadModel(ref: ModelRef): LoadedModel {
  if (ref.kind === 'builtin' && existsSync(join(ref.path, 'config.json'))) {
    const tokenizer = decoderTokenizerFor(ref.path);
    const { model, family } = loadDecoderFolder(ref.path);
    return { kind: 'decoder', description: `The imported ${family.label} model in ${ref.path}`, model, tokenizer, dispose: () => model.dispose() };
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
  if (format === DECODER_CHECKPOINT_FORMAT) {
    if (!ref.basePath) throw badInput(`The checkpoint ${ref.path} needs its base model folder for the tokenizer.`);
    const tokenizer = decoderTokenizerFor(ref.basePath);
    const { model, family } = loadDecoderCheckpoint(ref.path);
    return { kind: 'decoder', description: `The fine-tuned ${family.label} model in ${ref.path}`, model, tokenizer, dispose: () => model.dispose() };
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
