// Label order everywhere (summary, statistics, training's label indices).
import { isNumeric } from './tabularRecords';

/** Numeric labels in numeric order (2 before 10), anything else by code point. */
export function sortLabels(labels: string[]): string[] {
  if (labels.every((l) => isNumeric(l))) return labels.sort((a, b) => Number(a) - Number(b));
  return labels.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
