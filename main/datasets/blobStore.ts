// Content-addressed copies of imported files: `${dataDir}/blobs/${sha.slice(0, 2)}/${sha}`. Written to a temp file in
// the same folder, checked against the expected sha256 while copying, then renamed into place.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { badInput } from '../../common/result';

export interface StoredBlob {
  relativePath: string; // from the data dir, with '/' separators
  /** Removes the blob and the folders made for it, if this call created them; otherwise does nothing. */
  discard(): void;
}

export async function storeBlob(dataDir: string, source: string, sha256: string, fileName: string): Promise<StoredBlob> {
  const relativePath = `blobs/${sha256.slice(0, 2)}/${sha256}`;
  const target = path.join(dataDir, relativePath);
  if (fs.existsSync(target)) return { relativePath, discard: () => {} };

  const folder = path.dirname(target);
  const createdFolders = foldersToCreate(folder);
  fs.mkdirSync(folder, { recursive: true });
  const temp = `${target}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const hash = createHash('sha256');
    const hashing = new Transform({
      transform(chunk, _enc, done) {
        hash.update(chunk);
        done(null, chunk);
      },
    });
    await pipeline(fs.createReadStream(source), hashing, fs.createWriteStream(temp, { flags: 'wx' }));
    if (hash.digest('hex') !== sha256) throw badInput(`${fileName} changed while it was being imported; try again.`);
    fs.renameSync(temp, target);
  } catch (err) {
    fs.rmSync(temp, { force: true });
    createdFolders.forEach(removeEmptyDir);
    throw err;
  }
  return {
    relativePath,
    discard: () => {
      fs.rmSync(target, { force: true });
      createdFolders.forEach(removeEmptyDir);
    },
  };
}

/** The folders `mkdir -p folder` would create, deepest first. */
function foldersToCreate(folder: string): string[] {
  const missing: string[] = [];
  for (let dir = folder; !fs.existsSync(dir); dir = path.dirname(dir)) missing.push(dir);
  return missing;
}

function removeEmptyDir(dir: string): void {
  try {
    fs.rmdirSync(dir); // fails harmlessly if another import put a file there meanwhile
  } catch {
    /* not empty or already gone */
  }
}
