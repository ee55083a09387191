// Classification metrics from predicted probabilities: accuracy, macro-F1, per-class precision / recall / F1 /
// support, the confusion matrix (rows = true label, columns = predicted) and the most confident mistakes.
// 0/0 counts as 0 (a label never predicted has precision 0; a label with no examples has recall 0).
import type { ClassificationMetrics } from './evaluation';

const MAX_MISTAKES = 20;

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);

/** Index of the largest value (the first on ties). */
function argMax(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/**
 * `truth[i]` is the label index of `texts[i]`; `probs[i]` has one probability per label.
 * Throws when the lengths disagree or a label index is out of range.
 */
export function classificationMetrics(labels: string[], truth: number[], probs: number[][], texts: string[]): ClassificationMetrics {
  const n = truth.length;
  if (probs.length !== n || texts.length !== n) throw new Error(`classificationMetrics: ${n} labels, ${probs.length} probability rows and ${texts.length} texts.`);
  const c = labels.length;
  const confusion = labels.map(() => new Array<number>(c).fill(0));
  const mistakes: ClassificationMetrics['mistakes'] = [];
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const t = truth[i];
    if (!Number.isInteger(t) || t < 0 || t >= c) throw new Error(`classificationMetrics: example ${i + 1} has label ${t}; expected 0..${c - 1}.`);
    if (probs[i].length !== c) throw new Error(`classificationMetrics: example ${i + 1} has ${probs[i].length} probabilities for ${c} labels.`);
    const p = argMax(probs[i]);
    confusion[t][p]++;
    if (p === t) correct++;
    else mistakes.push({ text: texts[i], label: labels[t], predicted: labels[p], confidence: probs[i][p] });
  }
  const perClass = labels.map((label, k) => {
    const tp = confusion[k][k];
    const support = confusion[k].reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((a, row) => a + row[k], 0);
    const precision = ratio(tp, predicted);
    const recall = ratio(tp, support);
    return { label, precision, recall, f1: ratio(2 * precision * recall, precision + recall), support };
  });
  mistakes.sort((a, b) => b.confidence - a.confidence);
  return {
    examples: n,
    accuracy: ratio(correct, n),
    macroF1: ratio(perClass.reduce((a, m) => a + m.f1, 0), c),
    perClass,
    labels: [...labels],
    confusion,
    mistakes: mistakes.slice(0, MAX_MISTAKES),
  };
}
