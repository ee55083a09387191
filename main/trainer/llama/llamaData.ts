// Texts → batches for the Llama layout with its SentencePiece tokenizer. Training: every document is BOS + its
// tokens, joined into one stream that ends with BOS (so the model also learns where a text ends, and run.c-style
// generation stops there), sampled as random windows of T + 1 tokens. Evaluation and scoring: each document on its
// own from BOS, cut into rows of at most T predictions, padded and masked, so every text token is predicted exactly
// once from its own text's preceding tokens (a document longer than T restarts its context every T tokens).
// Prompt → completion texts (a prompt length in characters per text) also mark which tokens the loss counts: the
// completion's, and in the training stream the BOS that closes the text; a parallel stream carries those marks, so
// training windows and evaluation rows mask the prompt's tokens out.
import type { TokenStream } from '../data';
import { rngFor } from '../rng';
import { BOS_ID, type SentencePieceTokenizer } from './sentencePieceTokenizer';

/** inputs, targets, mask: (B, T) row-major; mask 1 where the target is a real prediction that counts. */
export interface LlamaBatch {
  B: number;
  T: number;
  inputs: Int32Array;
  targets: Int32Array;
  mask: Float32Array;
}

/** A text as BOS + its tokens; `trained` (prompt → completion texts): 1 on the tokens the loss counts, 0 on the prompt's. */
export interface LlamaDocument {
  ids: number[];
  trained?: Uint8Array;
}

/** One document's piece: `inputs[i]` predicts `targets[i]`, which counts with `weights[i]`; equal lengths ≤ T. */
interface Row {
  inputs: number[];
  targets: number[];
  weights: number[];
}

const utf8Length = (text: string): number => new TextEncoder().encode(text).length;

/**
 * 1 on the tokens of `ids` (BOS + encode(text)) that end after the first `promptChars` characters of `text`, so a
 * token spanning the boundary (a word's leading space in the prompt) counts as completion; BOS is marked 1, being
 * the token that closes the text before it.
 */
export function completionMask(tokenizer: SentencePieceTokenizer, ids: readonly number[], text: string, promptChars: number): Uint8Array {
  const ends: number[] = [];
  let at = 0;
  for (const id of ids) ends.push((at += tokenizer.inputBytes(id)));
  const dummyPrefix = at - utf8Length(text); // encode's leading space, when the vocabulary has one
  const boundary = dummyPrefix + utf8Length(text.slice(0, promptChars));
  return Uint8Array.from(ids, (id, i) => (id === BOS_ID || ends[i] > boundary ? 1 : 0));
}

/** Each non-blank text as BOS followed by its tokens; with `promptChars` (one per text), its completion mask. */
export function tokenizeDocuments(tokenizer: SentencePieceTokenizer, texts: readonly string[], promptChars?: readonly number[]): LlamaDocument[] {
  const docs: LlamaDocument[] = [];
  texts.forEach((text, i) => {
    if (text.trim() === '') return;
    const ids = tokenizer.encode(text, { bos: true });
    docs.push(promptChars ? { ids, trained: completionMask(tokenizer, ids, text, promptChars[i]) } : { ids });
  });
  return docs;
}

/** The training stream: documents back to back, then a closing BOS (marked trained).  → (n) */
export const trainingStream = (documents: readonly LlamaDocument[]): TokenStream => documentStream(documents, BOS_ID);

/** Documents back to back, then `closing` when given (marked trained); the marks where any document has them.  → (n) */
export function documentStream(documents: readonly LlamaDocument[], closing: number | null = null): TokenStream {
  const ids = documents.flatMap((d) => d.ids);
  if (closing !== null) ids.push(closing);
  if (!documents.some((d) => d.trained)) return { tokens: Int32Array.from(ids), trained: null };
  const trained = new Uint8Array(ids.length).fill(1);
  let at = 0;
  for (const d of documents) {
    if (d.trained) trained.set(d.trained, at);
    at += d.ids.length;
  }
  return { tokens: Int32Array.from(ids), trained };
}

/**
 * Draws B random windows of T + 1 tokens from `stream` (length > T) per call, seeded; the mask is the stream's marks
 * on the targets (all 1 without marks). The n-th call draws the same windows in any process, so a resumed run
 * replays its calls to get back to where it was.
 */
export function windowSampler(stream: TokenStream, B: number, T: number, seed: number): () => LlamaBatch {
  const { tokens, trained } = stream;
  if (tokens.length < T + 1) throw new Error(`A stream of ${tokens.length} tokens is too short for windows of ${T + 1}.`);
  const rng = rngFor(seed, 'batches');
  return () => {
    const inputs = new Int32Array(B * T);
    const targets = new Int32Array(B * T);
    const mask = new Float32Array(B * T).fill(1);
    for (let b = 0; b < B; b++) {
      const start = rng.int(tokens.length - T);
      inputs.set(tokens.subarray(start, start + T), b * T);
      targets.set(tokens.subarray(start + 1, start + T + 1), b * T);
      if (trained) mask.set(trained.subarray(start + 1, start + T + 1), b * T);
    }
    return { B, T, inputs, targets, mask };
  };
}

/** Every document cut into rows of at most T predictions; a row of prompt only (nothing counted) is left out. */
function documentRows(documents: readonly LlamaDocument[], T: number): Row[] {
  const rows: Row[] = [];
  for (const { ids, trained } of documents) {
    for (let start = 0; start + 1 < ids.length; start += T) {
      const end = Math.min(ids.length - 1, start + T);
      const weights = trained ? Array.from(trained.subarray(start + 1, end + 1)) : new Array<number>(end - start).fill(1);
      if (weights.some((w) => w > 0)) rows.push({ inputs: ids.slice(start, end), targets: ids.slice(start + 1, end + 1), weights });
    }
  }
  return rows;
}

/** Rows packed B at a time, each batch as wide as its longest row, padding masked out. */
function packRows(rows: readonly Row[], B: number): LlamaBatch[] {
  const batches: LlamaBatch[] = [];
  for (let i = 0; i < rows.length; i += B) {
    const group = rows.slice(i, i + B);
    const T = Math.max(...group.map((r) => r.inputs.length));
    const inputs = new Int32Array(group.length * T);
    const targets = new Int32Array(group.length * T);
    const mask = new Float32Array(group.length * T);
    group.forEach((row, b) => {
      inputs.set(row.inputs, b * T);
      targets.set(row.targets, b * T);
      mask.set(row.weights, b * T);
    });
    batches.push({ B: group.length, T, inputs, targets, mask });
  }
  return batches;
}

/**
 * Scoring batches for `documents`: rows of at most T predictions, B rows a batch. With `maxRows`, an evenly spaced
 * selection of that many rows (validation during training stays cheap on a large split).
 */
export function scoringBatches(documents: readonly LlamaDocument[], T: number, B: number, maxRows = Infinity): LlamaBatch[] {
  let rows = documentRows(documents, T);
  if (rows.length > maxRows) {
    const all = rows;
    rows = Array.from({ length: maxRows }, (_, i) => all[Math.floor((i * all.length) / maxRows)]);
  }
  return packRows(rows, B);
}

/** Targets that count in a batch (mask = 1). */
export const maskedCount = (batch: LlamaBatch): number => batch.mask.reduce((n, m) => n + m, 0);
