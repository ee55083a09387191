// Text generation with a DecoderModel: [BOS] + the prompt in one forward pass (prefill), then one token per step
// through the KV cache; stop on the tokenizer's stop ids (end of text / end of turn), a stop string, maxTokens, or a
// full context. Prompt and generated ids are decoded together each step and the text after the prompt's is streamed
// as it grows, holding back a trailing U+FFFD that the next byte token may complete and any tail that may start a
// stop string.
import type { GenerateRequest, GenerateResult } from '../../../common/protocol';
import { rngFor } from '../rng';
import { sampleToken, StopMatcher } from '../sampling';
import * as tf from '../tfjs';
import type { DecoderModel } from './model';
import { withBos, type DecoderTokenizer } from './tokenizer';

export function generateDecoder(model: DecoderModel, tokenizer: DecoderTokenizer, request: GenerateRequest, onToken: (text: string) => void): GenerateResult {
  const context = model.spec.maxPositions;
  const prompt = withBos(tokenizer, tokenizer.encode(request.prompt));
  if (prompt.length === 0) throw new Error('The prompt is empty and this tokenizer adds no BOS to start from; give a prompt.');
  if (prompt.length >= context) throw new Error(`The prompt is ${prompt.length} tokens long; this model's context holds ${context} tokens in all, so shorten the prompt.`);
  const rng = rngFor(request.seed, 'generate');
  const stopper = new StopMatcher(request.stop);
  const stops = new Set(tokenizer.stopIds);
  const cache = model.newCache();
  const generated: number[] = [];
  // decoded after the prompt, as a streamer does: a continuation's leading space (SentencePiece's ▁) survives
  const promptText = tokenizer.decode(prompt);
  const continuation = (ids: readonly number[]) => {
    const all = tokenizer.decode([...prompt, ...ids]);
    return all.startsWith(promptText) ? all.slice(promptText.length) : tokenizer.decode(ids);
  };
  let decoded = 0;
  let text = '';
  const show = (piece: string) => {
    if (!piece) return;
    text += piece;
    onToken(piece);
  };
  let stopReason: GenerateResult['stopReason'] = 'maxTokens';
  try {
    let pending = prompt;
    while (generated.length < request.maxTokens) {
      if (cache.length + pending.length > context) {
        stopReason = 'context';
        break;
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
      const all = continuation(generated);
      const ready = all.endsWith('\uFFFD') ? all.length - 1 : all.length;
      const step = stopper.push(all.slice(decoded, ready));
      decoded = Math.max(decoded, ready);
      show(step.emit);
      if (step.stopped) {
        stopReason = 'stop';
        break;
      }
      pending = [next];
    }
  } finally {
    cache.dispose();
  }
  if (stopReason !== 'stop') {
    const step = stopper.push(continuation(generated).slice(decoded));
    show(step.emit);
    if (step.stopped) stopReason = 'stop';
    else show(stopper.flush());
  }
  return { text, tokens: generated.length, stopReason };
}
