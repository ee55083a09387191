// What an inference request does with a loaded model: generate (streamed), classify, or score. Llama models use
// their own KV-cached generation; GPT char models re-run the window each token (their context is short).
import type { ClassifyResult, GenerateRequest, GenerateResult } from '../../common/protocol';
import { badInput } from '../../common/result';
import { generateDecoder } from './decoder/generate';
import { scoreDecoder } from './decoder/score';
import { gptClassify, gptNextLogits, gptScore, type LoadedGpt } from './gpt/gptInference';
import { generateLlama } from './llama/generate';
import { scoreLlama } from './llama/score';
import type { LoadedModel } from './loadModel';
import { rngFor } from './rng';
import { ContinuationStream, sampleToken } from './sampling';

const cannot = (model: LoadedModel, what: string) => badInput(`${model.description} cannot ${what}.`);

export function generateWith(model: LoadedModel, request: GenerateRequest, onToken: (text: string) => void): GenerateResult {
  if (model.kind === 'llama') return generateLlama(model.model, model.tokenizer, request, onToken);
  if (model.kind === 'decoder') return generateDecoder(model.model, model.tokenizer, request, onToken);
  if (model.kind === 'gpt' && model.gpt.task === 'generate') return generateGpt(model.gpt, request, onToken);
  throw cannot(model, 'generate text: it is a classifier');
}

export function classifyWith(model: LoadedModel, texts: string[]): ClassifyResult {
  if (model.kind === 'fewshot') return { labels: model.classifier.labels, probs: model.classifier.predictProba(texts) };
  if (model.kind === 'gpt' && model.gpt.task === 'classify') return { labels: model.gpt.labels, probs: gptClassify(model.gpt, texts) };
  throw cannot(model, 'classify texts: it generates text');
}

export function scoreWith(model: LoadedModel, texts: string[]): { loss: number; tokens: number } {
  if (model.kind === 'llama') return scoreLlama(model.model, model.tokenizer, texts);
  if (model.kind === 'decoder') return scoreDecoder(model.model, model.tokenizer, texts);
  if (model.kind === 'gpt' && model.gpt.task === 'generate') return gptScore(model.gpt, texts);
  throw cannot(model, 'score text: it is a classifier');
}

/**
 * Continuation with a scratch GPT (characters or BPE): sample, stream, stop at maxTokens or a stop string (no
 * end-of-text token). Text is decoded from all generated ids and streamed as it grows, holding back a trailing
 * U+FFFD that the next byte-level token may complete.
 */
function generateGpt(gpt: LoadedGpt, request: GenerateRequest, onToken: (text: string) => void): GenerateResult {
  const ids = Array.from(gpt.tokenizer.encode(request.prompt));
  if (!ids.length) ids.push(gpt.tokenizer.encode('\n')[0] ?? gpt.tokenizer.unkId); // start from a line break
  const rng = rngFor(request.seed, 'generate');
  const stream = new ContinuationStream(request.stop, onToken);
  const generated: number[] = [];
  let stopReason: GenerateResult['stopReason'] = 'maxTokens';
  while (generated.length < request.maxTokens) {
    const next = sampleToken(gptNextLogits(gpt, ids), request, rng);
    ids.push(next);
    generated.push(next);
    if (stream.push(gpt.tokenizer.decode(generated))) {
      stopReason = 'stop';
      break;
    }
  }
  if (stopReason !== 'stop' && stream.finish(gpt.tokenizer.decode(generated))) stopReason = 'stop';
  return { text: stream.text, tokens: generated.length, stopReason };
}
