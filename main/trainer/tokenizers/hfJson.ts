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

/**
 * Rust-regex case-insensitive groups `(?i:…)` (Llama 3, Qwen) have no JavaScript spelling before Node 23; a group of
 * plain literals becomes a group with each ASCII letter as a [xX] class.
 */
function translateRustRegex(source: string): string {
  return source.replace(/\(\?i:([^()[\]\\]*)\)/g, (_, body: string) => `(?:${body.replace(/[A-Za-z]/g, (c) => `[${c.toLowerCase()}${c.toUpperCase()}]`)})`);
}

/** A Hugging Face pattern `{ String: "…" }` or `{ Regex: "…" }` as a global Unicode RegExp. */
export function readPattern(value: unknown, place: JsonPlace): RegExp {
  const obj = asObject(value, place);
  if (typeof obj.String === 'string') return new RegExp(escapeRegExp(obj.String), 'gu');
  if (typeof obj.Regex === 'string') {
    try {
      return new RegExp(translateRustRegex(obj.Regex), 'gu');
    } catch {
      throw badInput(`${place.file}: the regular expression at ${place.path} uses syntax JavaScript cannot run: ${obj.Regex}`);
    }
  }
  throw badInput(`${place.file}: ${place.path} should be {"String": …} or {"Regex": …}.`);
}
