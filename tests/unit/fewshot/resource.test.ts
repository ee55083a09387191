// The shipped GloVe resource: rebuilt from the shared data when present, then checked against the source.
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

describe.skipIf(!hasSource)('buildGloveResource', () => {
  const out = mkdtempSync(join(tmpdir(), 'glove-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('writes 20,000 × 100 float16 vectors within half-precision error, identical to the shipped copy', () => {
    const result = buildGloveResource(SOURCE, out);
    expect(result.rows).toBe(20_000);
    expect(result.files.find((f) => f.name === 'vectors.f16')?.bytes).toBe(4_000_000);
    expect(result.maxError).toBeLessThan(5e-3);
    const glove = loadGlove(out);
    expect(glove.words[0]).toBe('the');
    expect(glove.vectors[0]).toBeCloseTo(-0.038194, 3);
    if (existsSync(join(SHIPPED, 'vectors.f16'))) {
      expect(readFileSync(join(out, 'vectors.f16')).equals(readFileSync(join(SHIPPED, 'vectors.f16')))).toBe(true);
      expect(readFileSync(join(out, 'model.json'), 'utf8')).toBe(readFileSync(join(SHIPPED, 'model.json'), 'utf8'));
    }
  });
});
