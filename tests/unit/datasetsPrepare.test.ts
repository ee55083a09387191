// Preparing a dataset: task and column detection with overrides, inspect before import, preprocessing previewed and
// stored, statistics, seeded stratified splits, an attached test file, and cancelling.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TunebenchError } from '../../common/result';
import { openDatabase } from '../../main/db/database';
import { DatasetService } from '../../main/services/datasetService';

let root: string;
let db: Database.Database;
let service: DatasetService;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'tunebench-prep-'));
  db = openDatabase(path.join(root, 'data'));
  service = new DatasetService(db, path.join(root, 'data'));
});
afterEach(() => {
  db.close();
  fs.rmSync(root, { recursive: true, force: true });
});

const write = (name: string, content: string) => {
  fs.writeFileSync(path.join(root, name), content);
  return path.join(root, name);
};
const lines = (...rows: string[]) => `${rows.join('\n')}\n`;
const repeat = (n: number, make: (i: number) => string) => Array.from({ length: n }, (_, i) => make(i));
const jsonl = (rows: object[]) => lines(...rows.map((r) => JSON.stringify(r)));

describe('task and column detection, with overrides', () => {
  it('detects pairs, instruction records and chats, and trains them as templated text', async () => {
    const pairs = await service.importFile(write('qa.jsonl', jsonl([{ question: 'Capital of France?', answer: 'Paris' }, { question: '2+2?', answer: 'Four' }])));
    expect(pairs).toMatchObject({ task: 'pairs', trainTask: 'generate', mapping: { prompt: 'question', completion: 'answer' } });
    const chat = await service.importFile(
      write('chat.jsonl', jsonl([{ messages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello!' }] }, { messages: [{ from: 'human', value: 'Bye' }, { from: 'gpt', value: 'See you' }] }])),
    );
    expect(chat).toMatchObject({ task: 'chat', mapping: { messages: 'messages' } });
    // promptChars: the characters before the completion (before the last assistant reply), which training does not count
    const promptChars = (texts: string[], completions: string[]) => ({ train: texts.map((t, i) => t.length - completions[i].length), validation: [] });
    const pairTexts = ['Prompt: Capital of France?\nResponse: Paris', 'Prompt: 2+2?\nResponse: Four'];
    expect(service.loadTrainData(pairs.id)).toEqual({ task: 'generate', train: pairTexts, validation: [], promptChars: promptChars(pairTexts, ['Paris', 'Four']) });
    const chatTexts = ['user: Hi\nassistant: Hello!', 'human: Bye\ngpt: See you'];
    expect(service.loadTrainData(chat.id)).toEqual({ task: 'generate', train: chatTexts, validation: [], promptChars: promptChars(chatTexts, ['Hello!', 'See you']) });
    const { rows } = service.show(chat.id);
    expect(rows[0].parts).toEqual({ messages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello!' }] });
    expect(rows[1].fields).toEqual({ messages: [{ from: 'human', value: 'Bye' }, { from: 'gpt', value: 'See you' }] });
  });

  it('a map and a task override what detection chose; the summary says which column plays which role', async () => {
    const file = write('reviews.csv', lines('id,review,stars,summary', ...repeat(12, (i) => `${i},review number ${i} text,${(i % 3) + 1},short ${i}`)));
    const detected = await service.inspectFile(file);
    expect(detected).toMatchObject({ task: 'classify', mapping: { text: 'review', label: 'stars' }, fields: ['id', 'review', 'stars', 'summary'], labels: ['1', '2', '3'] });
    const mapped = await service.importFile(file, { map: { text: 'summary', label: 'stars' } });
    expect(mapped).toMatchObject({ task: 'classify', columns: { text: 'summary', label: 'stars' }, mapping: { text: 'summary', label: 'stars' } });
    const generate = await service.importFile(file, { task: 'generate' });
    expect(generate).toMatchObject({ task: 'generate', labels: [], mapping: { text: 'review' } });
    const pairs = await service.importFile(file, { map: { prompt: 'summary', completion: 'review' } });
    expect(pairs).toMatchObject({ task: 'pairs', mapping: { prompt: 'summary', completion: 'review' } });
    const stored = service.show(mapped.id).rows[0];
    expect(stored).toMatchObject({ text: 'short 0', label: '1', fields: { id: '0', review: 'review number 0 text', stars: '1', summary: 'short 0' } });
  });

  it('refuses an unknown column, a role the task does not use, and a task without its columns', async () => {
    const file = write('r.csv', lines('text,label', 'a,x', 'b,y'));
    await expect(service.importFile(file, { map: { text: 'body' } })).rejects.toThrow("r.csv has no column 'body' (asked for as the text); its columns are text, label.");
    await expect(service.importFile(file, { task: 'generate', map: { label: 'label' } })).rejects.toThrow("A generate dataset has no 'label' column to map; it uses text.");
    await expect(service.importFile(file, { task: 'chat' })).rejects.toThrow('r.csv: no column for the messages of a chat dataset among text, label; choose one with --map messages=<column>.');
  });
});

describe('inspect, statistics and show', () => {
  it('inspects without storing anything: format, header, first rows, duplicates, empty rows, lengths', async () => {
    const file = write('s.tsv', lines('text\tlabel', 'Good film\tpos', 'good film!\tpos', 'Good film\tpos', '  \tneg', 'Bad one\tneg', `${'x'.repeat(40)}\tneg`));
    const before = fs.readdirSync(path.join(root, 'data')).sort();
    const inspected = await service.inspectFile(file, { maxTokens: 20 });
    expect(inspected).toMatchObject({ format: 'tsv', delimiter: '\t', header: true, encoding: 'utf-8', rows: 5, task: 'classify' });
    expect(inspected.stats).toMatchObject({
      rows: 5,
      emptyRows: 1,
      exactDuplicates: 1,
      nearDuplicates: 2,
      overLong: 1,
      maxTokens: 20,
      labelCounts: [{ label: 'neg', count: 2 }, { label: 'pos', count: 3 }],
      tokens: { min: 7, max: 40, total: 9 + 10 + 9 + 7 + 40 },
    });
    expect(inspected.stats.histogram.reduce((a, h) => a + h.count, 0)).toBe(5);
    expect(inspected.preview.map((r) => r.line)).toEqual([2, 3, 4, 6, 7]);
    expect(inspected.preview[0]).toEqual({ line: 2, text: 'Good film', label: 'pos', parts: null, fields: { text: 'Good film', label: 'pos' } });
    expect(service.list()).toEqual([]);
    expect(fs.readdirSync(path.join(root, 'data')).sort()).toEqual(before);
  });

  it('show: stored statistics, another tokenizer on request, pages of rows with their split', async () => {
    const ds = await service.importFile(write('w.txt', lines('one two three', 'four five', 'six')), { split: { train: 1, validation: 0, test: 0 } });
    const chars = service.show(ds.id);
    expect(chars.stats).toMatchObject({ tokenizer: 'char', tokens: { min: 3, max: 13 } });
    expect(service.show(ds.id, { tokenizer: 'word', maxTokens: 2 }).stats).toMatchObject({ tokenizer: 'word', tokens: { min: 1, max: 3, total: 6 }, overLong: 1 });
    expect(service.show(ds.id, { offset: 1, limit: 1 }).rows).toEqual([{ line: 2, text: 'four five', label: null, parts: null, fields: { text: 'four five' }, split: 'train' }]);
  });
});

describe('preprocessing', () => {
  const file = () =>
    write('p.csv', lines('text,label', '"The  Cat sat on the mat."  ,a', 'the cat sat on the mat,b', 'A dog!,a', '"  the   and  ",b', 'Birds sing in the morning,a', 'Birds sing in the morning,b'));

  it('previews each step before it is applied: rows removed, first rows before and after', async () => {
    const preview = await service.previewRecipe(file(), { recipe: { lowercase: true, removeStopwords: true, normalizeWhitespace: true, tokenize: true, dedupe: 'near', minLength: 6 } });
    expect(preview.rowsBefore).toBe(6);
    expect(preview.removed).toEqual([
      { step: 'removeStopwords', rows: 1 },
      { step: 'minLength', rows: 1 },
      { step: 'maxLength', rows: 0 },
      { step: 'dedupe', rows: 2 },
    ]);
    expect(preview.rowsAfter).toBe(2);
    expect(preview.preview.slice(0, 4)).toEqual([
      { line: 2, before: 'The  Cat sat on the mat.  ', after: 'cat sat mat .', removedBy: null },
      { line: 3, before: 'the cat sat on the mat', after: null, removedBy: 'dedupe' },
      { line: 4, before: 'A dog!', after: null, removedBy: 'minLength' },
      { line: 5, before: '  the   and  ', after: null, removedBy: 'removeStopwords' },
    ]);
    expect(service.list()).toEqual([]);
  });

  it('stores the applied recipe and what it removed, so the import can be reproduced', async () => {
    const recipe = { lowercase: true, dedupe: 'exact' as const };
    const ds = await service.importFile(file(), { recipe });
    expect(ds.recipe).toMatchObject({ lowercase: true, dedupe: 'exact', removeStopwords: false, minLength: null });
    expect(ds.removed).toEqual({ empty: 0, removeStopwords: 0, minLength: 0, maxLength: 0, dedupe: 1 });
    expect(ds.rows).toBe(5);
    const again = await service.importFile(file(), { recipe: ds.recipe, seed: ds.split.seed ?? undefined });
    expect(service.loadTrainData(again.id)).toEqual(service.loadTrainData(ds.id));
  });

  it('refuses an unknown stop-word language and a recipe that removes every row', async () => {
    await expect(service.importFile(file(), { recipe: { removeStopwords: true, stopwordLanguage: 'xyz' } })).rejects.toThrow("No stop-word list for the language 'xyz'");
    await expect(service.importFile(file(), { recipe: { minLength: 1000 } })).rejects.toThrow('p.csv: preprocessing removed every row (6 by minLength); relax the recipe.');
  });
});

describe('splits', () => {
  const classes = () => write('c.csv', lines('text,label', ...repeat(80, (i) => `a text ${i},a`), ...repeat(20, (i) => `b text ${i},b`)));

  it('by ratio, stratified by label and seeded: the same seed gives the same split', async () => {
    const ds = await service.importFile(classes(), { split: { train: 0.8, validation: 0.1, test: 0.1 }, seed: 7 });
    expect(ds.splits).toEqual({ train: 80, validation: 10, test: 10 });
    expect(ds.split).toEqual({ train: 0.8, validation: 0.1, test: 0.1, seed: 7, stratified: true });
    const rows = service.show(ds.id, { limit: 500 }).rows;
    const held = (split: string, label: string) => rows.filter((r) => r.split === split && r.label === label).length;
    expect([held('validation', 'a'), held('validation', 'b'), held('test', 'a'), held('test', 'b')]).toEqual([8, 2, 8, 2]);
    const same = await service.importFile(classes(), { split: { train: 0.8, validation: 0.1, test: 0.1 }, seed: 7 });
    const other = await service.importFile(classes(), { split: { train: 0.8, validation: 0.1, test: 0.1 }, seed: 8 });
    const splitsOf = (id: string) => service.show(id, { limit: 500 }).rows.map((r) => r.split);
    expect(splitsOf(same.id)).toEqual(splitsOf(ds.id));
    expect(splitsOf(other.id)).not.toEqual(splitsOf(ds.id));
    expect(service.loadTrainData(ds.id)).toMatchObject({ task: 'classify' });
    const data = service.loadTrainData(ds.id);
    expect(data.train.length + data.validation.length).toBe(90); // the test split is never trained on
  });

  it('attaches a separate test file, read with the dataset mapping and recipe', async () => {
    const ds = await service.importFile(write('train.csv', lines('review,label', ...repeat(20, (i) => `Review ${i},${i % 2 ? 'pos' : 'neg'}`))), { recipe: { lowercase: true } });
    const test = write('test.jsonl', jsonl([{ review: 'A NEW Review', label: 'pos', extra: 1 }, { review: 'Another', label: 'neg' }]));
    const attached = await service.attachTest(ds.id, test);
    expect(attached).toMatchObject({ rows: 22, splits: { train: 18, validation: 2, test: 2 }, test: { sourceName: 'test.jsonl', rows: 2 } });
    expect(service.show(ds.id, { offset: 20 }).rows.map((r) => [r.split, r.text])).toEqual([['test', 'a new review'], ['test', 'another']]);
    await expect(service.attachTest(ds.id, test)).rejects.toThrow(/already has a test split of 2 rows \(from test\.jsonl\)/);
    const other = await service.importFile(write('t2.csv', lines('review,label', 'x,pos', 'y,neg')));
    await expect(service.attachTest(other.id, write('bad.csv', lines('review,label', 'z,maybe')))).rejects.toThrow(
      "bad.csv line 2: the label 'maybe' is not among the dataset's labels (neg, pos).",
    );
    expect(service.get(other.id).splits.test).toBe(0);
  });
});

describe('cancelling', () => {
  it('stops a running import by its id and leaves nothing behind', async () => {
    const file = write('big.txt', lines(...repeat(40_000, (i) => `line number ${i} with some words in it`)));
    const dataDir = path.join(root, 'data');
    const before = fs.readdirSync(dataDir).sort();
    const running = service.importFile(file, {
      importId: 'imp-1',
      onProgress: (p) => {
        if (p.bytesRead > 0) service.cancelImport(p.importId);
      },
    });
    const error = await running.then(() => null, (err: unknown) => err);
    expect(error).toBeInstanceOf(TunebenchError);
    expect((error as TunebenchError).kind).toBe('cancelled');
    expect((error as TunebenchError).message).toBe('The import of big.txt was cancelled; nothing was written.');
    expect(service.list()).toEqual([]);
    expect(fs.readdirSync(dataDir).sort()).toEqual(before);
    expect(service.cancelImport('imp-1')).toBe(false); // no longer running
  });
});

describe('a mapping where detection finds nothing', () => {
  it('imports a file whose columns have no telling names once the text column is named', async () => {
    const file = write('nums.jsonl', jsonl([{ a: 1, b: 2 }, { a: 3, b: 4 }]));
    await expect(service.importFile(file)).rejects.toThrow('nums.jsonl: no text column found among a, b');
    const ds = await service.importFile(file, { map: { text: 'b' } });
    expect(ds).toMatchObject({ task: 'generate', rows: 2, mapping: { text: 'b' } });
    expect(service.show(ds.id).rows.map((r) => r.text)).toEqual(['2', '4']);
  });
});
