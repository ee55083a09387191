// Malformed input of every kind is refused with one sentence naming the file (and the line, record or field), and
// nothing is left behind: the dataset list and every file in the data directory are as they were.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TunebenchError } from '../../common/result';
import { openDatabase } from '../../main/db/database';
import { DatasetService, type ImportOptions } from '../../main/services/datasetService';

let root: string;
let dataDir: string;
let db: Database.Database;
let service: DatasetService;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'tunebench-bad-'));
  dataDir = path.join(root, 'data');
  db = openDatabase(dataDir);
  service = new DatasetService(db, dataDir);
});
afterEach(() => {
  db.close();
  fs.rmSync(root, { recursive: true, force: true });
});

/** Every file and folder under dir with its size; the WAL and shared-memory files only by name. */
function listing(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .map((rel) => {
      const stat = fs.statSync(path.join(dir, rel));
      return stat.isDirectory() ? `${rel}/` : /-(wal|shm)$/.test(rel) ? rel : `${rel} ${stat.size}`;
    })
    .sort();
}

const lines = (...rows: string[]) => `${rows.join('\n')}\n`;
type Content = string | Buffer | Uint8Array | Record<string, string>; // a Record is a folder: relative path → text

function make(name: string, content: Content): string {
  const target = path.join(root, 'in', name);
  if (typeof content === 'string' || content instanceof Uint8Array) {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content);
  } else {
    for (const [rel, text] of Object.entries(content)) {
      fs.mkdirSync(path.dirname(path.join(target, rel)), { recursive: true });
      fs.writeFileSync(path.join(target, rel), text);
    }
    fs.mkdirSync(target, { recursive: true });
  }
  return target;
}

const utf16le = (s: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]);
const parquet = parquetWriteBuffer({ columnData: [{ name: 'text', data: ['a', 'b'], type: 'STRING' }] });

