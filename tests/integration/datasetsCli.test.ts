// `tunebench datasets …` end to end: the built CLI in a real process, a real data directory.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DatasetStats, PreviewRow } from '../../common/datasetTypes';
import type { DatasetSummary } from '../../common/domain';
import { assertBuilt, CLI, tempDir, tunebench, tunebenchJson } from '../helpers/cli';
import { sentimentCsv, writeFixture } from '../helpers/fixtures';

const files = (dir: string) => (readdirSync(dir, { recursive: true }) as string[]).filter((f) => !f.includes('tunebench.db')).sort();

/** A CSV of `rows` rows, three labels, about 80 bytes a row. */
const bigCsv = (rows: number) => `id,text,label\n${Array.from({ length: rows }, (_, i) => `${i},"row ${i}, with a comma and some more words",${['a', 'b', 'c'][i % 3]}`).join('\n')}\n`;

describe('tunebench datasets', () => {
  beforeAll(assertBuilt);

  it('imports with a mapping, a recipe and a seeded split, then shows it', () => {
    const dataDir = tempDir();
    const csv = writeFixture(tempDir(), 'reviews.csv', `id,review,stars\n${Array.from({ length: 40 }, (_, i) => `${i},Review ${i % 20} Was GOOD,${(i % 2) + 1}`).join('\n')}\n`);
    const ds = tunebenchJson<DatasetSummary>(dataDir, [
      'datasets', 'import', csv, '--map', 'text=review,label=stars', '--lowercase', '--dedupe', '--split', '0.8,0.1,0.1', '--seed', '3', '--name', 'Reviews',
    ]);
    expect(ds).toMatchObject({ name: 'Reviews', task: 'classify', rows: 20, labels: ['1', '2'], mapping: { text: 'review', label: 'stars' } });
    expect(ds.recipe).toMatchObject({ lowercase: true, dedupe: 'exact' });
    expect(ds.removed.dedupe).toBe(20);
    expect(ds.split).toEqual({ train: 0.8, validation: 0.1, test: 0.1, seed: 3, stratified: true });
    expect(ds.splits).toEqual({ train: 16, validation: 2, test: 2 });

    const shown = tunebenchJson<{ summary: DatasetSummary; stats: DatasetStats; rows: PreviewRow[] }>(dataDir, ['datasets', 'show', ds.id, '--tokenizer', 'word']);
    expect(shown.summary).toEqual(ds);
    expect(shown.stats).toMatchObject({ rows: 20, tokenizer: 'word', tokens: { min: 4, max: 4 }, labelCounts: [{ label: '1', count: 10 }, { label: '2', count: 10 }] });
    expect(shown.rows[0]).toMatchObject({ line: 2, text: 'review 0 was good', label: '1', fields: { id: '0', review: 'Review 0 Was GOOD', stars: '1' } });
    const human = tunebench(dataDir, ['datasets', 'show', ds.id]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/split: 16 train \/ 2 validation \/ 2 test \(seed 3, stratified\)/);
    expect(human.stdout).toMatch(/recipe: lowercase, dedupe=exact/);
  });

  it('inspects a file (and previews a recipe) without storing anything', () => {
    const dataDir = tempDir();
    const csv = writeFixture(tempDir(), 'r.csv', sentimentCsv(30));
    const inspected = tunebenchJson<{ format: string; task: string; rows: number; recipePreview: { rowsAfter: number; removed: { step: string; rows: number }[] } }>(dataDir, [
      'datasets', 'inspect', csv, '--dedupe-near',
    ]);
    expect(inspected).toMatchObject({ format: 'csv', task: 'classify', rows: 30 });
    expect(inspected.recipePreview.rowsAfter).toBeLessThanOrEqual(30);
    expect(tunebenchJson(dataDir, ['datasets', 'list'])).toEqual([]);
    expect(files(dataDir)).toEqual([]);
  });

  it('imports a folder of class folders, and attaches a separate test file', () => {
    const dataDir = tempDir();
    const folder = join(tempDir(), 'reviews');
    for (const [label, texts] of Object.entries({ pos: ['good', 'great', 'lovely'], neg: ['bad', 'awful', 'dull'] })) {
      mkdirSync(join(folder, label), { recursive: true });
      texts.forEach((t, i) => writeFileSync(join(folder, label, `${i}.txt`), t));
    }
    const ds = tunebenchJson<DatasetSummary>(dataDir, ['datasets', 'import', folder, '--split', '1,0,0']);
    expect(ds).toMatchObject({ format: 'folder', rows: 6, labels: ['neg', 'pos'], sourceName: 'reviews' });
    const test = writeFixture(tempDir(), 'test.jsonl', '{"text":"fine","label":"pos"}\n{"text":"meh","label":"neg"}\n');
    const attached = tunebenchJson<DatasetSummary>(dataDir, ['datasets', 'import', test, '--test-for', ds.id]);
    expect(attached).toMatchObject({ id: ds.id, rows: 8, splits: { train: 6, validation: 0, test: 2 }, test: { sourceName: 'test.jsonl', rows: 2 } });
  });

  it('refuses bad input with exit 2, one sentence, and nothing written', () => {
    const dataDir = tempDir();
    const dir = tempDir();
    const good = writeFixture(dir, 'good.csv', sentimentCsv(20));
    const ds = tunebenchJson<DatasetSummary>(dataDir, ['datasets', 'import', good]);
    const before = { list: tunebench(dataDir, ['datasets', 'list', '--json']).stdout, files: files(dataDir) };
    const cases: [string[], RegExp][] = [
      [['--map', 'text=nope'], /good\.csv has no column 'nope' \(asked for as the text\); its columns are text, label\./],
      [['--map', 'colour=text'], /--map colour=text: unknown role 'colour'/],
      [['--split', '0.8,0.3'], /--split 0\.8,0\.3: the fractions must add up to 1/],
      [['--split', 'most,rest'], /--split most,rest: expected two or three fractions/],
      [['--task', 'summarise'], /--task summarise: use one of auto, classify, generate, pairs, instruction, chat\./],
      [['--test-for', 'ds-00000000'], /No dataset 'ds-00000000'/],
      [['--test-for', ds.id, '--split', '0.5,0.5'], /--test-for takes the dataset's own recipe and split/],
      [['--min-length=-1'], /--min-length -1: expected a whole number of at least 0\./],
    ];
    for (const [flags, message] of cases) {
      const result = tunebench(dataDir, ['datasets', 'import', good, ...flags, '--json']);
      expect(result.code, flags.join(' ')).toBe(2);
      expect(result.stdout, flags.join(' ')).toBe('');
      expect(result.stderr.trim().split('\n').filter((l) => l.startsWith('tunebench:')), flags.join(' ')).toHaveLength(1);
      expect(result.stderr, flags.join(' ')).toMatch(message);
    }
    const oneClass = tunebench(dataDir, ['datasets', 'import', writeFixture(dir, 'one.csv', 'text,label\na,x\nb,x\n')]);
    expect(oneClass).toMatchObject({ code: 2, stderr: expect.stringMatching(/only one class \('x'\)/) });
    const noText = tunebench(dataDir, ['datasets', 'import', writeFixture(dir, 'n.csv', 'a,b\n1,2\n')]);
    expect(noText).toMatchObject({ code: 2, stderr: expect.stringMatching(/n\.csv: no text column found/) });
    expect(tunebench(dataDir, ['datasets', 'list', '--json']).stdout).toBe(before.list);
    expect(files(dataDir)).toEqual(before.files);
  });

  it('streams a few-MB file with progress on stderr', () => {
    const dataDir = tempDir();
    const csv = writeFixture(tempDir(), 'big.csv', bigCsv(60_000));
    const result = tunebench(dataDir, ['datasets', 'import', csv, '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ rows: 60_000, labels: ['a', 'b', 'c'], splits: { validation: 6000 } });
    expect(result.stderr).toMatch(/importing big\.csv \[[#-]+\]\s+\d+%/);
    expect(result.stderr).toMatch(/imported big: 60000 rows, task classify, 3 labels/);
    expect(files(dataDir).filter((f) => f.startsWith('staging'))).toEqual([]);
  });

  it('Ctrl+C cancels an import: exit 130, nothing written', async () => {
    const dataDir = tempDir();
    const csv = writeFixture(tempDir(), 'huge.csv', bigCsv(200_000));
    const child = spawn(process.execPath, [CLI, '--data-dir', dataDir, 'datasets', 'import', csv], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      if (!stderr) child.kill('SIGINT'); // at the first progress line
      stderr += d.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(130);
    expect(stderr).toMatch(/The import of huge\.csv was cancelled; nothing was written\./);
    expect(tunebenchJson(dataDir, ['datasets', 'list'])).toEqual([]);
    expect(files(dataDir)).toEqual([]);
  });
});
