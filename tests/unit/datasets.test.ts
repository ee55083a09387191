import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TunebenchError } from '../../common/result';
import { openDatabase } from '../../main/db/database';
import { DelimitedParser, type DelimitedRecord } from '../../main/datasets/delimitedParser';
import { DatasetService } from '../../main/services/datasetService';

const SHARED_DATA = path.resolve(__dirname, '../../../shared/data');

let root: string; // holds the data dir and the input files, side by side
let dataDir: string;
let db: Database.Database;
let service: DatasetService;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'tunebench-ds-'));
  dataDir = path.join(root, 'data');
  db = openDatabase(dataDir);
  service = new DatasetService(db, dataDir);
});
afterEach(() => {
  db.close();
  fs.rmSync(root, { recursive: true, force: true });
});

function write(name: string, content: string | Buffer): string {
  const file = path.join(root, name);
  fs.writeFileSync(file, content);
  return file;
}

/** Every file and folder under dir with its size; the WAL and shared-memory files only by name. */
function listing(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      const rel = path.relative(dir, full);
      if (entry.isDirectory()) {
        out.push(`${rel}/`);
        walk(full);
      } else out.push(/-(wal|shm)$/.test(entry.name) ? rel : `${rel} ${fs.statSync(full).size}`);
    }
  };
  walk(dir);
  return out.sort();
}

const lines = (...rows: string[]) => rows.join('\n') + '\n';
const repeat = (n: number, make: (i: number) => string) => Array.from({ length: n }, (_, i) => make(i));

