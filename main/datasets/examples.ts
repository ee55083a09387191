// One source record as a training example of its task: the text training sees, the label, and for pairs,
// instruction records and chats the structured parts. Pairs, instructions and chats are written out as plain
// readable text with the template below, because training today knows only `generate` and `classify`
// (common/protocol.ts); a later change can mask the prompt out of the loss using the stored parts.
import type { DatasetTask, ExampleParts, Mapping } from '../../common/datasetTypes';
import { badInput } from '../../common/result';
import { describeJson } from './records';

export interface Example {
  text: string; // what training sees
  label: string | null; // trimmed; classification only
  parts: ExampleParts | null;
}

type Message = { role: string; content: string };

/**
 * The template: `Prompt: …\nResponse: …`; `Instruction: …\nInput: …\nResponse: …` (no Input line when it is empty);
 * a chat as one `role: content` line per message.
 */
export function renderParts(parts: ExampleParts): string {
  if ('prompt' in parts) return `Prompt: ${parts.prompt}\nResponse: ${parts.completion}`;
  if ('instruction' in parts) {
    const input = parts.input.trim() === '' ? '' : `\nInput: ${parts.input}`;
    return `Instruction: ${parts.instruction}${input}\nResponse: ${parts.output}`;
  }
  return parts.messages.map((m) => `${m.role}: ${m.content}`).join('\n');
}

/** `where` names the record in errors ("data.jsonl line 4"); called only when there is one. */
export function toExample(fields: Record<string, unknown>, task: DatasetTask, mapping: Mapping, where: () => string): Example {
  const cell = (role: keyof Mapping, optional = false) => cellText(fields, mapping[role] as string, where, optional);
  switch (task) {
    case 'classify': {
      const label = cell('label').trim();
      if (label === '') throw badInput(`${where()}: the label field '${mapping.label}' is empty.`);
      return { text: cell('text'), label, parts: null };
    }
    case 'generate':
      return { text: cell('text'), label: null, parts: null };
    case 'pairs':
      return withText({ prompt: cell('prompt'), completion: cell('completion') });
    case 'instruction':
      return withText({ instruction: cell('instruction'), input: mapping.input ? cell('input', true) : '', output: cell('output') });
    case 'chat':
      return withText({ messages: readMessages(fields[mapping.messages as string], mapping.messages as string, where) });
  }
}

export function withText(parts: ExampleParts): Example {
  return { text: renderParts(parts), label: null, parts };
}

/** True when the example has nothing to learn from: blank text, or a blank required part. */
export function isEmptyExample(e: Example): boolean {
  const blank = (s: string) => s.trim() === '';
  if (!e.parts) return blank(e.text);
  if ('prompt' in e.parts) return blank(e.parts.prompt) || blank(e.parts.completion);
  if ('instruction' in e.parts) return blank(e.parts.instruction) || blank(e.parts.output);
  return e.parts.messages.every((m) => blank(m.content));
}

function cellText(fields: Record<string, unknown>, column: string, where: () => string, optional: boolean): string {
  const cell = fields[column];
  if (typeof cell === 'string') return cell;
  if (typeof cell === 'number' || typeof cell === 'boolean') return String(cell);
  if (cell === null || (cell === undefined && optional)) return '';
  if (cell === undefined) throw badInput(`${where()}: no '${column}' field.`);
  throw badInput(`${where()}: the field '${column}' holds ${describeJson(cell)}; expected text.`);
}

/** `[{role, content}]` (OpenAI) or `[{from, value}]` (ShareGPT), possibly as a JSON string in a CSV cell. */
function readMessages(value: unknown, column: string, where: () => string): Message[] {
  let list = value;
  if (typeof list === 'string' && list.trimStart().startsWith('[')) {
    try {
      list = JSON.parse(list);
    } catch {
      /* reported below */
    }
  }
  const shape = `a list of {role, content} messages`;
  if (list === undefined) throw badInput(`${where()}: no '${column}' field.`);
  if (!Array.isArray(list)) throw badInput(`${where()}: the field '${column}' holds ${describeJson(list)}; expected ${shape}.`);
  return list.map((m: unknown, i) => {
    const msg = (m ?? {}) as Record<string, unknown>;
    const role = msg.role ?? msg.from;
    const content = contentText(msg.content ?? msg.value);
    if (typeof role !== 'string' || content === null) {
      throw badInput(`${where()}: message ${i + 1} of '${column}' is not a {role, content} object with text content.`);
    }
    return { role, content };
  });
}

function contentText(content: unknown): string | null {
  if (typeof content === 'string') return content;
  if (content === null) return '';
  if (Array.isArray(content)) {
    const texts = content.map((p) => (p && typeof p === 'object' && typeof (p as { text?: unknown }).text === 'string' ? (p as { text: string }).text : null));
    return texts.every((t) => t !== null) ? texts.join('') : null;
  }
  return null;
}
