// Which task a dataset is and which source column plays which role, from the column names first and the values
// second, with the user's task and column choices taking precedence. Works on a sample of the first records.
import { TASK_ROLES, type DatasetTask, type Mapping, type MappingRole } from '../../common/datasetTypes';
import { badInput } from '../../common/result';
import { isNumeric } from './tabularRecords';

export interface Detection {
  task: DatasetTask;
  mapping: Mapping;
}

/** Column names that suggest a role, best first (compared case-insensitively). */
export const ROLE_NAMES: Record<MappingRole, string[]> = {
  text: ['text', 'sentence', 'content', 'message', 'sms', 'review', 'document', 'body', 'tweet', 'comment', 'utterance', 'passage', 'article', 'story', 'question', 'query', 'description', 'abstract', 'title', 'input'],
  label: ['label', 'labels', 'class', 'category', 'target', 'sentiment', 'topic', 'y', 'stars', 'rating', 'intent', 'emotion', 'polarity', 'genre', 'tag', 'coarse_label', 'fine_label'],
  prompt: ['prompt', 'question', 'query', 'input', 'source', 'context'],
  completion: ['completion', 'response', 'answer', 'output', 'chosen', 'reply', 'target'],
  instruction: ['instruction', 'instructions'],
  input: ['input', 'context'],
  output: ['output', 'response', 'answer', 'completion'],
  messages: ['messages', 'conversations', 'conversation', 'dialog', 'dialogue', 'chat'],
};

const MAX_LABEL_CHARS = 40; // a longer value is text, not a class name
const MAX_CONTENT_LABELS = 100;

export interface MappingRequest {
  task?: DatasetTask | 'auto';
  map?: Mapping; // must exist in the file
  prefer?: Mapping; // used for the roles whose column exists in the file (an attached test file: its dataset's)
}

/** `fields`: every column in the sample, in order; `sample`: the first records. */
export function detectMapping(fileName: string, fields: string[], sample: Record<string, unknown>[], request: MappingRequest = {}): Detection {
  const given = request.map ?? {};
  for (const [role, column] of Object.entries(given)) {
    if (column !== undefined && !fields.includes(column)) {
      throw badInput(`${fileName} has no column '${column}' (asked for as the ${role}); its columns are ${fields.join(', ')}.`);
    }
  }
  const task = request.task && request.task !== 'auto' ? request.task : taskFromRoles(given) ?? detectTask(fields, sample);
  const { required, optional } = TASK_ROLES[task];
  for (const role of Object.keys(given) as MappingRole[]) {
    if (given[role] !== undefined && !required.includes(role) && !optional.includes(role)) {
      throw badInput(`A ${task} dataset has no '${role}' column to map; it uses ${[...required, ...optional].join(', ')}.`);
    }
  }
  const mapping: Mapping = { ...given };
  for (const [role, column] of Object.entries(request.prefer ?? {}) as [MappingRole, string | undefined][]) {
    if (mapping[role] === undefined && column !== undefined && fields.includes(column) && [...required, ...optional].includes(role)) mapping[role] = column;
  }
  const taken = () => new Set(Object.values(mapping));
  for (const role of [...required, ...optional]) {
    if (mapping[role] !== undefined) continue;
    const found = role === 'text' ? findTextColumn(fields, sample, taken()) : findByName(fields, ROLE_NAMES[role], taken());
    const column = found ?? (role === 'label' ? findLabelByContent(fields, sample, taken()) : null);
    if (column !== null) mapping[role] = column;
    else if (required.includes(role)) throw missingRole(fileName, task, role, fields);
  }
  return { task, mapping };
}

function taskFromRoles(map: Mapping): DatasetTask | null {
  if (map.messages) return 'chat';
  if (map.instruction || map.output) return 'instruction';
  if (map.prompt || map.completion) return 'pairs';
  if (map.label) return 'classify';
  return null;
}

