// Files the browser sends before importing them: streamed to <dataDir>/uploads/<id>, size-capped, removed once
// imported or when the host stops.
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { badInput } from '../../common/result';

export const MAX_UPLOAD_BYTES = 4 * 1024 ** 3;

export class UploadStore {
  private readonly files = new Map<string, string>();
  private readonly dir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'uploads');
  }

  async receive(req: IncomingMessage): Promise<string> {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_UPLOAD_BYTES) throw badInput(`The upload is larger than ${MAX_UPLOAD_BYTES / 1024 ** 3} GiB.`);
    mkdirSync(this.dir, { recursive: true });
    const id = randomBytes(16).toString('hex');
    const path = join(this.dir, id);
    let received = 0;
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > MAX_UPLOAD_BYTES) req.destroy(badInput(`The upload is larger than ${MAX_UPLOAD_BYTES / 1024 ** 3} GiB.`));
    });
    try {
      await pipeline(req, createWriteStream(path, { flags: 'wx' }));
    } catch (err) {
      rmSync(path, { force: true });
      throw err;
    }
    this.files.set(id, path);
    return id;
  }

  /** The path of an upload, and the function that deletes it. */
  take(uploadId: string, fileName: string): { path: string; fileName: string; release: () => void } {
    const path = this.files.get(uploadId);
    if (!path) throw badInput(`No uploaded file with id ${uploadId}; upload the file again.`);
    return {
      path,
      fileName: basename(fileName),
      release: () => {
        this.files.delete(uploadId);
        rmSync(path, { force: true });
      },
    };
  }

  clear(): void {
    for (const path of this.files.values()) rmSync(path, { force: true });
    this.files.clear();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
