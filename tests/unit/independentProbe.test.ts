// The benchmark's independent probe: scikit-learn's default logistic regression on plain mean GloVe vectors. The
// solver must reach the objective's minimum (gradient zero), and the vectors must be the shared data's own.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fitLogistic, fitSklearnDefault, logisticObjective, meanVectors, predictLogistic, readSharedGlove } from '../../bench/independentProbe';

const SHARED = join(__dirname, '../../../shared/data/embeddings/glove-6b-100d');

/** n points per class around well-apart centres in `dims` dimensions, with a little overlap. */
function blobs(classes: number, n: number, dims: number): { x: Float64Array; y: number[] } {
  let seed = 7;
  const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32) * 2 - 1;
  const x = new Float64Array(classes * n * dims);
  const y: number[] = [];
  for (let c = 0; c < classes; c++) {
    for (let i = 0; i < n; i++) {
      const row = y.length;
      y.push(c);
      for (let j = 0; j < dims; j++) x[row * dims + j] = (j % classes === c ? 1.5 : 0) + rand();
    }
  }
  return { x, y };
}

describe('the independent probe', () => {
  it('minimises C·Σ cross-entropy + ½|W|²: zero gradient, and no nearby point is lower', () => {
    const { x, y } = blobs(3, 12, 5);
    const model = fitLogistic(x, y, 5, 3);
    const at = logisticObjective(x, y, 5, 3, 1, model.theta);
    expect(Math.max(...at.gradient.map(Math.abs))).toBeLessThan(1e-6);
    for (let p = 0; p < model.theta.length; p++) {
      for (const h of [-1e-3, 1e-3]) {
        const moved = Float64Array.from(model.theta);
        moved[p] += h;
        expect(logisticObjective(x, y, 5, 3, 1, moved).value).toBeGreaterThan(at.value);
      }
    }
    const right = predictLogistic(model, x).filter((c, i) => c === y[i]).length;
    expect(right).toBeGreaterThan(30);
  });

  it("fits two classes as scikit-learn's binary model: one vector w minimising Σ cross-entropy + ½|w|²", () => {
    const { x, y } = blobs(2, 10, 4);
    const model = fitSklearnDefault(x, y, 4, 2);
    expect(model.converged).toBe(true);
    const w = [0, 1, 2, 3].map((j) => model.theta[j * 2 + 1] - model.theta[j * 2]); // logit(1) − logit(0) per feature
    const b = model.theta[9] - model.theta[8];
    // the binary objective's gradient in w: Σ (σ(w·x + b) − y) x + w, zero at its optimum
    const grad = [...w];
    for (let i = 0; i < y.length; i++) {
      const z = b + w.reduce((s, wj, j) => s + wj * x[i * 4 + j], 0);
      for (let j = 0; j < 4; j++) grad[j] += (1 / (1 + Math.exp(-z)) - y[i]) * x[i * 4 + j];
    }
    for (const g of grad) expect(Math.abs(g)).toBeLessThan(1e-5);
  });

  it('regularises less as C grows: the weights get larger', () => {
    const { x, y } = blobs(2, 10, 4);
    const norm = (c: number) => Math.hypot(...fitLogistic(x, y, 4, 2, c).theta.slice(0, 8));
    expect(norm(10)).toBeGreaterThan(norm(1));
    expect(norm(1)).toBeGreaterThan(norm(0.1));
  });
});

describe.skipIf(!existsSync(SHARED))('the shared GloVe vectors', () => {
  it('are read as 20,000 × 100 float32 values, and a text is the plain mean of its known words', () => {
    const glove = readSharedGlove(SHARED)!;
    expect(glove.dims).toBe(100);
    expect(glove.index.size).toBe(20_000);
    const row = (w: string) => glove.vectors.subarray(glove.index.get(w)! * 100, glove.index.get(w)! * 100 + 100);
    const mean = meanVectors(['The cat, qwzxv!'], glove); // 'qwzxv' is unknown and left out
    const words = ['the', 'cat', ',', '!'];
    for (const j of [0, 17, 99]) expect(mean[j]).toBeCloseTo(words.reduce((s, w) => s + row(w)[j], 0) / 4, 6);
    expect(Array.from(meanVectors(['qwzxv'], glove)).every((v) => v === 0)).toBe(true);
  });
});
