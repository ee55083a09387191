// Texts → batches for the Llama layout with its SentencePiece tokenizer. Training: every document is BOS + its
// tokens, joined into one stream that ends with BOS (so the model also learns where a text ends, and run.c-style
// generation stops there), sampled as random windows of T + 1 tokens. Evaluation and scoring: each document on its
// own from BOS, cut into rows of at most T predictions, padded and masked, so every text token is predicted exactly
// once from its own text's preceding tokens (a document longer than T restarts its context every T tokens).
import { rngFor } from '../rng';
import { BOS_ID, type SentencePieceTokenizer } from './sentencePieceTokenizer';

/** inputs, targets, mask: (B, T) row-major; mask 1 where the target is a real prediction. */
export interface LlamaBatch {
  B: number;
  T: number;
  inputs: Int32Array;
  targets: Int32Array;
  mask: Float32Array;
}

/** One document's piece: `inputs[i]` predicts `targets[i]`; equal lengths ≤ T. */
interface Row {
  inputs: number[];
  targets: number[];
}

/** Each non-blank text as BOS followed by its tokens. */
export function tokenizeDocuments(tokenizer: SentencePieceTokenizer, texts: readonly string[]): number[][] {
  return texts.filter((t) => t.trim() !== '').map((t) => tokenizer.encode(t, { bos: true }));
}

/** The training stream: documents back to back, then a closing BOS.  → (n) */
export function trainingStream(documents: readonly number[][]): Int32Array {
  const ids = documents.flat();
  ids.push(BOS_ID);
  return Int32Array.from(ids);
}

/** Draws B random windows of T + 1 tokens from `stream` (length > T) per call, seeded. */
export function windowSampler(stream: Int32Array, B: number, T: number, seed: number): () => LlamaBatch {
  if (stream.length < T + 1) throw new Error(`A stream of ${stream.length} tokens is too short for windows of ${T + 1}.`);
  const rng = rngFor(seed, 'batches');
  return () => {
    const inputs = new Int32Array(B * T);
    const targets = new Int32Array(B * T);
    for (let b = 0; b < B; b++) {
      const start = rng.int(stream.length - T);
      inputs.set(stream.subarray(start, start + T), b * T);
      targets.set(stream.subarray(start + 1, start + T + 1), b * T);
    }
    return { B, T, inputs, targets, mask: new Float32Array(B * T).fill(1) };
  };
}

/** Every document cut into rows of at most T predictions. */
function documentRows(documents: readonly number[][], T: number): Row[] {
  const rows: Row[] = [];
  for (const doc of documents) {
    for (let start = 0; start + 1 < doc.length; start += T) {
      const end = Math.min(doc.length - 1, start + T);
      rows.push({ inputs: doc.slice(start, end), targets: doc.slice(start + 1, end + 1) });
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
      mask.fill(1, b * T, b * T + row.inputs.length);
    });
    batches.push({ B: group.length, T, inputs, targets, mask });
  }
  return batches;
}

/**
 * Scoring batches for `documents`: rows of at most T predictions, B rows a batch. With `maxRows`, an evenly spaced
 * selection of that many rows (validation during training stays cheap on a large split).
 */
export function scoringBatches(documents: readonly number[][], T: number, B: number, maxRows = Infinity): LlamaBatch[] {
  let rows = documentRows(documents, T);
  if (rows.length > maxRows) {
    const all = rows;
    rows = Array.from({ length: maxRows }, (_, i) => all[Math.floor((i * all.length) / maxRows)]);
  }
  return packRows(rows, B);
}

/** Targets that count in a batch (mask = 1). */
export const maskedCount = (batch: LlamaBatch): number => batch.mask.reduce((n, m) => n + m, 0);
