// Keys for finding duplicates without holding the texts: a 53-bit hash of the exact text, and of its near-exact form
// (lower-cased, punctuation and symbols removed, whitespace collapsed). 53 bits keep false matches below one in
// ten thousand for two million rows.
import type Database from 'better-sqlite3';
import type { TokenizerName } from '../../common/datasetTypes';
import { getTokenizer } from './tokenizers';

/** cyrb53 (public domain): a fast, well-mixed 53-bit string hash; a safe integer. */
export function hash53(text: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

const NOT_WORD = /[^\p{L}\p{N}\p{M}\s]+/gu;
const SPACES = /\s\s+|[^\S ]/g; // runs of whitespace, and single tabs or line breaks (twice as fast as /\s+/g)

export function nearForm(text: string): string {
  return text.toLowerCase().replace(NOT_WORD, '').replace(SPACES, ' ').trim();
}

export const exactKey = (text: string): number => hash53(text);
export const nearKey = (text: string): number => hash53(nearForm(text));

/** The same measures as SQL functions, for statistics over stored rows: tb_len(text, tokenizer), tb_exact, tb_near. */
export function registerTextFunctions(db: Database.Database): void {
  db.function('tb_len', { deterministic: true }, (text: unknown, tokenizer: unknown) => getTokenizer(tokenizer as TokenizerName).count(String(text ?? '')));
  db.function('tb_exact', { deterministic: true }, (text: unknown) => exactKey(String(text ?? '')));
  db.function('tb_near', { deterministic: true }, (text: unknown) => nearKey(String(text ?? '')));
}