const CASES: [string, Content, string, ImportOptions?][] = [
  ['binary.csv', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), 'binary.csv is not a UTF-8 text file (binary data at byte 8)'],
  ['empty.csv', '', 'empty.csv is empty.'],
  ['utf16-no-bom.txt', Buffer.from('hello\nworld\n', 'utf16le'), 'utf16-no-bom.txt is not a UTF-8 text file (binary data at byte 1); Tunebench reads UTF-8, and UTF-16 with a byte-order mark.'],
  ['utf32.txt', Buffer.from([0xff, 0xfe, 0, 0, 0x68, 0, 0, 0]), 'utf32.txt is UTF-32 text; save it as UTF-8 (or UTF-16) and import it again.'],
  ['nul16.txt', utf16le('a\0b\n'), 'nul16.txt is UTF-16 text with binary data'],
  ['unclosed.csv', lines('text,label', 'fine,a', '"never closed,b', 'more,a'), 'unclosed.csv line 3: a quoted field is never closed.'],
  ['ragged.tsv', lines('text\tlabel', 'a\tx', 'b\ty\tz'), 'ragged.tsv line 3: expected 2 fields as in the header, found 3.'],
  ['bad.jsonl', lines('{"text":"a"}', '{"text": oops}'), 'bad.jsonl line 2: not valid JSON ('],
  ['scalar.jsonl', lines('{"text":"a"}', '42'), 'scalar.jsonl line 2: expected a JSON object, found a number.'],
  ['object.json', '{\n  "text": "a"\n}\n', 'object.json line 1: expected a JSON array of records (or JSON Lines, one object per line), found a single object.'],
  ['open.json', '[{"text":"a"},\n{"text":"b"}', 'open.json line 2: the JSON array is never closed with ].'],
  ['numbers.json', '[{"text":"a"},\n 7]', 'numbers.json line 2: expected a JSON object, found a number.'],
  ['broken.json', '[{"text":"a"},\n {"text": nope}]', 'broken.json line 2: not valid JSON ('],
  ['nested.jsonl', lines('{"text":{"a":1}}'), "nested.jsonl line 1: the field 'text' holds an object; expected text."],
  ['chat.jsonl', lines('{"messages":[{"role":"user","content":"hi"}]}', '{"messages":[{"role":"user"}]}'), "chat.jsonl line 2: message 1 of 'messages' is not a {role, content} object with text content."],
  ['one-class.csv', lines('text,label', 'a,pos', 'b,pos '), "one-class.csv: the label column 'label' has only one class ('pos'); classification needs at least two."],
  ['no-text.csv', lines('id,score', '1,2', '3,4'), 'no-text.csv: no text column found among id, score; name one column text (or choose it with --map text=<column>).'],
  ['empty-label.csv', lines('text,label', 'a,pos', 'b,neg', 'c,'), "empty-label.csv line 4: the label field 'label' is empty."],
  ['header-only.csv', lines('text,label'), 'header-only.csv has no data rows.'],
  ['blank.txt', '\n  \n\n', 'blank.txt has no non-empty lines.'],
  ['trec.label', lines('NUM:dist How far ?', 'not a trec line'), "trec.label line 2: expected 'LABEL:fine text' (for example 'NUM:dist How far is it ?')."],
  ['fake.parquet', 'text\nnot parquet\n', 'fake.parquet is not a Parquet file (it does not begin with PAR1).'],
  ['cut.parquet', new Uint8Array(parquet).subarray(0, 40), 'cut.parquet is not a readable Parquet file'],
  ['nested-folder', { 'pos/a.txt': 'good', 'pos/deeper/b.txt': 'x', 'neg/c.txt': 'bad' }, 'nested-folder/pos/deeper is a folder inside a class folder; import one level of class folders at a time.'],
  ['mixed-folder', { 'stray.txt': 'x', 'pos/a.txt': 'good', 'neg/b.txt': 'bad' }, 'mixed-folder/stray.txt is outside the class folders; put every .txt file in the folder of its class.'],
  ['empty-folder', { 'README.md': 'no texts here' }, 'empty-folder holds no .txt files; put one sub-folder of .txt files per class in it.'],
  ['latin1-folder', { 'pos/a.txt': 'fine', 'neg/b.txt': Buffer.from([0x63, 0x61, 0x66, 0xe9]).toString('latin1') }, 'latin1-folder/neg/b.txt is not a UTF-8 text file (binary data at byte 3)'],
  ['unknown-map.csv', lines('review,label', 'a,x', 'b,y'), "unknown-map.csv has no column 'txt' (asked for as the text); its columns are review, label.", { map: { text: 'txt' } }],
  ['bad-split.csv', lines('text,label', 'a,x', 'b,y'), 'The split 0.5,0.1,0.1 is invalid: split fractions must add up to 1, with some rows for training (or all of them for testing).', { split: { train: 0.5, validation: 0.1, test: 0.1 } }],
  ['stopwords.csv', lines('text,label', 'a,x', 'b,y'), "No stop-word list for the language 'qqq'", { recipe: { removeStopwords: true, stopwordLanguage: 'qqq' } }],
];

describe('rejecting a bad file leaves nothing behind', () => {
  it.each(CASES)('%s', async (name, content, message, options) => {
    await service.importFile(make('keep.txt', 'keep me\n')); // something already stored
    const file = make(name, content);
    // latin-1 bytes in a folder: written as raw bytes, not re-encoded
    if (name === 'latin1-folder') fs.writeFileSync(path.join(file, 'neg/b.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9]));
    const before = { list: service.list(), files: listing(dataDir) };
    const error = await service.importFile(file, options).then(
      () => null,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(TunebenchError);
    expect((error as TunebenchError).kind).toBe('bad-input');
    expect((error as TunebenchError).message).toContain(message);
    expect((error as TunebenchError).message.startsWith(message)).toBe(true);
    expect(service.list()).toEqual(before.list);
    expect(listing(dataDir)).toEqual(before.files);
  });

  it('inspect refuses the same way and writes nothing either', async () => {
    const before = listing(dataDir);
    await expect(service.inspectFile(make('bad.jsonl', lines('{"text":"a"}', '{oops')))).rejects.toThrow('bad.jsonl line 2: not valid JSON (');
    expect(listing(dataDir)).toEqual(before);
  });
});
