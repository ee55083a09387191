// A generation as the Playground shows it: tokens appended as `playground.onDidToken` events arrive, then replaced by
// the call's final text (the authority: a token event lost on the wire does not leave a hole). Pure.
import type { GenerateResult } from '../../../common/protocol';

export interface TokenStream {
  requestId: string;
  text: string;
  /** Token events received so far (the final result's count once done). */
  tokens: number;
  status: 'streaming' | 'done' | 'failed';
  result: GenerateResult | null;
  error: string | null;
}

export const startStream = (requestId: string): TokenStream => ({ requestId, text: '', tokens: 0, status: 'streaming', result: null, error: null });

/** Adds one streamed token; ignored once the stream has ended (a late event after the result). */
export function appendToken(stream: TokenStream, text: string): TokenStream {
  if (stream.status !== 'streaming') return stream;
  return { ...stream, text: stream.text + text, tokens: stream.tokens + 1 };
}

export function finishStream(stream: TokenStream, result: GenerateResult): TokenStream {
  return { ...stream, text: result.text, tokens: result.tokens, status: 'done', result };
}

/** Keeps what streamed before the failure so the user sees how far it got. */
export function failStream(stream: TokenStream, message: string): TokenStream {
  return { ...stream, status: 'failed', error: message };
}

const STOP_WORDS: Record<GenerateResult['stopReason'], string> = {
  maxTokens: 'it reached the token limit',
  eos: 'the model ended the text',
  stop: 'it met a stop sequence',
  context: 'it filled the model’s context',
};

/** Why a generation ended, as the end of "stopped because …". */
export const describeStop = (reason: GenerateResult['stopReason']): string => STOP_WORDS[reason];

/** A request id the contract accepts (letters, digits and '-', at most 64), unique within this page. */
let counter = 0;
export function newRequestId(now = Date.now()): string {
  counter = (counter + 1) % 1_000_000;
  return `gen-${now.toString(36)}-${counter.toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
