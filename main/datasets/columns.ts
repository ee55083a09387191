// Which column is the text and which (if any) the label, by name first and by content otherwise; then each row as an
// example. A label column makes the dataset a classification set; without one it is a generation corpus.
import { badInput } from '../../common/result';
import { isNumeric } from './csvTableParser';
import { describeJson } from './jsonlParser';
import type { Table } from './table';

export const TEXT_COLUMN_NAMES = ['text', 'sentence', 'content', 'message', 'sms', 'review', 'document', 'body', 'question', 'input'];
export const LABEL_COLUMN_NAMES = ['label', 'labels', 'class', 'category', 'target', 'sentiment', 'topic', 'y'];

export interface Example {
  line: number; // where the row starts in the source file, 1-based
  text: string; // as written (not trimmed)
  label: string | null; // trimmed; null for generation
}

export interface TableExamples {
  columns: { text: string; label: string | null };
  labels: string[]; // sorted distinct labels; [] without a label column
  examples: Example[];
}

export function examplesFromTable(table: Table, fileName: string): TableExamples {
  const { columns, rows } = table;
  if (rows.length === 0) throw badInput(`${fileName} has no data rows.`);
  const labelIndex = findByName(columns, LABEL_COLUMN_NAMES);
  let textIndex = findByName(columns, TEXT_COLUMN_NAMES);
  if (textIndex < 0) textIndex = longestStringColumn(table, labelIndex);
  if (textIndex < 0) {
    throw badInput(`${fileName}: no text column found; name one column text (or ${TEXT_COLUMN_NAMES.slice(1).join(', ')}).`);
  }
  const textName = columns[textIndex];
  const labelName = labelIndex >= 0 ? columns[labelIndex] : null;

  const examples: Example[] = rows.map(({ line, cells }) => {
    const text = cellText(cells[textIndex], textName, line, fileName);
    if (text.trim() === '') throw badInput(`${fileName} line ${line}: the text field '${textName}' is empty.`);
    if (labelName === null) return { line, text, label: null };
    const label = cellText(cells[labelIndex], labelName, line, fileName).trim();
    if (label === '') throw badInput(`${fileName} line ${line}: the label field '${labelName}' is empty.`);
    return { line, text, label };
  });

  const labels = labelName === null ? [] : sortLabels([...new Set(examples.map((e) => e.label as string))]);
  if (labelName !== null && labels.length < 2) {
    throw badInput(
      `${fileName}: the label column '${labelName}' has only one class ('${labels[0]}'); classification needs at least two.`,
    );
  }
  return { columns: { text: textName, label: labelName }, labels, examples };
}

/** Numeric labels in numeric order (2 before 10), anything else by code point. */
export function sortLabels(labels: string[]): string[] {
  if (labels.every((l) => isNumeric(l))) return labels.sort((a, b) => Number(a) - Number(b));
  return labels.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function findByName(columns: string[], names: string[]): number {
  const lower = columns.map((c) => c.toLowerCase());
  for (const name of names) {
    const i = lower.indexOf(name);
    if (i >= 0) return i;
  }
  return -1;
}

/** The column (other than `skip`) holding non-numeric strings with the longest mean length; -1 if none. */
function longestStringColumn(table: Table, skip: number): number {
  let best = -1;
  let bestMean = -1;
  table.columns.forEach((_, c) => {
    if (c === skip) return;
    let chars = 0;
    let hasText = false;
    for (const { cells } of table.rows) {
      const cell = cells[c];
      if (typeof cell !== 'string') continue;
      chars += cell.length;
      if (!hasText && cell.trim() !== '' && !isNumeric(cell)) hasText = true;
    }
    const mean = chars / table.rows.length;
    if (hasText && mean > bestMean) {
      best = c;
      bestMean = mean;
    }
  });
  return best;
}

function cellText(cell: unknown, column: string, line: number, fileName: string): string {
  if (typeof cell === 'string') return cell;
  if (typeof cell === 'number' || typeof cell === 'boolean') return String(cell);
  if (cell === undefined) throw badInput(`${fileName} line ${line}: no '${column}' field.`);
  if (cell === null) return '';
  throw badInput(`${fileName} line ${line}: the field '${column}' holds ${describeJson(cell)}; expected text.`);
}
