// Greedy (temperature 0) generation as llama2.c's run.c does it: start from BOS (plus an optional prompt), feed one
// token per step through the KV cache, take the argmax, and stop early when the model emits BOS (or EOS).
import * as tf from '../tfjs';
import type { LlamaModel } from './llamaModel';
import { BOS_ID, EOS_ID, type SentencePieceTokenizer } from './sentencePieceTokenizer';

export interface GreedyOptions {
  /** Most tokens to generate after the prompt. */
  maxTokens: number;
  /** Text after BOS, encoded with the dummy-prefix space; empty = start from BOS alone. */
  prompt?: string;
  /** Called with each generated token id and its text as it is produced. */
  onToken?: (id: number, text: string) => void;
}

export interface GreedyResult {
  /** Prompt plus generated text, decoded as run.c prints it. */
  text: string;
  /** Generated ids only (no BOS, no prompt, no stop token). */
  tokens: number[];
  /** Prompt ids, BOS first. */
  promptTokens: number[];
  stoppedBy: 'bos' | 'eos' | 'maxTokens' | 'context';
}

/** First index of the largest value, like run.c's argmax. */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

export function generateGreedy(model: LlamaModel, tokenizer: SentencePieceTokenizer, opts: GreedyOptions): GreedyResult {
  const promptTokens = tokenizer.encode(opts.prompt ?? '', { bos: true });
  const cache = model.newCache();
  const tokens: number[] = [];
  let stoppedBy: GreedyResult['stoppedBy'] = 'maxTokens';
  try {
    let pending = promptTokens; // fed in one forward pass (prefill), then one token at a time
    let prev = promptTokens[promptTokens.length - 1];
    while (tokens.length < opts.maxTokens) {
      if (cache.length + pending.length > model.config.seqLen) {
        stoppedBy = 'context';
        break;
      }
      const logits = model.forward(pending, cache); // (T, V)
      const last = tf.tidy(() => tf.slice(logits, [pending.length - 1, 0], [1, -1]));
      const next = argmax(last.dataSync());
      tf.dispose([logits, last]);
      if (next === BOS_ID || next === EOS_ID) {
        stoppedBy = next === BOS_ID ? 'bos' : 'eos';
        break;
      }
      tokens.push(next);
      opts.onToken?.(next, tokenizer.decode([next], prev));
      prev = next;
      pending = [next];
    }
  } finally {
    cache.dispose();
  }
  return { text: tokenizer.decode([...promptTokens, ...tokens]), tokens, promptTokens, stoppedBy };
}
