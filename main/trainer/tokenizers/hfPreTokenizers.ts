// tokenizer.json `pre_tokenizer`s: one normalised text segment → the words the model tokenises separately. Supported:
// ByteLevel, Metaspace, BertPreTokenizer, Whitespace, WhitespaceSplit, Punctuation, Digits, Split, Sequence.
import { badInput } from '../../../common/result';
import { GPT2_SPLIT, toByteLevel } from './byteLevel';
import { asObject, at, componentType, readArray, readBool, readPattern, readString, unsupported, WHITE_SPACE, WORD_CHARS, type JsonPlace } from './hfJson';

/** `first`: the segment starts the input (Metaspace's prepend_scheme "first" only prefixes it). */
export type PreTokenize = (text: string, first: boolean) => string[];

type SplitBehavior = 'Removed' | 'Isolated' | 'MergedWithPrevious' | 'MergedWithNext' | 'Contiguous';
const BEHAVIORS: readonly string[] = ['Removed', 'Isolated', 'MergedWithPrevious', 'MergedWithNext', 'Contiguous'];

/**
 * Splits `text` around the matches of global `pattern`, placing each match as Hugging Face's SplitDelimiterBehavior
 * says. `invert` treats the text between matches as the delimiters instead. An empty match still splits where it is.
 */
export function splitAround(text: string, pattern: RegExp, behavior: SplitBehavior, invert = false): string[] {
  const parts: { text: string; match: boolean }[] = [];
  let last = 0;
  for (const m of text.matchAll(pattern)) {
    if (m.index > last) parts.push({ text: text.slice(last, m.index), match: invert });
    parts.push({ text: m[0], match: !invert });
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), match: invert });
  const out: string[] = [];
  let carry = '';
  parts.forEach((part, i) => {
    if (!part.match) {
      out.push(carry + part.text);
      carry = '';
    } else if (behavior === 'Isolated') out.push(part.text);
    else if (behavior === 'MergedWithPrevious' && i > 0 && !parts[i - 1].match) out[out.length - 1] += part.text;
    else if (behavior === 'MergedWithPrevious') out.push(part.text);
    else if (behavior === 'MergedWithNext') {
      if (carry) out.push(carry); // a match right after a match stands alone, as in Hugging Face
      carry = part.text;
    }
    else if (behavior === 'Contiguous' && i > 0 && parts[i - 1].match) out[out.length - 1] += part.text;
    else if (behavior === 'Contiguous') out.push(part.text);
  });
  if (carry) out.push(carry);
  return out.filter((s) => s.length > 0);
}

function readBehavior(obj: Record<string, unknown>, place: JsonPlace, fallback: SplitBehavior): SplitBehavior {
  const value = obj.behavior ?? fallback;
  if (typeof value !== 'string' || !BEHAVIORS.includes(value)) throw badInput(`${place.file}: ${place.path}.behavior "${String(value)}" is not a split behaviour.`);
  return value as SplitBehavior;
}

/** BERT punctuation: Unicode P* plus the ASCII symbols $+<=>^`|~. */
const BERT_PUNCT = /[\p{P}$+<=>^`|~]/gu;
const WHITESPACE_WORDS = new RegExp(`[${WORD_CHARS}]+|[^${WORD_CHARS}${WHITE_SPACE}]+`, 'gu'); // \w+|[^\w\s]+
const words = (text: string, pattern: RegExp) => Array.from(text.matchAll(pattern), (m) => m[0]);

export function metaspace(obj: Record<string, unknown>, place: JsonPlace): { replacement: string; prepend: 'always' | 'first' | 'never'; split: boolean } {
  const replacement = readString(obj, 'replacement', place, '▁');
  const scheme = obj.prepend_scheme ?? (readBool(obj, 'add_prefix_space', true) ? 'always' : 'never');
  if (scheme !== 'always' && scheme !== 'first' && scheme !== 'never') throw badInput(`${place.file}: ${place.path}.prepend_scheme "${String(scheme)}" is not always, first or never.`);
  return { replacement, prepend: scheme, split: readBool(obj, 'split', true) };
}

export function parsePreTokenizer(json: unknown, place: JsonPlace): PreTokenize {
  const type = componentType(json, place);
  const obj = asObject(json, place);
  switch (type) {
    case 'ByteLevel': {
      const prefixSpace = readBool(obj, 'add_prefix_space', false);
      const useRegex = readBool(obj, 'use_regex', true);
      return (text) => {
        const s = prefixSpace && !text.startsWith(' ') ? ' ' + text : text;
        return (useRegex ? words(s, GPT2_SPLIT) : [s]).map(toByteLevel);
      };
    }
    case 'Metaspace': {
      const { replacement, prepend, split } = metaspace(obj, place);
      return (text, first) => {
        if (text.length === 0) return [];
        let s = text.replaceAll(' ', replacement);
        if ((prepend === 'always' || (prepend === 'first' && first)) && !s.startsWith(replacement)) s = replacement + s;
        return split ? s.split(replacement).flatMap((w, i) => (i === 0 ? (w ? [w] : []) : [replacement + w])) : [s];
      };
    }
    case 'BertPreTokenizer':
      return (text) => text.split(/\p{White_Space}+/u).flatMap((w) => splitAround(w, BERT_PUNCT, 'Isolated'));
    case 'Whitespace':
      return (text) => words(text, WHITESPACE_WORDS);
    case 'WhitespaceSplit':
      return (text) => words(text, /\P{White_Space}+/gu);
    case 'Punctuation': {
      const behavior = readBehavior(obj, place, 'Isolated');
      return (text) => splitAround(text, BERT_PUNCT, behavior);
    }
    case 'Digits': {
      const digits = readBool(obj, 'individual_digits', false) ? /\p{N}/gu : /\p{N}+/gu; // Rust's char::is_numeric: Nd, Nl, No
      return (text) => splitAround(text, digits, 'Isolated');
    }
    case 'Split': {
      const pattern = readPattern(obj.pattern, at(place, 'pattern'));
      const behavior = readBehavior(obj, place, 'Isolated');
      const invert = readBool(obj, 'invert', false);
      return (text) => splitAround(text, pattern, behavior, invert);
    }
    case 'Sequence': {
      const steps = readArray(obj, 'pretokenizers', place).map((p, i) => parsePreTokenizer(p, at(at(place, 'pretokenizers'), i)));
      return (text, first) => steps.reduce<string[]>((pieces, step) => pieces.flatMap((piece, i) => step(piece, first && i === 0)), [text]);
    }
    default:
      throw unsupported(place, 'pre-tokenizer', type);
  }
}
