// The staging folder is shared by every process on a data directory, and each removes it when it finds it empty:
// an import must survive the folder vanishing between making it and opening its staging file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openStaging, removeStaleStaging, StagingDb } from '../../main/datasets/stagingDb';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

it('opens its staging file even when another process removes the empty folder just after it was made', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunebench-staging-'));
  made.push(dataDir);
  const dir = path.join(dataDir, 'staging');
  let calls = 0;
  const staging = openStaging(dir, 'import.db', (file) => {
    calls++;
    if (calls === 1) removeStaleStaging(dir); // what a second tunebench process does when it opens the data directory
    return new StagingDb(file);
  });
  try {
    expect(calls).toBe(2);
    expect(fs.existsSync(path.join(dir, 'import.db'))).toBe(true);
    removeStaleStaging(dir); // a folder in use is left alone
    expect(fs.existsSync(path.join(dir, 'import.db'))).toBe(true);
  } finally {
    staging.dispose();
  }
});

it('still reports a staging file that cannot be opened for another reason', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunebench-staging-'));
  made.push(dataDir);
  const dir = path.join(dataDir, 'staging');
  const failing = (): StagingDb => {
    throw new Error('disk full');
  };
  expect(() => openStaging(dir, 'import.db', failing)).toThrow('disk full');
});