describe('importing each format', () => {
  it('CSV: quoted fields, "" escapes, newlines inside quotes, CRLF and a BOM', async () => {
    const csv =
      '\uFEFFid,review,label\r\n' +
      '1,"Great, really ""great"" film",pos\r\n' +
      '2,"two\r\nlines",neg\r\n' +
      '3,plain text,pos\r\n';
    const ds = await service.importFile(write('reviews.csv', csv));
    expect(ds).toMatchObject({
      name: 'reviews',
      task: 'classify',
      format: 'csv',
      rows: 3,
      columns: { text: 'review', label: 'label' },
      labels: ['neg', 'pos'],
      sourceName: 'reviews.csv',
      bytes: Buffer.byteLength(csv),
      sha256: createHash('sha256').update(csv).digest('hex'),
    });
    const data = service.loadTrainData(ds.id);
    expect(data.task).toBe('classify');
    if (data.task !== 'classify') return;
    expect(data.train).toEqual([
      { text: 'Great, really "great" film', label: 1 },
      { text: 'two\r\nlines', label: 0 },
      { text: 'plain text', label: 1 },
    ]);
    expect(data.validation).toEqual([]);
  });

  it('CSV with semicolons, chosen from the header', async () => {
    const ds = await service.importFile(write('x.csv', lines('text;label', 'a, b;1', 'c;2')));
    expect(ds).toMatchObject({ rows: 2, labels: ['1', '2'], columns: { text: 'text', label: 'label' } });
  });

  it('TSV without a label column becomes a generation dataset', async () => {
    const ds = await service.importFile(write('notes.tsv', lines('title\tbody', 'one\tfirst body', 'two\tsecond body')));
    expect(ds).toMatchObject({ task: 'generate', format: 'tsv', rows: 2, columns: { text: 'body', label: null }, labels: [] });
    expect(service.loadTrainData(ds.id)).toEqual({ task: 'generate', train: ['first body', 'second body'], validation: [] });
  });

  it('picks the string column with the longest mean length when no column has a known name', async () => {
    const ds = await service.importFile(write('odd.csv', lines('n,short,long,sentiment', '1,ab,a much longer text,x', '2,cd,another long one,y')));
    expect(ds.columns).toEqual({ text: 'long', label: 'sentiment' });
  });

  it('JSONL: blank lines skipped, numeric labels sorted as numbers', async () => {
    const rows = repeat(12, (i) => JSON.stringify({ sentence: `example ${i}`, label: [2, 10, 1][i % 3] }));
    const ds = await service.importFile(write('s.jsonl', rows.slice(0, 6).join('\n') + '\n\n  \n' + rows.slice(6).join('\r\n')));
    expect(ds).toMatchObject({ task: 'classify', format: 'jsonl', rows: 12, labels: ['1', '2', '10'] });
    expect(ds.columns).toEqual({ text: 'sentence', label: 'label' });
    expect(ds.splits).toEqual({ train: 11, validation: 1, test: 0 });
  });

  it('.txt: one example per non-empty line, kept as written', async () => {
    const ds = await service.importFile(write('corpus.txt', 'First line.\n\n   \n  Second, indented.\r\nthird,with,commas'));
    expect(ds).toMatchObject({ task: 'generate', format: 'txt', rows: 3, columns: { text: 'text', label: null } });
    expect(service.loadTrainData(ds.id)).toEqual({
      task: 'generate',
      train: ['First line.', '  Second, indented.', 'third,with,commas'],
      validation: [],
    });
  });

  it('sniffs the format of a file without a known extension', async () => {
    const jsonl = await service.importFile(write('a.data', lines('{"text":"hi"}', '{"text":"there"}')));
    const tsv = await service.importFile(write('b', lines('Label\tSMS', 'ham\thello', 'spam\tWIN NOW')));
    const csv = await service.importFile(write('c.dat', lines('text;label', 'x;1', 'y;0')));
    const txt = await service.importFile(write('d.log', lines('a line', 'another, with a comma', 'and one more')));
    expect([jsonl.format, tsv.format, csv.format, txt.format]).toEqual(['jsonl', 'tsv', 'csv', 'txt']);
    expect(tsv).toMatchObject({ task: 'classify', columns: { text: 'SMS', label: 'Label' }, labels: ['ham', 'spam'] });
    expect(txt.rows).toBe(3);
  });

  it('decodes characters split across read chunks and reports progress up to the whole file', async () => {
    const text = 'héllo wörld — ✓ 🚀 ';
    const body = repeat(6000, (i) => `${text}${i}`);
    const file = write('big.txt', lines(...body));
    const progress: { bytesRead: number; totalBytes: number; fileName: string }[] = [];
    const ds = await service.importFile(file, { onProgress: (p) => progress.push(p), name: 'Big one' });
    expect(ds.name).toBe('Big one');
    expect(ds.bytes).toBeGreaterThan(64 * 1024 * 2);
    const data = service.loadTrainData(ds.id);
    expect(data.task === 'generate' && [...data.train, ...data.validation].sort()).toEqual([...body].sort());
    const reading = progress.filter((p) => 'phase' in p && p.phase === 'reading');
    expect(reading.at(-1)).toMatchObject({ fileName: 'big.txt', bytesRead: ds.bytes, totalBytes: ds.bytes });
    expect(progress.at(-1)).toMatchObject({ phase: 'writing' });
  });

  it('keeps one content-addressed copy of the original, reused by a second import of the same bytes', async () => {
    const file = write('tiny.csv', lines('text,label', 'a,x', 'b,y'));
    const first = await service.importFile(file);
    const second = await service.importFile(file, { sourceName: 'upload.csv' });
    expect(second.id).not.toBe(first.id);
    expect(second).toMatchObject({ name: 'upload', sourceName: 'upload.csv', sha256: first.sha256 });
    const blob = path.join(dataDir, 'blobs', first.sha256.slice(0, 2), first.sha256);
    expect(fs.readFileSync(blob)).toEqual(fs.readFileSync(file));
    expect(fs.readdirSync(path.dirname(blob))).toEqual([first.sha256]);
    expect(first.id).toMatch(/^ds-[0-9a-f]{8}$/);
  });

  it('lists newest first and finds a dataset by id or by name', async () => {
    const a = await service.importFile(write('a.txt', 'one\n'));
    const b = await service.importFile(write('b.txt', 'two\n'));
    expect(service.list().map((d) => d.id)).toEqual([b.id, a.id]);
    expect(service.get('a')).toEqual(a);
    expect(service.get(b.id)).toEqual(b);
    expect(() => service.get('nope')).toThrow("No dataset 'nope'; see `tunebench datasets list`.");
  });

  it('imports the real SST-2 test split (872 rows, 2 labels)', async (ctx) => {
    const file = path.join(SHARED_DATA, 'classify/sst2/test.tsv');
    if (!fs.existsSync(file)) return ctx.skip(`shared data absent: ${file}`);
    const ds = await service.importFile(file);
    expect(ds).toMatchObject({ task: 'classify', format: 'tsv', rows: 872, labels: ['0', '1'], columns: { text: 'sentence', label: 'label' } });
    expect(ds.splits).toEqual({ train: 785, validation: 87, test: 0 });
  });

  it('imports the real SMS spam collection (no extension, quotes inside tab-separated fields)', async (ctx) => {
    const file = path.join(SHARED_DATA, 'classify/sms-spam/SMSSpamCollection');
    if (!fs.existsSync(file)) return ctx.skip(`shared data absent: ${file}`);
    const ds = await service.importFile(file);
    // 5574 lines below the header; one message opens a quote it never closes on its line. An RFC 4180 reader would
    // carry it over the next two lines (5572 rows); tab-separated text has no quoting, so every line is a row.
    expect(ds).toMatchObject({ task: 'classify', format: 'tsv', rows: 5574, labels: ['ham', 'spam'] });
  });
});

