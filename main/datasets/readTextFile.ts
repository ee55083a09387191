// Streams a file once: sha256 of the bytes, the encoding from its byte-order mark (UTF-8 with or without one, UTF-16
// LE/BE with one), NUL and invalid-sequence checks with the byte offset of the first bad byte, decoded text handed on
// chunk by chunk (64 KiB reads), progress at most every 100 ms, and a stop when the signal aborts.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { badInput } from '../../common/result';
import { throwIfCancelled } from './cancellation';
import { scanUtf8 } from './utf8';

export interface ReadProgress {
  fileName: string;
  bytesRead: number;
  totalBytes: number;
}

export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be';

export interface ReadTextOptions {
  displayName: string; // the name errors and progress use (the upload's name, not a temp path)
  onText: (text: string) => void;
  onProgress?: (p: ReadProgress) => void;
  signal?: AbortSignal;
}

const PROGRESS_INTERVAL_MS = 100;
const READ_CHUNK = 64 * 1024;

/** The encoding a byte-order mark announces; UTF-32 marks are refused by name. */
export function encodingFromBom(head: Uint8Array, name: string): TextEncoding {
  const [a, b, c, d] = head;
  if ((a === 0xff && b === 0xfe && c === 0 && d === 0) || (a === 0 && b === 0 && c === 0xfe && d === 0xff)) {
    throw badInput(`${name} is UTF-32 text; save it as UTF-8 (or UTF-16) and import it again.`);
  }
  if (a === 0xef && b === 0xbb && c === 0xbf) return 'utf-8-bom';
  if (a === 0xff && b === 0xfe) return 'utf-16le';
  if (a === 0xfe && b === 0xff) return 'utf-16be';
  return 'utf-8';
}

export async function readTextFile(filePath: string, opts: ReadTextOptions): Promise<{ sha256: string; bytes: number; encoding: TextEncoding }> {
  const { displayName: name, onText, onProgress, signal } = opts;
  const totalBytes = (await fs.promises.stat(filePath)).size;
  if (totalBytes === 0) throw badInput(`${name} is empty.`);
  const hash = createHash('sha256');
  let decode: ((chunk: Buffer, offset: number) => string) | null = null;
  let finish: (offset: number) => string = () => '';
  let encoding: TextEncoding = 'utf-8';
  let bytesRead = 0;
  let lastProgress = 0;

  for await (const chunk of fs.createReadStream(filePath, { highWaterMark: READ_CHUNK }) as AsyncIterable<Buffer>) {
    throwIfCancelled(signal, name);
    hash.update(chunk);
    if (!decode) {
      encoding = encodingFromBom(chunk, name);
      ({ decode, finish } = encoding === 'utf-16le' || encoding === 'utf-16be' ? utf16Decoder(encoding, name) : utf8Decoder(name));
    }
    onText(decode(chunk, bytesRead));
    bytesRead += chunk.length;
    const now = Date.now();
    if (onProgress && now - lastProgress >= PROGRESS_INTERVAL_MS) {
      lastProgress = now;
      onProgress({ fileName: name, bytesRead, totalBytes });
    }
  }
  onText(finish(bytesRead));
  onProgress?.({ fileName: name, bytesRead, totalBytes: bytesRead });
  return { sha256: hash.digest('hex'), bytes: bytesRead, encoding };
}

export const notText = (name: string, at: number) =>
  badInput(`${name} is not a UTF-8 text file (binary data at byte ${at}); Tunebench reads UTF-8, and UTF-16 with a byte-order mark.`);

/** UTF-8, validated by scanUtf8 so the error can name the byte; a leading BOM is dropped by the decoder. */
function utf8Decoder(name: string) {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let carry: Uint8Array = new Uint8Array(0); // a character cut by the previous read, at most 3 bytes
  return {
    decode(chunk: Buffer, offset: number): string {
      const nul = chunk.indexOf(0);
      if (nul >= 0) throw notText(name, offset + nul);
      const bytes = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      const start = offset - carry.length; // file offset of bytes[0]
      const scan = scanUtf8(bytes);
      if (scan.invalidAt >= 0) throw notText(name, start + scan.invalidAt);
      carry = bytes.subarray(scan.completeEnd);
      return decodeOrThrow(decoder, bytes.subarray(0, scan.completeEnd), true, () => notText(name, start));
    },
    finish(offset: number): string {
      if (carry.length) throw notText(name, offset - carry.length); // the file ends inside a character
      return decodeOrThrow(decoder, new Uint8Array(0), false, () => notText(name, offset));
    },
  };
}

/** UTF-16 after a BOM (which the decoder drops); a lone surrogate or a NUL character is reported near its byte. */
function utf16Decoder(encoding: 'utf-16le' | 'utf-16be', name: string) {
  const decoder = new TextDecoder(encoding, { fatal: true });
  const check = (text: string, offset: number) => {
    const nul = text.indexOf('\0');
    if (nul >= 0) throw badInput(`${name} is UTF-16 text with binary data (a NUL character near byte ${offset + nul * 2}).`);
    return text;
  };
  const bad = (offset: number) => badInput(`${name} is not valid ${encoding.toUpperCase()} text (a broken character in the 64 KiB from byte ${offset}).`);
  return {
    decode: (chunk: Buffer, offset: number) => check(decodeOrThrow(decoder, chunk, true, () => bad(offset)), offset),
    finish: (offset: number) => check(decodeOrThrow(decoder, new Uint8Array(0), false, () => bad(Math.max(0, offset - READ_CHUNK))), offset),
  };
}

function decodeOrThrow(decoder: TextDecoder, bytes: Uint8Array, stream: boolean, fail: () => Error): string {
  try {
    return decoder.decode(bytes, { stream });
  } catch {
    throw fail();
  }
}

/** A whole small file (a folder's example) decoded by the same rules; an empty file is the empty string. */
export function decodeTextBuffer(bytes: Buffer, name: string): { text: string; encoding: TextEncoding } {
  if (bytes.length === 0) return { text: '', encoding: 'utf-8' };
  const encoding = encodingFromBom(bytes, name);
  const decoder = encoding.startsWith('utf-16') ? utf16Decoder(encoding as 'utf-16le' | 'utf-16be', name) : utf8Decoder(name);
  return { text: decoder.decode(bytes, 0) + decoder.finish(bytes.length), encoding };
}
