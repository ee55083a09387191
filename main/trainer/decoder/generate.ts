// Text generation with a DecoderModel: [BOS] + the prompt in one forward pass (prefill), then one token per step
// through the KV cache; stop on the tokenizer's stop ids (end of text / end of turn), a stop string or maxTokens.
// Once the context is full, each further token is predicted from the last context-length tokens (as the scratch GPT
// does). Prompt and generated ids are decoded together each step and the text after the prompt's is streamed as it
// grows, holding back a trailing U+FFFD that the next byte token may complete and any tail that may start a stop
// string.
import type { GenerateRequest, GenerateResult } from '../../../common/protocol';
import { rngFor } from '../rng';
import { ContinuationStream, sampleToken } from '../sampling';
import * as tf from '../tfjs';
import type { DecoderModel } from './model';
import { withBos, type DecoderTokenizer } from './tokenizer';

export function generateDecoder(model: DecoderModel, tokenizer: DecoderTokenizer, request: GenerateRequest, onToken: (text: string) => void): GenerateResult {
  const context = model.spec.maxPositions;
  const prompt = withBos(tokenizer, tokenizer.encode(request.prompt));
  if (prompt.length === 0) throw new Error('The prompt is empty and this tokenizer adds no BOS to start from; give a prompt.');
  if (prompt.length >= context) throw new Error(`The prompt is ${prompt.length} tokens long; this model's context holds ${context} tokens in all, so shorten the prompt.`);
  const rng = rngFor(request.seed, 'generate');
  const stream = new ContinuationStream(request.stop, onToken);
  const stops = new Set(tokenizer.stopIds);
  const generated: number[] = [];
  // decoded after the prompt, as a streamer does: a continuation's leading space (SentencePiece's ▁) survives
  const promptText = tokenizer.decode(prompt);
  const continuation = () => {
    const all = tokenizer.decode([...prompt, ...generated]);
    return all.startsWith(promptText) ? all.slice(promptText.length) : tokenizer.decode(generated);
  };
  let stopReason: GenerateResult['stopReason'] = 'maxTokens';
  let cache = model.newCache();
  try {
    let pending = prompt;
    while (generated.length < request.maxTokens) {
      if (cache.length + pending.length > context) {
        // the context is full: from now on each token is predicted from the last `context` tokens, recomputed
        cache.dispose();
        cache = model.newCache();
        pending = [...prompt, ...generated].slice(-context);
      }
      const logits = model.forward(pending, cache); // (T, V)
      const row = tf.tidy(() => tf.slice(logits, [pending.length - 1, 0], [1, -1]).dataSync() as Float32Array);
      logits.dispose();
      const next = sampleToken(row, request, rng);
      if (stops.has(next)) {
        stopReason = 'eos';
        break;
      }
      generated.push(next);
      if (stream.push(continuation())) {
        stopReason = 'stop';
        break;
      }
      pending = [next];
    }
  } finally {
    cache.dispose();
  }
  if (stopReason !== 'stop' && stream.finish(continuation())) stopReason = 'stop';
  return { text: stream.text, tokens: generated.length, stopReason };
}
