// The Evaluate screen's numbers: confusion-matrix cell shading and sorted class probabilities. Pure.

/**
 * Shade of a confusion-matrix cell, 0..1: its count over the largest count of its true row (so each row reads as
 * "where did examples of this label go"). 0 for an empty row.
 */
export function cellShade(confusion: readonly (readonly number[])[], row: number, column: number): number {
  const counts = confusion[row] ?? [];
  const max = Math.max(0, ...counts);
  return max > 0 ? (counts[column] ?? 0) / max : 0;
}

/** Share of a true row that went to each predicted column, 0..1 (the row's recall on the diagonal). */
export function rowShare(confusion: readonly (readonly number[])[], row: number, column: number): number {
  const counts = confusion[row] ?? [];
  const total = counts.reduce((a, b) => a + b, 0);
  return total > 0 ? (counts[column] ?? 0) / total : 0;
}

/** One row of classify probabilities as {label, probability} sorted from likeliest; ties keep label order. */
export function rankedProbabilities(labels: readonly string[], probs: readonly number[]): { label: string; probability: number }[] {
  return labels
    .map((label, i) => ({ label, probability: probs[i] ?? 0, i }))
    .sort((a, b) => b.probability - a.probability || a.i - b.i)
    .map(({ label, probability }) => ({ label, probability }));
}

export const formatPercent = (fraction: number, digits = 1): string =>
  Number.isFinite(fraction) ? `${(fraction * 100).toFixed(digits)}%` : '—';
