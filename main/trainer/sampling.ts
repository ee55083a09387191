// Choosing the next token from a row of logits (V values), and cutting streamed text at stop strings. Pure functions
// on plain arrays: the caller reads the logits back from the backend once per token. Sampling follows llama2.c's
// run.c: temperature 0 is argmax (first index on ties); otherwise softmax(logits / temperature), then top-k and/or
// top-p (nucleus) truncation, then one uniform draw from a seeded Rng.
import type { Rng } from './rng';

export interface SamplingOptions {
  temperature: number; // 0 = greedy
  topK: number; // 0 = off; else keep the k most likely tokens
  topP: number; // 1 = off; else keep the smallest set of most likely tokens whose probability reaches topP
}

/** First index of the largest value, like run.c's argmax. */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/** softmax(logits / temperature), computed stably in float64.  (V) → (V), sums to 1 */
export function softmaxWithTemperature(logits: ArrayLike<number>, temperature: number): Float64Array {
  if (!(temperature > 0)) throw new Error(`softmaxWithTemperature needs a temperature above 0, not ${temperature}.`);
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]);
  const probs = new Float64Array(logits.length);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += probs[i] = Math.exp((logits[i] - max) / temperature);
  for (let i = 0; i < probs.length; i++) probs[i] /= sum;
  return probs;
}

/** Token ids by falling probability; equal probabilities keep index order. */
function byProbability(probs: Float64Array): number[] {
  return Array.from(probs.keys()).sort((a, b) => probs[b] - probs[a] || a - b);
}

/**
 * Zeroes every probability outside the top k and outside the nucleus (the fewest most likely tokens whose mass
 * reaches topP), then renormalises. Always keeps the most likely token. (V) → (V), a new array
 */
export function truncateDistribution(probs: Float64Array, topK: number, topP: number): Float64Array {
  const order = byProbability(probs);
  let keep = topK > 0 ? Math.min(topK, order.length) : order.length;
  if (topP < 1) {
    let mass = 0;
    for (let i = 0; i < keep; i++) {
      mass += probs[order[i]];
      if (mass >= topP) {
        keep = i + 1;
        break;
      }
    }
  }
  const out = new Float64Array(probs.length);
  let kept = 0;
  for (let i = 0; i < keep; i++) kept += out[order[i]] = probs[order[i]];
  for (let i = 0; i < out.length; i++) out[i] /= kept;
  return out;
}

/** Index drawn with the given probabilities from a uniform coin in [0, 1), as run.c's sample_mult. */
export function sampleFrom(probs: ArrayLike<number>, coin: number): number {
  let cdf = 0;
  let last = 0;
  for (let i = 0; i < probs.length; i++) {
    if (probs[i] <= 0) continue;
    cdf += probs[i];
    last = i;
    if (coin < cdf) return i;
  }
  return last; // rounding left the cdf just under the coin
}

/** The next token id for a row of logits; draws from `rng` only when temperature > 0. */
export function sampleToken(logits: ArrayLike<number>, opts: SamplingOptions, rng: Rng): number {
  if (opts.temperature === 0) return argmax(logits);
  const probs = softmaxWithTemperature(logits, opts.temperature);
  const truncated = opts.topK > 0 || opts.topP < 1 ? truncateDistribution(probs, opts.topK, opts.topP) : probs;
  return sampleFrom(truncated, rng.next());
}

export interface StopStep {
  /** Text safe to show now: it cannot be the start of a stop string. */
  emit: string;
  /** True once a stop string has appeared; `emit` then ends just before it and later input is ignored. */
  stopped: boolean;
}

/**
 * Finds stop strings in text that arrives in pieces (one token's text at a time), where a stop string may span
 * pieces. Text that could still turn out to be the start of a stop string is held back until it cannot; so the
 * concatenated `emit`s are exactly the generated text up to (not including) the first stop string.
 */
export class StopMatcher {
  private pending = '';
  private done = false;

  constructor(private readonly stops: readonly string[]) {}

  push(piece: string): StopStep {
    if (this.done) return { emit: '', stopped: true };
    const text = this.pending + piece;
    let first = -1;
    for (const stop of this.stops) {
      const at = text.indexOf(stop);
      if (at !== -1 && (first === -1 || at < first)) first = at;
    }
    if (first !== -1) {
      this.done = true;
      this.pending = '';
      return { emit: text.slice(0, first), stopped: true };
    }
    const hold = this.heldFrom(text);
    this.pending = text.slice(hold);
    return { emit: text.slice(0, hold), stopped: false };
  }

  /** The held-back tail, when generation ends for another reason (the tail was not a stop string after all). */
  flush(): string {
    const rest = this.done ? '' : this.pending;
    this.pending = '';
    return rest;
  }

  /** Start of the longest suffix of `text` that is a proper prefix of some stop string (text.length if none). */
  private heldFrom(text: string): number {
    for (let start = Math.max(0, text.length - this.longestStop() + 1); start < text.length; start++) {
      const tail = text.slice(start);
      if (this.stops.some((stop) => stop.startsWith(tail))) return start;
    }
    return text.length;
  }

  private longestStop(): number {
    return this.stops.reduce((n, s) => Math.max(n, s.length), 0);
  }
}

/**
 * Streams a continuation that is decoded whole after every token: each call gets the text so far, passes on what is
 * new (holding back a trailing U+FFFD that the next byte token may complete, and any tail that may start a stop
 * string) and says when a stop string appeared. `text` is what was passed on.
 */
export class ContinuationStream {
  text = '';
  private decoded = 0; // characters of the decoded text already given to the stop matcher
  private readonly stopper: StopMatcher;

  constructor(
    stops: readonly string[],
    private readonly onText: (piece: string) => void,
  ) {
    this.stopper = new StopMatcher(stops);
  }

  /** The whole continuation decoded so far; true when a stop string ends it here. */
  push(all: string): boolean {
    const ready = all.endsWith('\uFFFD') ? all.length - 1 : all.length;
    const step = this.stopper.push(all.slice(this.decoded, ready));
    this.decoded = Math.max(this.decoded, ready);
    this.show(step.emit);
    return step.stopped;
  }

  /** Generation ended for another reason: pass on the rest; true when a stop string was in it after all. */
  finish(all: string): boolean {
    const step = this.stopper.push(all.slice(this.decoded));
    this.show(step.emit);
    if (step.stopped) return true;
    this.show(this.stopper.flush());
    return false;
  }

  private show(piece: string): void {
    if (!piece) return;
    this.text += piece;
    this.onText(piece);
  }
}
