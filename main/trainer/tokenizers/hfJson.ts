// Small helpers shared by the tokenizer.json component readers: field access with one-sentence errors naming the file
// and the JSON path, and the String/Regex pattern objects Hugging Face uses in Replace and Split.
import { badInput } from '../../../common/result';

export type JsonObject = Record<string, unknown>;

/** Where a component sits, for error messages: the file name and the JSON path (e.g. "tokenizer.json: pre_tokenizer"). */
export interface JsonPlace {
  file: string;
  path: string;
}

export const at = (place: JsonPlace, key: string | number): JsonPlace => ({
  file: place.file,
  path: typeof key === 'number' ? `${place.path}[${key}]` : `${place.path}.${key}`,
});

export function asObject(value: unknown, place: JsonPlace): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badInput(`${place.file}: ${place.path} should be a JSON object.`);
  }
  return value as JsonObject;
}

export function componentType(value: unknown, place: JsonPlace): string {
  const type = asObject(value, place).type;
  if (typeof type !== 'string') throw badInput(`${place.file}: ${place.path} has no "type".`);
  return type;
}

export function unsupported(place: JsonPlace, what: string, type: string): Error {
  return badInput(`${place.file}: the ${what} "${type}" at ${place.path} is not supported by Tunebench's tokenizer.`);
}

export function readString(obj: JsonObject, key: string, place: JsonPlace, fallback?: string): string {
  const value = obj[key] ?? fallback;
  if (typeof value !== 'string') throw badInput(`${place.file}: ${place.path}.${key} should be a string.`);
  return value;
}

export function readBool(obj: JsonObject, key: string, fallback: boolean): boolean {
  const value = obj[key];
  return typeof value === 'boolean' ? value : fallback;
}

export function readNumber(obj: JsonObject, key: string, place: JsonPlace, fallback?: number): number {
  const value = obj[key] ?? fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw badInput(`${place.file}: ${place.path}.${key} should be a number.`);
  return value;
}

export function readArray(obj: JsonObject, key: string, place: JsonPlace): unknown[] {
  const value = obj[key];
  if (!Array.isArray(value)) throw badInput(`${place.file}: ${place.path}.${key} should be an array.`);
  return value;
}

export const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Rust / Oniguruma `\s`: the Unicode White_Space property (JavaScript's `\s` adds U+FEFF and lacks U+0085). */
export const WHITE_SPACE = '\\p{White_Space}';
/** Rust's Unicode `\w`, as the members of a character class. */
export const WORD_CHARS = '\\p{Alphabetic}\\p{M}\\p{Nd}\\p{Pc}\\p{Join_Control}';
/** ASCII letters whose Unicode simple case folding takes in a non-ASCII character: ſ (U+017F) and the Kelvin sign. */
const FOLD_EXTRA: Record<string, string> = { s: '\u017f', k: '\u212a' };
const JS_SYNTAX = new Set('^$\\.*+?()[]{}|/'.split(''));

class RegexSyntaxError extends Error {}

const caseClass = (c: string): string => {
  const lower = c.toLowerCase();
  return `${lower}${lower.toUpperCase()}${FOLD_EXTRA[lower] ?? ''}`;
};

/**
 * A Rust-regex / Oniguruma pattern (what tokenizer.json holds) as JavaScript `u`-flag syntax with the same meaning:
 * `\s` `\S` as White_Space, `\d` as \p{Nd}, `\w` as Rust's Unicode word characters, `\pL` → `\p{L}`, `\x{…}` →
 * `\u{…}`, `\A` `\z`, escaped punctuation JavaScript's `u` mode refuses, and case-insensitive groups
 * `(?i:…)` (Llama 3, Qwen; JavaScript has them only from Node 23) with each letter as a class of its case variants.
 * Throws RegexSyntaxError for what has no translation (global inline flags, `\W` inside a class, ranges in a `(?i:…)`
 * class).
 */
export function translateRustRegex(source: string): string {
  let out = '';
  let inClass = false;
  const groups: boolean[] = []; // per open group: is it a (?i:…) group
  let caseless = 0; // open (?i:…) groups
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      const e = source[++i];
      if (e === undefined) throw new RegexSyntaxError('trailing backslash');
      if (e === 's' || e === 'S') out += e === 's' ? WHITE_SPACE : '\\P{White_Space}';
      else if (e === 'd' || e === 'D') out += e === 'd' ? '\\p{Nd}' : '\\P{Nd}';
      else if (e === 'w') out += inClass ? WORD_CHARS : `[${WORD_CHARS}]`;
      else if (e === 'W') {
        if (inClass) throw new RegexSyntaxError('\\W inside a character class');
        out += `[^${WORD_CHARS}]`;
      } else if ((e === 'p' || e === 'P') && source[i + 1] !== '{') out += `\\${e}{${source[++i]}}`;
      else if (e === 'x' && source[i + 1] === '{') {
        const close = source.indexOf('}', i);
        out += `\\u{${source.slice(i + 2, close)}}`;
        i = close;
      } else if (e === 'A') out += '^';
      else if (e === 'z') out += '$';
      else if (/[A-Za-z0-9]/.test(e)) {
        // \p{…}, \r, \n, \t, \b, \u…, backreferences: the same in JavaScript; copy the escape and its braces
        out += `\\${e}`;
        if ((e === 'p' || e === 'P') && source[i + 1] === '{') {
          const close = source.indexOf('}', i);
          out += source.slice(i + 1, close + 1);
          i = close;
        }
      } else if (JS_SYNTAX.has(e) || (inClass && e === '-')) out += `\\${e}`;
      else out += e; // \' \# \  \- … are plain characters
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      else if (caseless > 0 && /[A-Za-z]/.test(c)) {
        if (source[i + 1] === '-' || source[i - 1] === '-') throw new RegexSyntaxError('a range inside a case-insensitive class');
        out += caseClass(c);
        continue;
      }
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (source[i + 1] === '^') out += source[++i];
      if (source[i + 1] === ']') out += '\\' + source[++i]; // a leading ] is a literal in Rust
      continue;
    }
    if (c === '(') {
      if (source.startsWith('(?i:', i)) {
        groups.push(true);
        caseless++;
        out += '(?:';
        i += 3;
        continue;
      }
      if (/^\(\?[a-zA-Z-]+[:)]/.test(source.slice(i))) throw new RegexSyntaxError('inline flags');
      groups.push(false);
      out += c;
      continue;
    }
    if (c === ')') {
      if (groups.pop()) caseless--;
      out += c;
      continue;
    }
    out += caseless > 0 && /[A-Za-z]/.test(c) ? `[${caseClass(c)}]` : c;
  }
  return out;
}

/** A Hugging Face pattern `{ String: "…" }` or `{ Regex: "…" }` as a global Unicode RegExp. */
export function readPattern(value: unknown, place: JsonPlace): RegExp {
  const obj = asObject(value, place);
  if (typeof obj.String === 'string') return new RegExp(escapeRegExp(obj.String), 'gu');
  if (typeof obj.Regex === 'string') {
    try {
      return new RegExp(translateRustRegex(obj.Regex), 'gu');
    } catch (err) {
      if (!(err instanceof SyntaxError) && !(err instanceof RegexSyntaxError)) throw err;
      throw badInput(`${place.file}: the regular expression at ${place.path} uses syntax JavaScript cannot run: ${obj.Regex}`);
    }
  }
  throw badInput(`${place.file}: ${place.path} should be {"String": …} or {"Regex": …}.`);
}