describe('DelimitedParser', () => {
  it('gives the same records however the text is cut into chunks', () => {
    const text = 'a,b\r\n"x ""q"" y","multi\r\nline"\r\n\r\nplain,"end"\r\nlast,row';
    const parse = (chunks: string[]) => {
      const records: DelimitedRecord[] = [];
      const parser = new DelimitedParser(',', 't.csv', (r) => records.push(r));
      for (const c of chunks) parser.feed(c);
      parser.end();
      return records;
    };
    const whole = parse([text]);
    expect(whole).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x "q" y', 'multi\r\nline'] },
      { line: 5, fields: ['plain', 'end'] },
      { line: 6, fields: ['last', 'row'] },
    ]);
    expect(parse([...text])).toEqual(whole);
    expect(parse([text.slice(0, 9), text.slice(9, 10), text.slice(10)])).toEqual(whole);
  });
});

describe('the split', () => {
  it('is stratified by label: 10% of each class held out', async () => {
    const rows = [...repeat(80, (i) => `text a${i},a`), ...repeat(20, (i) => `text b${i},b`)];
    const ds = await service.importFile(write('strat.csv', lines('text,label', ...rows)));
    expect(ds.splits).toEqual({ train: 90, validation: 10, test: 0 });
    const data = service.loadTrainData(ds.id);
    if (data.task !== 'classify') throw new Error('expected classify');
    const held = data.validation.map((e) => data.labels[e.label]);
    expect(held.filter((l) => l === 'a')).toHaveLength(8);
    expect(held.filter((l) => l === 'b')).toHaveLength(2);
  });

  it('is the same for the same file, in any data folder', async () => {
    const file = write('same.txt', lines(...repeat(50, (i) => `line ${i}`)));
    const first = service.loadTrainData((await service.importFile(file)).id);
    const otherDir = path.join(root, 'other');
    const otherDb = openDatabase(otherDir);
    const other = new DatasetService(otherDb, otherDir);
    const second = other.loadTrainData((await other.importFile(file)).id);
    otherDb.close();
    expect(second).toEqual(first);
    expect(first.validation).toHaveLength(5);
    const changed = service.loadTrainData((await service.importFile(write('changed.txt', lines(...repeat(50, (i) => `line ${i}`), 'extra')))).id);
    expect(changed.validation).not.toEqual(first.validation); // seeded by the content
  });

  it('holds out one row from 10 rows up and none below', async () => {
    const nine = await service.importFile(write('nine.txt', lines(...repeat(9, (i) => `l${i}`))));
    const ten = await service.importFile(write('ten.txt', lines(...repeat(10, (i) => `l${i}`))));
    expect(nine.splits).toEqual({ train: 9, validation: 0, test: 0 });
    expect(ten.splits).toEqual({ train: 9, validation: 1, test: 0 });
  });

  it('holds every row out when the split gives training nothing (a file to evaluate on), classes of one row too', async () => {
    const all = { train: 0, validation: 0, test: 1 };
    const rows = [...repeat(6, (i) => `text a${i},a`), ...repeat(3, (i) => `text b${i},b`), 'text c0,c'];
    const ds = await service.importFile(write('eval.csv', lines('text,label', ...rows)), { split: all });
    expect(ds.splits).toEqual({ train: 0, validation: 0, test: 10 });
    const few = await service.importFile(write('few.csv', lines('text,label', 'x one,a', 'x two,b', 'x three,b')), { split: all });
    expect(few.splits).toEqual({ train: 0, validation: 0, test: 3 });
  });
});

