// Text generation with a Llama model as llama2.c's run.c does it: BOS plus the prompt (encoded with the dummy-prefix
// space) fed in one forward pass, then one token per step through the KV cache; stop when the model emits BOS or EOS,
// when a stop string appears, after maxTokens, or when the context (seqLen positions) is full. Each token's text is
// streamed as it is produced, as UTF-8 (a character split over byte-fallback tokens arrives once complete), minus
// any tail that may turn out to be the start of a stop string.
import type { GenerateRequest, GenerateResult } from '../../../common/protocol';
import { rngFor } from '../rng';
import { sampleToken, StopMatcher } from '../sampling';
import * as tf from '../tfjs';
import type { LlamaModel } from './llamaModel';
import { BOS_ID, EOS_ID, type SentencePieceTokenizer } from './sentencePieceTokenizer';

/** The continuation of `request.prompt`; `onToken` receives the text in order, and the pieces join to `result.text`. */
export function generateLlama(model: LlamaModel, tokenizer: SentencePieceTokenizer, request: GenerateRequest, onToken: (text: string) => void): GenerateResult {
  const promptTokens = tokenizer.encode(request.prompt, { bos: true });
  if (promptTokens.length >= model.config.seqLen) {
    throw new Error(`The prompt is ${promptTokens.length - 1} tokens long; this model's context holds ${model.config.seqLen} tokens in all, so shorten the prompt.`);
  }
  const rng = rngFor(request.seed, 'generate');
  const stopper = new StopMatcher(request.stop);
  const utf8 = new TextDecoder('utf-8');
  const cache = model.newCache();
  let text = '';
  const show = (piece: string) => {
    if (piece === '') return;
    text += piece;
    onToken(piece);
  };
  let tokens = 0;
  let stopReason: GenerateResult['stopReason'] = 'maxTokens';
  try {
    let pending = promptTokens; // prefill, then one token at a time
    let prev = promptTokens[promptTokens.length - 1];
    while (tokens < request.maxTokens) {
      if (cache.length + pending.length > model.config.seqLen) {
        stopReason = 'context';
        break;
      }
      const logits = model.forward(pending, cache); // (T, V)
      const last = tf.tidy(() => tf.slice(logits, [pending.length - 1, 0], [1, -1]));
      const row = last.dataSync();
      tf.dispose([logits, last]);
      const next = sampleToken(row, request, rng);
      if (next === BOS_ID || next === EOS_ID) {
        stopReason = 'eos';
        break;
      }
      tokens++;
      const step = stopper.push(utf8.decode(tokenizer.pieceBytes(prev, next), { stream: true }));
      show(step.emit);
      if (step.stopped) {
        stopReason = 'stop';
        break;
      }
      prev = next;
      pending = [next];
    }
  } finally {
    cache.dispose();
  }
  if (stopReason !== 'stop') {
    const step = stopper.push(utf8.decode()); // an unfinished character decodes as U+FFFD
    show(step.emit);
    if (step.stopped) stopReason = 'stop';
    else show(stopper.flush());
  }
  return { text, tokens, stopReason };
}
