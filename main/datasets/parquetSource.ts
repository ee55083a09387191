// Parquet through hyparquet (pure JS), one row group at a time so memory holds at most one group's rows. Values become
// JSON-safe: 64-bit integers as numbers (or strings past 2^53), dates as ISO strings, bytes as a short description.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { badInput } from '../../common/result';
import { throwIfCancelled } from './cancellation';
import type { ReadProgress } from './readTextFile';
import type { RecordSink } from './records';

export const PARQUET_MAGIC = 'PAR1';

export interface ParquetReadOptions {
  displayName: string;
  onRecord: RecordSink;
  onProgress?: (p: ReadProgress) => void;
  signal?: AbortSignal;
}

export async function readParquet(filePath: string, opts: ParquetReadOptions): Promise<{ sha256: string; bytes: number }> {
  const { displayName: name, onRecord, onProgress, signal } = opts;
  const { sha256, bytes } = await hashFile(filePath, signal, name);
  const file = await asyncBufferFromFile(filePath);
  let metadata: Awaited<ReturnType<typeof parquetMetadataAsync>>;
  try {
    metadata = await parquetMetadataAsync(file);
  } catch (err) {
    throw badInput(`${name} is not a readable Parquet file (${reason(err)}).`);
  }
  const totalRows = Number(metadata.num_rows);
  let rowStart = 0;
  for (const [g, group] of metadata.row_groups.entries()) {
    throwIfCancelled(signal, name);
    const rowEnd = rowStart + Number(group.num_rows);
    let rows: Record<string, unknown>[];
    try {
      rows = await parquetReadObjects({ file, metadata, rowStart, rowEnd });
    } catch (err) {
      throw badInput(`${name} row group ${g + 1} (rows ${rowStart + 1}–${rowEnd}) cannot be read: ${reason(err)}.`);
    }
    rows.forEach((row, i) => onRecord({ position: rowStart + i + 1, fields: jsonSafe(row) as Record<string, unknown> }));
    rowStart = rowEnd;
    onProgress?.({ fileName: name, bytesRead: Math.round((bytes * rowEnd) / Math.max(1, totalRows)), totalBytes: bytes });
  }
  return { sha256, bytes };
}

/** True when the first four bytes are Parquet's magic number. */
export async function isParquetFile(filePath: string): Promise<boolean> {
  const handle = await fs.promises.open(filePath, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    return bytesRead === 4 && head.toString('latin1') === PARQUET_MAGIC;
  } finally {
    await handle.close();
  }
}

async function hashFile(filePath: string, signal: AbortSignal | undefined, name: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of fs.createReadStream(filePath, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
    throwIfCancelled(signal, name);
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

function jsonSafe(value: unknown): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return `<${value.length} bytes>`;
  if (Array.isArray(value)) return value.map(jsonSafe);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = jsonSafe(v);
    return out;
  }
  return value;
}

const reason = (err: unknown) => (err instanceof Error ? err.message : String(err)).replace(/\.$/, '');