function detectTask(fields: string[], sample: Record<string, unknown>[]): DatasetTask {
  const none = new Set<string>();
  const messages = findByName(fields, ROLE_NAMES.messages, none);
  if (messages && sample.some((r) => Array.isArray(r[messages]) || (typeof r[messages] === 'string' && (r[messages] as string).trimStart().startsWith('[')))) {
    return 'chat';
  }
  if (findByName(fields, ROLE_NAMES.instruction, none) && findByName(fields, ROLE_NAMES.output, none)) return 'instruction';
  const prompt = findByName(fields, ROLE_NAMES.prompt, none);
  const completion = prompt && findByName(fields, ROLE_NAMES.completion, new Set([prompt]));
  if (prompt && completion && isFreeText(sample, completion)) return 'pairs';
  const label = findByName(fields, ROLE_NAMES.label, none) ?? findLabelByContent(fields, sample, none);
  if (label && findTextColumn(fields, sample, new Set([label]))) return 'classify';
  return 'generate';
}

function findByName(fields: string[], names: string[], taken: Set<string | undefined>): string | null {
  const lower = fields.map((f) => f.toLowerCase());
  for (const name of names) {
    const i = lower.indexOf(name);
    if (i >= 0 && !taken.has(fields[i])) return fields[i];
  }
  return null;
}

/** By name; else the column of non-numeric strings with the longest mean length. */
function findTextColumn(fields: string[], sample: Record<string, unknown>[], taken: Set<string | undefined>): string | null {
  const named = findByName(fields, ROLE_NAMES.text, taken);
  if (named) return named;
  let best: string | null = null;
  let bestMean = -1;
  for (const field of fields) {
    if (taken.has(field)) continue;
    let chars = 0;
    let hasText = false;
    for (const record of sample) {
      const v = record[field];
      if (typeof v !== 'string') continue;
      chars += v.length;
      if (!hasText && v.trim() !== '' && !isNumeric(v)) hasText = true;
    }
    const mean = chars / Math.max(1, sample.length);
    if (hasText && mean > bestMean) [best, bestMean] = [field, mean];
  }
  return best;
}

/**
 * A label found by its values, only where no column name says what it holds (a file without a header): short
 * values, at least two distinct, each seen twice on average; the column with the fewest distinct values wins.
 */
function findLabelByContent(fields: string[], sample: Record<string, unknown>[], taken: Set<string | undefined>): string | null {
  const informative = fields.some((f) => Object.values(ROLE_NAMES).some((names) => names.includes(f.toLowerCase())));
  if (informative || sample.length < 4) return null;
  let best: string | null = null;
  let bestDistinct = Infinity;
  for (const field of fields) {
    if (taken.has(field)) continue;
    const values = new Set<string>();
    let ok = true;
    for (const record of sample) {
      const v = record[field];
      if ((typeof v !== 'string' && typeof v !== 'number') || String(v).trim() === '' || String(v).length > MAX_LABEL_CHARS) {
        ok = false;
        break;
      }
      values.add(String(v).trim());
    }
    const distinct = values.size;
    if (ok && distinct >= 2 && distinct <= Math.min(MAX_CONTENT_LABELS, sample.length / 2) && distinct < bestDistinct) {
      [best, bestDistinct] = [field, distinct];
    }
  }
  return best;
}

function isFreeText(sample: Record<string, unknown>[], field: string): boolean {
  const values = sample.map((r) => r[field]).filter((v): v is string => typeof v === 'string');
  return values.length > 0 && values.some((v) => !isNumeric(v)) && new Set(values).size > values.length / 2;
}

function missingRole(fileName: string, task: DatasetTask, role: MappingRole, fields: string[]): Error {
  if (role === 'text' && (task === 'classify' || task === 'generate')) {
    return badInput(`${fileName}: no text column found among ${fields.join(', ')}; name one column text (or choose it with --map text=<column>).`);
  }
  return badInput(`${fileName}: no column for the ${role} of a ${task} dataset among ${fields.join(', ')}; choose one with --map ${role}=<column>.`);
}