describe('rejecting a bad file leaves nothing behind', () => {
  const cases: [string, string | Buffer, string][] = [
    ['empty.csv', '', 'empty.csv is empty.'],
    ['nul.txt', Buffer.from('abc\0def'), 'nul.txt is not a UTF-8 text file (binary data at byte 3); Tunebench reads UTF-8, and UTF-16 with a byte-order mark.'],
    ['latin1.txt', Buffer.concat([Buffer.from('caf'), Buffer.from([0xe9]), Buffer.from('!\n')]), 'latin1.txt is not a UTF-8 text file (binary data at byte 3)'],
    ['cut.txt', Buffer.concat([Buffer.from('ok '), Buffer.from('é').subarray(0, 1)]), 'cut.txt is not a UTF-8 text file (binary data at byte 3)'],
    ['unclosed.csv', lines('text,label', 'a,x', '"b', 'more,y'), 'unclosed.csv line 3: a quoted field is never closed.'],
    ['fields.csv', lines('a,b,label', '1,2,x', '1,2,x,4'), 'fields.csv line 3: expected 3 fields as in the header, found 4.'],
    ['noheader.csv', lines('1,2', '3,4'), 'noheader.csv: no text column found among column1, column2; name one column text (or choose it with --map text=<column>).'],
    ['dupes.csv', lines('text,text', 'a,b'), "dupes.csv line 1: the header names the column 'text' twice."],
    ['bad.jsonl', lines('{"text":"a"}', '{"text": oops}'), 'bad.jsonl line 2: not valid JSON ('],
    ['array.jsonl', lines('{"text":"a"}', '', '[1,2]'), 'array.jsonl line 3: expected a JSON object, found an array.'],
    ['nested.jsonl', lines('{"text":{"a":1}}'), "nested.jsonl line 1: the field 'text' holds an object; expected text."],
    ['numbers.csv', lines('a,b', '1,2', '3,4'), 'numbers.csv: no text column found among a, b; name one column text'],
    ['header.csv', lines('text,label'), 'header.csv has no data rows.'],
    ['blank.txt', '\n  \n\n', 'blank.txt has no non-empty lines.'],
    ['one.csv', lines('text,label', 'a,pos', 'b,pos '), "one.csv: the label column 'label' has only one class ('pos'); classification needs at least two."],
    ['nolabel.csv', lines('text,label', 'a,pos', 'b,neg', 'c,'), "nolabel.csv line 4: the label field 'label' is empty."],
    ['notext.tsv', lines('text\tlabel', ' \tpos', ' \tneg'), "notext.tsv has no rows with text in the 'text' column."],
    ['missing.jsonl', lines('{"text":"a","label":1}', '{"label":2}'), "missing.jsonl line 2: no 'text' field."],
  ];

  it.each(cases)('%s', async (name, content, message) => {
    await service.importFile(write('ok.txt', 'keep me\n')); // something already stored
    const file = write(name, content);
    const before = { list: service.list(), files: listing(dataDir) };
    const error = await service.importFile(file).then(
      () => null,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(TunebenchError);
    expect((error as TunebenchError).kind).toBe('bad-input');
    expect((error as TunebenchError).message.startsWith(message)).toBe(true);
    expect(service.list()).toEqual(before.list);
    expect(listing(dataDir)).toEqual(before.files);
  });

  it('reports a bad byte at its offset far into the file', async () => {
    const head = Buffer.from(lines(...repeat(3000, (i) => `line ${i} ✓`)));
    const file = write('late.txt', Buffer.concat([head, Buffer.from([0xc3, 0x28])]));
    await expect(service.importFile(file)).rejects.toThrow(`late.txt is not a UTF-8 text file (binary data at byte ${head.length});`);
  });

  it('a missing file is not found', async () => {
    await expect(service.importFile(path.join(root, 'absent.csv'))).rejects.toThrow(/No file or folder at .*absent\.csv\./);
  });

  it('removes the copy it made when the database write fails', async () => {
    const before = { list: service.list(), files: listing(dataDir) };
    db.exec("CREATE TEMP TRIGGER refuse BEFORE INSERT ON dataset_rows WHEN NEW.idx = 1 BEGIN SELECT RAISE(ABORT, 'disk says no'); END;");
    await expect(service.importFile(write('good.csv', lines('text,label', 'a,x', 'b,y')))).rejects.toThrow('disk says no');
    expect(service.list()).toEqual(before.list);
    expect(listing(dataDir)).toEqual(before.files);
    expect(db.prepare('SELECT count(*) AS n FROM dataset_rows').get()).toEqual({ n: 0 });
  });
});
