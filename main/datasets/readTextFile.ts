// Streams a file once: sha256 of the bytes, NUL and UTF-8 checks with the byte offset of the first bad byte, a
// leading BOM dropped, decoded text handed on chunk by chunk (64 KiB reads), progress reported at most every 100 ms.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { badInput } from '../../common/result';
import { scanUtf8 } from './utf8';

export interface ReadProgress {
  fileName: string;
  bytesRead: number;
  totalBytes: number;
}

export interface ReadTextOptions {
  displayName: string; // the name errors and progress use (the upload's name, not a temp path)
  onText: (text: string) => void;
  onProgress?: (p: ReadProgress) => void;
}

const PROGRESS_INTERVAL_MS = 100;

export async function readTextFile(filePath: string, opts: ReadTextOptions): Promise<{ sha256: string; bytes: number }> {
  const { displayName: name, onText, onProgress } = opts;
  const totalBytes = (await fs.promises.stat(filePath)).size;
  if (totalBytes === 0) throw badInput(`${name} is empty.`);

  const hash = createHash('sha256');
  const decoder = new TextDecoder('utf-8', { fatal: true }); // strips a leading BOM
  let carry: Uint8Array = new Uint8Array(0); // a character cut by the previous read, at most 3 bytes
  let bytesRead = 0;
  let lastProgress = 0;
  const notBinary = (at: number) => badInput(`${name} is not a UTF-8 text file (binary data at byte ${at}).`);

  for await (const chunk of fs.createReadStream(filePath, { highWaterMark: 64 * 1024 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    const nul = chunk.indexOf(0);
    if (nul >= 0) throw notBinary(bytesRead + nul);
    const bytes = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    const start = bytesRead - carry.length; // file offset of bytes[0]
    const scan = scanUtf8(bytes);
    if (scan.invalidAt >= 0) throw notBinary(start + scan.invalidAt);
    onText(decodeOrThrow(decoder, bytes.subarray(0, scan.completeEnd), true, () => notBinary(start)));
    carry = bytes.subarray(scan.completeEnd);
    bytesRead += chunk.length;
    const now = Date.now();
    if (onProgress && now - lastProgress >= PROGRESS_INTERVAL_MS) {
      lastProgress = now;
      onProgress({ fileName: name, bytesRead, totalBytes });
    }
  }
  if (carry.length) throw notBinary(bytesRead - carry.length); // the file ends inside a character
  onText(decodeOrThrow(decoder, new Uint8Array(0), false, () => notBinary(bytesRead)));
  onProgress?.({ fileName: name, bytesRead, totalBytes: bytesRead });
  return { sha256: hash.digest('hex'), bytes: bytesRead };
}

function decodeOrThrow(decoder: TextDecoder, bytes: Uint8Array, stream: boolean, fail: () => Error): string {
  try {
    return decoder.decode(bytes, { stream });
  } catch {
    throw fail(); // scanUtf8 already passed these bytes; kept so the decoder's verdict is final
  }
}
