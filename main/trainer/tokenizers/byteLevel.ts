// GPT-2's byte-level alphabet: each of the 256 byte values maps to one printable Unicode character, so any UTF-8 text
// becomes a string over a 256-symbol alphabet that BPE can merge without an unknown token. Printable Latin-1 bytes map
// to themselves; the other 68 (controls, space, NBSP, soft hyphen) to U+0100…U+0143 in byte order (space → 'Ġ').

/**
 * GPT-2's pre-tokenisation: contractions, letter runs, digit runs, other runs (each with one optional leading space),
 * whitespace. Whitespace is Unicode White_Space as in Hugging Face's regex engine (JavaScript's \s differs on U+0085
 * and U+FEFF).
 */
export const GPT2_SPLIT = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\p{White_Space}\p{L}\p{N}]+|\p{White_Space}+(?!\P{White_Space})|\p{White_Space}+/gu;

function buildByteToChar(): string[] {
  const table: string[] = new Array(256);
  let next = 256;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
    table[b] = String.fromCharCode(printable ? b : next++);
  }
  return table;
}

/** byte → its character (length-1 string). */
export const BYTE_TO_CHAR: readonly string[] = buildByteToChar();
/** UTF-16 code of a byte-level character → byte, or -1. Indexed up to U+0143. */
const CHAR_TO_BYTE = new Int16Array(0x144).fill(-1);
BYTE_TO_CHAR.forEach((ch, b) => (CHAR_TO_BYTE[ch.charCodeAt(0)] = b));

const utf8 = new TextEncoder();
const utf8Lossy = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/** Text → its UTF-8 bytes written in the byte-level alphabet. ASCII skips the encoder (the common case, ~3× faster). */
export function toByteLevel(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x80) return toByteLevelSlow(text);
    out += BYTE_TO_CHAR[code];
  }
  return out;
}

function toByteLevelSlow(text: string): string {
  let out = '';
  for (const b of utf8.encode(text)) out += BYTE_TO_CHAR[b];
  return out;
}

/** The byte a byte-level character stands for, or -1 when it is not in the alphabet. */
export function byteOfChar(ch: string): number {
  const code = ch.charCodeAt(0);
  return ch.length === 1 && code < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[code] : -1;
}

/**
 * Byte-level strings → text. A token with a character outside the alphabet (an added token such as '<|endoftext|>' is
 * inside it) contributes its own UTF-8 bytes, as Hugging Face's ByteLevel decoder does; invalid UTF-8 becomes U+FFFD.
 */
export function fromByteLevel(tokens: readonly string[]): string {
  const bytes: number[] = [];
  for (const token of tokens) {
    const start = bytes.length;
    let inAlphabet = true;
    for (let i = 0; i < token.length; i++) {
      const b = byteOfChar(token[i]);
      if (b < 0) {
        inAlphabet = false;
        break;
      }
      bytes.push(b);
    }
    if (!inAlphabet) {
      bytes.length = start;
      for (const b of utf8.encode(token)) bytes.push(b);
    }
  }
  return utf8Lossy.decode(Uint8Array.from(bytes));
}
