// The GloVe word vectors shipped in resources/models/glove-6b-100d: model.json, vocab.txt (one word a line, most
// frequent first, so a word's row doubles as its frequency rank) and vectors.f16 (rows × dims little-endian float16).
// Loaded once per folder per process: 50,000 × 100 float32 = 20 MB in memory.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { badInput, notFound } from '../../../common/result';
import { decodeFloat16 } from './float16';

export const GLOVE_FILES = { model: 'model.json', vocab: 'vocab.txt', vectors: 'vectors.f16' } as const;

export interface GloveModelJson {
  id: string;
  name: string;
  dims: number;
  rows: number;
  dtype: 'float16';
  byteOrder: 'little-endian';
  vectors: string;
  vocab: string;
  vocabOrder: string;
  sha256: string; // of the vectors file
  source: string;
  license: string;
}

export interface GloveVectors {
  dims: number;
  rows: number;
  /** word → row (= frequency rank, 0 = most frequent) */
  index: Map<string, number>;
  words: string[];
  /** rows × dims, row-major */
  vectors: Float32Array;
}

const cache = new Map<string, GloveVectors>();

function readModelJson(basePath: string): GloveModelJson {
  const path = join(basePath, GLOVE_FILES.model);
  if (!existsSync(path)) throw notFound(`The GloVe encoder files are missing: ${path} does not exist.`);
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as GloveModelJson;
  } catch {
    throw badInput(`${path} is not valid JSON.`);
  }
}

/** word → row of its first occurrence in `words` (row order = frequency rank). */
export function wordIndex(words: readonly string[]): Map<string, number> {
  const index = new Map<string, number>();
  words.forEach((w, i) => {
    if (!index.has(w)) index.set(w, i);
  });
  return index;
}

/** Loads (and caches) the vectors in `basePath`; checks row count and, once per process, the sha256. */
export function loadGlove(basePath: string): GloveVectors {
  const cached = cache.get(basePath);
  if (cached) return cached;
  const meta = readModelJson(basePath);
  const words = readFileSync(join(basePath, meta.vocab ?? GLOVE_FILES.vocab), 'utf8').split('\n');
  if (words[words.length - 1] === '') words.pop();
  const vectorsPath = join(basePath, meta.vectors ?? GLOVE_FILES.vectors);
  const bytes = readFileSync(vectorsPath);
  if (bytes.byteLength !== meta.rows * meta.dims * 2 || words.length !== meta.rows) {
    throw badInput(`${vectorsPath}: expected ${meta.rows} rows × ${meta.dims} float16 values and ${meta.rows} words; the files do not match model.json.`);
  }
  if (meta.sha256 && createHash('sha256').update(bytes).digest('hex') !== meta.sha256) {
    throw badInput(`${vectorsPath}: its sha256 differs from model.json; the file is damaged.`);
  }
  const glove: GloveVectors = { dims: meta.dims, rows: meta.rows, index: wordIndex(words), words, vectors: decodeFloat16(bytes) };
  cache.set(basePath, glove);
  return glove;
}
