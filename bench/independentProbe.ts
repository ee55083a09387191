// The linear-probe baseline as an outside check would compute it, independent of Tunebench's encoder and trainer:
// each text is the plain (unnormalised) mean of the GloVe vectors of its known words, read from the shared data's
// 20,000 float32 vectors, and the classifier is scikit-learn's default LogisticRegression (L2, C = 1: minimise
// C · Σ cross-entropy + ½ |W|², intercept unpenalised; binary for 2 classes, multinomial above, fitSklearnDefault),
// solved here by L-BFGS. Only the tokeniser is ours.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readShared } from '../main/trainer/fewshot/buildGloveResource';
import { wordIndex } from '../main/trainer/fewshot/glove';
import { tokenize, tokenRows } from '../main/trainer/fewshot/tokenize';
import { argmax } from '../main/trainer/sampling';

export interface RawGlove {
  dims: number;
  index: Map<string, number>;
  vectors: Float32Array;
}

/** The shared folder's vectors (glove-6b-100d: vocab_top20k.txt and two float32 parts), or null where it is absent. */
export function readSharedGlove(dir: string): RawGlove | null {
  if (!existsSync(join(dir, 'vocab_top20k.txt'))) return null;
  const { words, values } = readShared(dir);
  return { dims: values.length / words.length, index: wordIndex(words), vectors: values };
}

/** texts × dims: the mean vector of each text's known words, zero where it has none. */
export function meanVectors(texts: readonly string[], glove: RawGlove): Float64Array {
  const d = glove.dims;
  const out = new Float64Array(texts.length * d);
  texts.forEach((text, n) => {
    const rows = tokenRows(tokenize(text), glove.index);
    for (const r of rows) for (let j = 0; j < d; j++) out[n * d + j] += glove.vectors[r * d + j] / rows.length;
  });
  return out;
}

export interface Logistic {
  dims: number;
  classes: number;
  /** dims × classes, then classes intercepts */
  theta: Float64Array;
  /** Whether the gradient's largest entry fell below the tolerance. */
  converged: boolean;
}

/** The objective C · Σ cross-entropy + ½ |W|² and its gradient at theta. */
export function logisticObjective(x: Float64Array, y: readonly number[], dims: number, classes: number, c: number, theta: Float64Array): { value: number; gradient: Float64Array } {
  const g = new Float64Array(theta.length);
  const z = new Float64Array(classes);
  let value = 0;
  for (let i = 0; i < y.length; i++) {
    logits(x, i, dims, classes, theta, z);
    let max = -Infinity;
    for (const v of z) max = Math.max(max, v);
    let sum = 0;
    for (let k = 0; k < classes; k++) sum += Math.exp(z[k] - max);
    value += c * (max + Math.log(sum) - z[y[i]]);
    for (let k = 0; k < classes; k++) {
      const r = c * (Math.exp(z[k] - max) / sum - (k === y[i] ? 1 : 0));
      for (let j = 0; j < dims; j++) g[j * classes + k] += r * x[i * dims + j];
      g[dims * classes + k] += r;
    }
  }
  for (let p = 0; p < dims * classes; p++) {
    value += 0.5 * theta[p] * theta[p];
    g[p] += theta[p];
  }
  return { value, gradient: g };
}

function logits(x: Float64Array, i: number, dims: number, classes: number, theta: Float64Array, out: Float64Array): void {
  for (let k = 0; k < classes; k++) {
    let s = theta[dims * classes + k];
    for (let j = 0; j < dims; j++) s += x[i * dims + j] * theta[j * classes + k];
    out[k] = s;
  }
}

const dot = (a: Float64Array, b: Float64Array) => a.reduce((s, v, i) => s + v * b[i], 0);

/** Fits the probe by L-BFGS (10 pairs, backtracking Armijo line search) until the gradient's largest entry is < tol. */
export function fitLogistic(x: Float64Array, y: readonly number[], dims: number, classes: number, c = 1, tol = 1e-6, maxIterations = 1000): Logistic {
  let theta: Float64Array = new Float64Array((dims + 1) * classes);
  let { value, gradient }: { value: number; gradient: Float64Array } = logisticObjective(x, y, dims, classes, c, theta);
  const history: { s: Float64Array; t: Float64Array; rho: number }[] = [];
  for (let it = 0; it < maxIterations && Math.max(...gradient.map(Math.abs)) >= tol; it++) {
    // two-loop recursion: direction = −H·g
    const q = Float64Array.from(gradient);
    const alphas: number[] = [];
    for (let h = history.length - 1; h >= 0; h--) {
      const a = history[h].rho * dot(history[h].s, q);
      alphas[h] = a;
      for (let p = 0; p < q.length; p++) q[p] -= a * history[h].t[p];
    }
    const last = history[history.length - 1];
    const gamma = last ? dot(last.s, last.t) / dot(last.t, last.t) : 1 / Math.max(1, Math.sqrt(dot(gradient, gradient)));
    for (let p = 0; p < q.length; p++) q[p] *= gamma;
    for (let h = 0; h < history.length; h++) {
      const b = history[h].rho * dot(history[h].t, q);
      for (let p = 0; p < q.length; p++) q[p] += history[h].s[p] * (alphas[h] - b);
    }
    const direction = q.map((v) => -v);
    let slope = dot(gradient, direction);
    if (!(slope < 0)) {
      history.length = 0; // not a descent direction: restart from steepest descent
      direction.set(gradient.map((v) => -v));
      slope = -dot(gradient, gradient);
    }
    let next: Float64Array | null = null;
    let evaluated: { value: number; gradient: Float64Array } | null = null;
    for (let step = 1; step >= 1e-12 && !next; step /= 2) {
      const trial = theta.map((v, p) => v + step * direction[p]);
      const at = logisticObjective(x, y, dims, classes, c, trial);
      if (at.value <= value + 1e-4 * step * slope) [next, evaluated] = [trial, at];
    }
    if (!next || !evaluated) {
      if (history.length === 0) break; // not even steepest descent finds a lower point: float64's limit
      history.length = 0; // retry along the steepest descent
      continue;
    }
    const s = next.map((v, p) => v - theta[p]);
    const t = evaluated.gradient.map((v, p) => v - gradient[p]);
    const st = dot(s, t);
    if (st > 1e-12) history.push({ s, t, rho: 1 / st });
    if (history.length > 10) history.shift();
    theta = next;
    ({ value, gradient } = evaluated);
  }
  return { dims, classes, theta, converged: Math.max(...gradient.map(Math.abs)) < tol };
}

/**
 * scikit-learn's LogisticRegression() as it fits by default: L2 with C = 1, multinomial from 3 classes up. For 2
 * classes it fits one weight vector w with ½|w|²; the softmax here has a row per class, whose optimum splits the
 * difference in half (w₁ = −w₀ = w/2, penalty ¼|w|²), so the same model is the softmax's at C = ½.
 */
export function fitSklearnDefault(x: Float64Array, y: readonly number[], dims: number, classes: number): Logistic {
  return fitLogistic(x, y, dims, classes, classes === 2 ? 0.5 : 1);
}

/** The most probable class of each row of x. */
export function predictLogistic(model: Logistic, x: Float64Array): number[] {
  const n = x.length / model.dims;
  const z = new Float64Array(model.classes);
  return Array.from({ length: n }, (_, i) => {
    logits(x, i, model.dims, model.classes, model.theta, z);
    return argmax(z);
  });
}
