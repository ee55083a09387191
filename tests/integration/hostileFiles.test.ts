// Hostile files through the real CLI: a model folder whose model.safetensors header lies (a length of 2^62, text
// that is not JSON, tensors past the end of the file, …) and a data directory whose tunebench.db is not a SQLite
// database are bad input: exit 2, one sentence on stderr naming the file (and, for the database, what to do), and
// nothing written.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelInfo } from '../../common/evaluation';
import { assertBuilt, tempDir, tunebench, tunebenchJson } from '../helpers/cli';
import { writeFixture } from '../helpers/fixtures';

/** 8-byte little-endian header length, then the header, then some data bytes. */
function safetensors(header: string, length = BigInt(Buffer.byteLength(header)), data = Buffer.alloc(64)): Buffer {
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(length);
  return Buffer.concat([len, Buffer.from(header), data]);
}

/** A Llama folder that would pass every other check: config.json, tokenizer.model, and the given weights file. */
function llamaFolder(weights: Buffer): string {
  const folder = tempDir('tunebench-hostile-');
  writeFileSync(join(folder, 'config.json'), JSON.stringify({ model_type: 'llama', hidden_size: 8, intermediate_size: 16, num_attention_heads: 2, num_hidden_layers: 1, vocab_size: 32 }));
  writeFileSync(join(folder, 'model.safetensors'), weights);
  writeFileSync(join(folder, 'tokenizer.model'), Buffer.alloc(32));
  return folder;
}

const tensor = (entry: object) => JSON.stringify({ 'model.embed_tokens.weight': entry });

const HOSTILE: [string, Buffer, RegExp][] = [
  ['a header length of 2^62', safetensors('{}', 2n ** 62n), /header length 4611686018427387904 runs past the end of the file/],
  ['a header that is not JSON', safetensors('<html>not a model</html>'), /header is not JSON/],
  ['a header that is a JSON array', safetensors('[]'), /header is not a JSON object/],
  ['a file of 3 bytes', Buffer.from('abc'), /has 3 bytes/],
  ['a tensor past the end of the file', safetensors(tensor({ dtype: 'F32', shape: [32, 8], data_offsets: [0, 1024] })), /past its end \(64 bytes\)/],
  ['a dtype the format does not have', safetensors(tensor({ dtype: 'Q4', shape: [1], data_offsets: [0, 4] })), /dtype "Q4"/],
  ['a shape that is not a list of whole numbers', safetensors(tensor({ dtype: 'F32', shape: [-4, 2], data_offsets: [0, 32] })), /shape \[-4,2\]/],
  ['offsets that do not match the shape', safetensors(tensor({ dtype: 'F32', shape: [4], data_offsets: [0, 8] })), /\(16 bytes\) but data_offsets \[0, 8\]/],
];

describe('hostile files are bad input (exit 2, one sentence naming the file, nothing written)', () => {
  beforeAll(assertBuilt);

  it.each(HOSTILE)('models import refuses a model.safetensors with %s', (_what, weights, message) => {
    const folder = llamaFolder(weights);
    const dataDir = tempDir();
    const result = tunebench(dataDir, ['models', 'import', folder]);
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(join(folder, 'model.safetensors'));
    expect(lines[0]).toMatch(message);
    expect(tunebenchJson<ModelInfo[]>(dataDir, ['models', 'list']).some((m) => m.imported)).toBe(false);
    expect(existsSync(join(dataDir, 'models')) ? readdirSync(join(dataDir, 'models')) : []).toEqual([]);
  });

  const CONFIGS: [string, string, RegExp][] = [
    ['a config.json of null', 'null', /config\.json is not a JSON object/],
    ['a billion layers', JSON.stringify({ model_type: 'llama', hidden_size: 8, intermediate_size: 16, num_attention_heads: 2, num_hidden_layers: 1e9, vocab_size: 32 }), /'num_hidden_layers' is 1000000000/],
    ['an unknown model_type', JSON.stringify({ model_type: 'mamba' }), /model_type 'mamba' is not a family Tunebench runs/],
  ];
  it.each(CONFIGS)('models import refuses %s in one sentence naming config.json', (_what, config, message) => {
    const folder = llamaFolder(safetensors('{}'));
    writeFileSync(join(folder, 'config.json'), config);
    const result = tunebench(tempDir(), ['models', 'import', folder]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(message)]);
    expect(result.stderr).toContain(join(folder, 'config.json'));
  });

  const commands: [string, (dir: string) => string[]][] = [
    ['datasets list', () => ['datasets', 'list']],
    ['datasets import', (dir) => ['datasets', 'import', writeFixture(dir, 'tiny.csv', 'text,label\ngood,pos\nbad,neg\n')]],
    ['runs list', () => ['runs', 'list']],
  ];

  it.each(commands)('%s refuses a tunebench.db that is not a SQLite file, naming it and what to do, and leaves it as it was', (_what, args) => {
    const dataDir = tempDir();
    const db = join(dataDir, 'tunebench.db');
    const content = 'These are my notes, not a database.\n'.repeat(20);
    writeFileSync(db, content);
    const result = tunebench(dataDir, args(tempDir()));
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n').filter((l) => !/^importing /.test(l));
    expect(lines).toEqual([expect.stringContaining(`${db} is not a SQLite database`)]);
    expect(lines[0]).toMatch(/move it aside .*or choose another data directory \(--data-dir or TUNEBENCH_DATA_DIR\)/);
    expect(readFileSync(db, 'utf8')).toBe(content);
    expect(readdirSync(dataDir)).toEqual(['tunebench.db']); // no -wal, -shm, blobs/ or staging
  });

  it('refuses a damaged SQLite database by name', () => {
    const dataDir = tempDir();
    tunebenchJson(dataDir, ['datasets', 'import', writeFixture(tempDir(), 'tiny.csv', 'text,label\ngood,pos\nbad,neg\n')]);
    const db = join(dataDir, 'tunebench.db');
    const bytes = readFileSync(db);
    bytes.fill(0xff, 4096, Math.min(bytes.length, 4096 * 8)); // the header page survives, the tables do not
    writeFileSync(db, bytes);
    for (const extra of ['tunebench.db-wal', 'tunebench.db-shm']) if (existsSync(join(dataDir, extra))) writeFileSync(join(dataDir, extra), '');
    const result = tunebench(dataDir, ['datasets', 'list']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringContaining(`${db} is a damaged SQLite database`)]);
  });

  it('refuses a data directory that is a file, and a tunebench.db that is a folder', () => {
    const file = writeFixture(tempDir(), 'not-a-folder', 'x');
    const asFile = tunebench(file, ['datasets', 'list']);
    expect(asFile.code).toBe(2);
    expect(asFile.stderr.trim()).toBe(`tunebench: The data directory ${file} is a file, not a folder: choose another data directory (--data-dir or TUNEBENCH_DATA_DIR).`);
    const dataDir = tempDir();
    mkdirSync(join(dataDir, 'tunebench.db'));
    const asFolder = tunebench(dataDir, ['datasets', 'list']);
    expect(asFolder.code).toBe(2);
    expect(asFolder.stderr.trim()).toMatch(new RegExp(`^tunebench: ${join(dataDir, 'tunebench.db').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is not a file`));
  });
});
