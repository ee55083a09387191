// Real public datasets (../shared/data) converted here into every importable format, each imported with the right
// row and label counts. Skips with a message when the shared data is absent.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatasetSummary } from '../../common/domain';
import { openDatabase } from '../../main/db/database';
import { DatasetService } from '../../main/services/datasetService';

const SHARED = path.resolve(__dirname, '../../../shared/data');
const SMS = path.join(SHARED, 'classify/sms-spam/SMSSpamCollection');
const TREC = path.join(SHARED, 'classify/trec/TREC_10.label');
const haveShared = fs.existsSync(SMS) && fs.existsSync(TREC);
const skipReason = `shared data absent: ${SMS} and ${TREC} are needed`;

let root: string;
let db: Database.Database;
let service: DatasetService;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'tunebench-formats-'));
  db = openDatabase(path.join(root, 'data'));
  service = new DatasetService(db, path.join(root, 'data'));
});
afterAll(() => {
  db.close();
  fs.rmSync(root, { recursive: true, force: true });
});

type Row = { text: string; label: string };
/** SMS Spam Collection: `label<TAB>message`, a header line, quotes literal. 5,574 rows: ham 4,827, spam 747. */
const smsRows = (): Row[] =>
  fs
    .readFileSync(SMS, 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const tab = l.indexOf('\t');
      return { label: l.slice(0, tab), text: l.slice(tab + 1).replace(/\r$/, '') };
    });
/** TREC-10: `COARSE:fine question`; 500 rows in 6 coarse classes. */
const trecRows = (): Row[] =>
  fs
    .readFileSync(TREC, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => ({ label: l.slice(0, l.indexOf(':')), text: l.slice(l.indexOf(' ') + 1) }));

const SMS_COUNTS = { rows: 5574, labels: { ham: 4827, spam: 747 } };
const TREC_COUNTS = { rows: 500, labels: { ABBR: 9, DESC: 138, ENTY: 94, HUM: 65, LOC: 81, NUM: 113 } };

