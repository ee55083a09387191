// A folder of .txt files, one sub-folder per class (the label is the sub-folder's name), each file one example; or
// .txt files directly in the folder, for generation. Files are read in name order; hidden entries and files other than
// .txt are skipped. What is stored as the "original" is a bundle, one JSON line per file ({file, label, text}), whose
// sha256 is the dataset's content address.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { badInput } from '../../common/result';
import { throwIfCancelled } from './cancellation';
import { decodeTextBuffer, type ReadProgress, type TextEncoding } from './readTextFile';
import { MAX_RECORD_CHARS, type RecordSink } from './records';

export interface FolderReadOptions {
  displayName: string;
  bundlePath: string; // where to write the bundle (removed by the caller)
  onRecord: RecordSink;
  onProgress?: (p: ReadProgress) => void;
  signal?: AbortSignal;
}

interface FolderFile {
  relative: string; // 'pos/001.txt'
  label: string | null;
  size: number;
}

export async function readFolder(dir: string, opts: FolderReadOptions): Promise<{ sha256: string; bytes: number; encoding: TextEncoding }> {
  const { displayName: name, onRecord, onProgress, signal } = opts;
  const files = listFiles(dir, name);
  const totalBytes = files.reduce((sum, f) => sum + f.size, 0);
  const hash = createHash('sha256');
  const bundle = fs.openSync(opts.bundlePath, 'wx');
  let encoding: TextEncoding = 'utf-8';
  let bytesRead = 0;
  try {
    for (const [i, file] of files.entries()) {
      throwIfCancelled(signal, name);
      if (file.size > MAX_RECORD_CHARS * 4) throw badInput(`${name}/${file.relative} is larger than ${MAX_RECORD_CHARS / 1024 / 1024} M characters.`);
      const decoded = decodeTextBuffer(await fs.promises.readFile(path.join(dir, file.relative)), `${name}/${file.relative}`);
      if (decoded.encoding !== 'utf-8') encoding = decoded.encoding;
      const fields = file.label === null ? { text: decoded.text, file: file.relative } : { text: decoded.text, label: file.label, file: file.relative };
      const line = `${JSON.stringify(fields)}\n`;
      hash.update(line);
      fs.writeSync(bundle, line);
      onRecord({ position: i + 1, fields });
      bytesRead += file.size;
      onProgress?.({ fileName: name, bytesRead, totalBytes });
    }
  } finally {
    fs.closeSync(bundle);
  }
  return { sha256: hash.digest('hex'), bytes: totalBytes, encoding };
}

function listFiles(dir: string, name: string): FolderFile[] {
  const entries = visible(dir);
  const classes = entries.filter((e) => e.isDirectory());
  const rootTexts = entries.filter((e) => e.isFile() && isText(e.name));
  if (classes.length && rootTexts.length) {
    throw badInput(`${name}/${rootTexts[0].name} is outside the class folders; put every .txt file in the folder of its class.`);
  }
  const files: FolderFile[] = rootTexts.map((e) => ({ relative: e.name, label: null, size: fs.statSync(path.join(dir, e.name)).size }));
  for (const cls of classes) {
    for (const e of visible(path.join(dir, cls.name))) {
      const relative = `${cls.name}/${e.name}`;
      if (e.isDirectory()) throw badInput(`${name}/${relative} is a folder inside a class folder; import one level of class folders at a time.`);
      if (e.isFile() && isText(e.name)) files.push({ relative, label: cls.name, size: fs.statSync(path.join(dir, relative)).size });
    }
  }
  if (files.length === 0) throw badInput(`${name} holds no .txt files; put one sub-folder of .txt files per class in it.`);
  return files;
}

const isText = (fileName: string) => fileName.toLowerCase().endsWith('.txt');

function visible(dir: string): fs.Dirent[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => !e.name.startsWith('.'))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