const csvField = (s: string, d: string) => (/["\n\r]/.test(s) || s.includes(d) ? `"${s.replace(/"/g, '""')}"` : s);
const delimited = (rows: Row[], d: string, header: boolean) =>
  `${[...(header ? [`text${d}label`] : []), ...rows.map((r) => `${csvField(r.text, d)}${d}${r.label}`)].join('\n')}\n`;
const utf16be = (s: string) => {
  const le = Buffer.from(s, 'utf16le');
  for (let i = 0; i < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1], le[i]];
  return le;
};

const CONVERSIONS: [string, string, (rows: Row[]) => string | Buffer | Uint8Array][] = [
  ['csv with a header', 'data.csv', (rows) => delimited(rows, ',', true)],
  ['csv without a header', 'data.csv', (rows) => delimited(rows, ',', false)],
  ['csv with ; and CRLF', 'data.csv', (rows) => delimited(rows, ';', true).replace(/\n/g, '\r\n')],
  ['tsv with a header', 'data.tsv', (rows) => `text\tlabel\n${rows.map((r) => `${r.text}\t${r.label}`).join('\n')}\n`],
  ['tsv without a header, label first', 'data.tsv', (rows) => `${rows.map((r) => `${r.label}\t${r.text}`).join('\n')}\n`],
  ['jsonl', 'data.jsonl', (rows) => `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`],
  ['a JSON array', 'data.json', (rows) => JSON.stringify(rows, null, 2)],
  ['a JSON array on one line', 'data.json', (rows) => JSON.stringify(rows)],
  ['parquet', 'data.parquet', (rows) => new Uint8Array(parquetWriteBuffer({ columnData: [{ name: 'text', data: rows.map((r) => r.text), type: 'STRING' }, { name: 'label', data: rows.map((r) => r.label), type: 'STRING' }], rowGroupSize: 1000 }))],
  ['UTF-8 csv with a BOM', 'data.csv', (rows) => `\uFEFF${delimited(rows, ',', true)}`],
  ['UTF-16 LE csv with a BOM', 'data.csv', (rows) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(delimited(rows, ',', true), 'utf16le')])],
  ['UTF-16 BE tsv with a BOM', 'data.tsv', (rows) => Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(`text\tlabel\n${rows.map((r) => `${r.text}\t${r.label}`).join('\n')}\n`)])],
];

function labelCounts(ds: DatasetSummary): Record<string, number> {
  const { stats } = service.show(ds.id);
  return Object.fromEntries(stats.labelCounts.map((l) => [l.label, l.count]));
}

let fileNumber = 0;
function writeFile(name: string, content: string | Buffer | Uint8Array): string {
  const dir = path.join(root, `in-${fileNumber++}`);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, name), content);
  return path.join(dir, name);
}

/** One class folder per label, one .txt file per row. */
function writeFolder(rows: Row[]): string {
  const dir = path.join(root, `folder-${fileNumber++}`);
  rows.forEach((r, i) => {
    fs.mkdirSync(path.join(dir, r.label), { recursive: true });
    fs.writeFileSync(path.join(dir, r.label, `${String(i).padStart(5, '0')}.txt`), r.text);
  });
  return dir;
}

describe.skipIf(!haveShared)('real datasets in every format', () => {
  it.each(CONVERSIONS)('SMS Spam Collection as %s: 5,574 rows, ham 4,827 / spam 747', async (_, name, convert) => {
    const ds = await service.importFile(writeFile(name, convert(smsRows())));
    expect(ds).toMatchObject({ task: 'classify', rows: SMS_COUNTS.rows, labels: ['ham', 'spam'] });
    expect(labelCounts(ds)).toEqual(SMS_COUNTS.labels);
  });

  it.each(CONVERSIONS.filter(([kind]) => !kind.startsWith('UTF')))('TREC-10 as %s: 500 rows in 6 classes', async (_, name, convert) => {
    const ds = await service.importFile(writeFile(name, convert(trecRows())));
    expect(ds).toMatchObject({ task: 'classify', rows: TREC_COUNTS.rows });
    expect(labelCounts(ds)).toEqual(TREC_COUNTS.labels);
  });

  it('SMS and TREC as folders of .txt files, one sub-folder per class', async () => {
    const sms = await service.importFile(writeFolder(smsRows()));
    expect(sms).toMatchObject({ format: 'folder', task: 'classify', rows: SMS_COUNTS.rows, columns: { text: 'text', label: 'label' } });
    expect(labelCounts(sms)).toEqual(SMS_COUNTS.labels);
    const trec = await service.importFile(writeFolder(trecRows()));
    expect(labelCounts(trec)).toEqual(TREC_COUNTS.labels);
  });

  it('the original files: SMS without an extension, TREC .label with coarse or fine labels', async () => {
    const sms = await service.importFile(SMS);
    expect(sms).toMatchObject({ format: 'tsv', rows: 5574, columns: { text: 'SMS', label: 'Label' } });
    expect(labelCounts(sms)).toEqual(SMS_COUNTS.labels);
    const trec = await service.importFile(TREC);
    expect(trec).toMatchObject({ format: 'trec', rows: 500, mapping: { text: 'text', label: 'label' } });
    expect(labelCounts(trec)).toEqual(TREC_COUNTS.labels);
    const fine = await service.importFile(TREC, { map: { label: 'fine_label' } });
    expect(fine.labels.length).toBeGreaterThan(6);
    expect(fine.labels).toContain('NUM:dist');
  });
});

describe('other real files as they are', () => {
  const file = (rel: string) => path.join(SHARED, rel);
  it('AG News test.tsv: no header, fully quoted fields; 7,600 rows, 1,900 per class', async (ctx) => {
    if (!fs.existsSync(file('classify/agnews/test.tsv'))) return ctx.skip(`shared data absent: ${file('classify/agnews/test.tsv')}`);
    const ds = await service.importFile(file('classify/agnews/test.tsv'));
    expect(ds).toMatchObject({ format: 'tsv', task: 'classify', rows: 7600, columns: { text: 'column1', label: 'column2' } });
    expect(labelCounts(ds)).toEqual({ Business: 1900, 'Sci/Tech': 1900, Sports: 1900, World: 1900 });
    const { rows } = service.show(ds.id, { limit: 500 });
    expect(rows.some((r) => r.text.includes('"Music Manifesto"'))).toBe(true); // "" unescaped inside a quoted field
  });

  it('SST-2 dev.tsv: 6,735 rows, 2,994 / 3,741', async (ctx) => {
    if (!fs.existsSync(file('classify/sst2/dev.tsv'))) return ctx.skip(`shared data absent: ${file('classify/sst2/dev.tsv')}`);
    const ds = await service.importFile(file('classify/sst2/dev.tsv'));
    expect(labelCounts(ds)).toEqual({ 0: 2994, 1: 3741 });
  });

  it('Alpaca (a JSON array of instruction/input/output records) trains as templated text', async (ctx) => {
    const alpaca = file('sft/alpaca-5k/alpaca_data_first5000.json');
    if (!fs.existsSync(alpaca)) return ctx.skip(`shared data absent: ${alpaca}`);
    const ds = await service.importFile(alpaca);
    // 5,000 records, 4 of them with an empty output: nothing to learn, left out and counted
    expect(ds).toMatchObject({ format: 'json', task: 'instruction', trainTask: 'generate', rows: 4996, removed: { empty: 4 } });
    expect(ds.mapping).toEqual({ instruction: 'instruction', input: 'input', output: 'output' });
    const data = service.loadTrainData(ds.id);
    expect(data.task).toBe('generate');
    expect(data.task === 'generate' && data.train[0]).toMatch(/^Instruction: .+\n(Input: .+\n)?Response: /s);
  });

  it('a corpus (.txt of wrapped paragraphs) becomes paragraphs; a one-example-per-line file stays lines', async (ctx) => {
    const shakespeare = file('corpora/tinyshakespeare/input.txt');
    if (!fs.existsSync(shakespeare)) return ctx.skip(`shared data absent: ${shakespeare}`);
    const corpus = await service.inspectFile(shakespeare);
    expect(corpus).toMatchObject({ format: 'txt', txtMode: 'corpus', task: 'generate' });
    expect(corpus.preview[0].text).toBe('First Citizen:\nBefore we proceed any further, hear me speak.');
    const lines = await service.inspectFile(shakespeare, { txtMode: 'lines' });
    expect(lines.rows).toBeGreaterThan(corpus.rows * 3);
  });
});

if (!haveShared) it.skip(skipReason, () => {});
