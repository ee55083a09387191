// The import review, in Debian's Chromium against `tunebench serve`: drop a file of each kind, see what was detected
// and the first rows under the right column names, change the mapping, preview preprocessing, import.
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { assertBuilt, ROOT, startServe, tempDir } from '../helpers/cli';
import { dropFile } from '../helpers/dropFile';

let server: Awaited<ReturnType<typeof startServe>>;
test.beforeAll(async () => {
  assertBuilt();
  server = await startServe(tempDir());
});
test.afterAll(async () => server?.stop());

const GOOD = ['A wonderful film', 'Great acting here', 'Lovely Music', 'A brilliant ending', 'Delightful story'];
const BAD = ['A terrible film', 'Awful acting here', 'Boring Music', 'A dreadful ending', 'Painful story'];
const reviews = Array.from({ length: 30 }, (_, i) => ({ text: `${(i % 2 ? BAD : GOOD)[i % 5]} number ${i}`, label: i % 2 ? 'neg' : 'pos' }));

function utf16WithBom(text: string): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
}

async function parquet(): Promise<Buffer> {
  const { parquetWriteBuffer } = await import('hyparquet-writer');
  const buffer = parquetWriteBuffer({
    columnData: [
      { name: 'review', data: reviews.map((r) => r.text), type: 'STRING' },
      { name: 'sentiment', data: reviews.map((r) => r.label), type: 'STRING' },
    ],
  });
  return Buffer.from(new Uint8Array(buffer));
}

interface Kind {
  name: string;
  file: () => Buffer | Promise<Buffer>;
  columns: string[];
  task: string;
  format: string;
}

const KINDS: Kind[] = [
  { name: 'reviews.csv', format: 'csv', task: 'classify', columns: ['text', 'label'], file: () => Buffer.from(['text,label', ...reviews.map((r) => `"${r.text}",${r.label}`)].join('\n')) },
  { name: 'semicolon.csv', format: 'csv', task: 'classify', columns: ['review', 'label'], file: () => Buffer.from(['review;label', ...reviews.map((r) => `${r.text};${r.label}`)].join('\n')) },
  { name: 'noheader.tsv', format: 'tsv', task: 'classify', columns: ['column1', 'column2'], file: () => Buffer.from(reviews.map((r) => `${r.text}\t${r.label}`).join('\n')) },
  { name: 'pairs.jsonl', format: 'jsonl', task: 'pairs', columns: ['prompt', 'completion'], file: () => Buffer.from(reviews.map((r) => JSON.stringify({ prompt: `Review: ${r.text}`, completion: `That review sounds ${r.label === "pos" ? "happy and warm" : "unhappy and cold"} to me, in reply ${r.text.length}-${r.text}.` })).join('\n')) },
  { name: 'tasks.json', format: 'json', task: 'instruction', columns: ['instruction', 'input', 'output'], file: () => Buffer.from(JSON.stringify(reviews.map((r) => ({ instruction: 'Classify the review', input: r.text, output: r.label })))) },
  { name: 'reviews.parquet', format: 'parquet', task: 'classify', columns: ['review', 'sentiment'], file: parquet },
  { name: 'corpus.txt', format: 'txt', task: 'generate', columns: ['text'], file: () => Buffer.from(reviews.map((r) => r.text).join('\n')) },
  { name: 'utf16.csv', format: 'csv', task: 'classify', columns: ['text', 'label'], file: () => utf16WithBom(['text,label', ...reviews.map((r) => `${r.text},${r.label}`)].join('\r\n')) },
];

async function choose(page: Page, name: string, buffer: Buffer): Promise<void> {
  await page.getByTestId('dataset-dropzone').locator('input[type=file]').setInputFiles({ name, mimeType: 'application/octet-stream', buffer });
}


const previewColumns = (page: Page) => page.getByTestId('dataset-preview').locator('thead th').evaluateAll((ths) => ths.map((th) => th.getAttribute('data-column')));

test('each kind of file shows its columns and task in the review', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url);
  for (const [i, kind] of KINDS.entries()) {
    const buffer = await kind.file();
    if (i % 2) await dropFile(page, page.getByTestId('dataset-dropzone'), kind.name, buffer);
    else await choose(page, kind.name, buffer);
    const review = page.getByTestId('import-review');
    await expect(review.getByRole('heading')).toContainText(kind.name);
    await expect(page.getByTestId('import-task'), kind.name).toHaveText(kind.task);
    await expect(page.getByTestId('import-detected'), kind.name).toContainText(kind.format);
    await expect.poll(() => previewColumns(page), { message: kind.name }).toEqual(kind.columns);
    await expect(page.getByTestId('dataset-preview').locator('tbody tr').first()).toBeVisible();
  }
  expect(errors).toEqual([]);
});

test('change the mapping, preview lowercase, import with a split, see the summary', async ({ page }) => {
  await page.goto(server.url);
  const csv = ['id,title,body,label', ...reviews.map((r, i) => `${i},Title ${i},"${r.text}",${r.label}`)].join('\n');
  await dropFile(page, page.getByTestId('dataset-dropzone'), 'mapped.csv', Buffer.from(csv));
  await expect(page.getByTestId('import-task')).toHaveText('classify');
  await expect.poll(() => previewColumns(page)).toEqual(['id', 'title', 'body', 'label']);

  // map the text role to another column: inspect runs again and the preview marks the new column
  await page.getByLabel('Column for text').selectOption('title');
  await expect(page.getByTestId('dataset-preview').locator('th.is-mapped[data-column="title"]')).toBeVisible();
  await page.getByLabel('Column for text').selectOption('body');
  await expect(page.getByTestId('dataset-preview').locator('th.is-mapped[data-column="body"]')).toBeVisible();
  await expect(page.getByTestId('dataset-preview').locator('th.is-mapped[data-column="title"]')).toHaveCount(0);

  // lowercase: the after-column of the recipe preview is lower-cased
  await expect(page.getByTestId('recipe-after').first()).toContainText('A wonderful film');
  await page.getByLabel('Lowercase').check();
  await expect(page.getByTestId('recipe-after').first()).toContainText('a wonderful film');

  await page.getByLabel('train fraction').fill('0.8');
  await page.getByLabel('validation fraction').fill('0.2');
  await page.getByLabel('Seed').fill('7');
  await page.screenshot({ path: join(ROOT, 'test-results', 'screens', 'datasets-review.png'), fullPage: true });
  await page.setViewportSize({ width: 1024, height: 700 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
  await page.setViewportSize({ width: 1280, height: 800 });

  await page.getByTestId('import-dataset').click();
  await expect(page.getByTestId('import-review')).toHaveCount(0);
  await expect(page.getByTestId('dataset-list')).toContainText('mapped');
  await expect(page.getByTestId('dataset-rows')).toHaveText('30');
  await expect(page.getByTestId('dataset-dropzone')).toContainText('classify');
  await expect(page.getByTestId('start-training')).toBeEnabled();
  await page.screenshot({ path: join(ROOT, 'test-results', 'screens', 'datasets-imported.png'), fullPage: true });
});

test('a file that cannot be read says so in place', async ({ page }) => {
  await page.goto(server.url);
  await dropFile(page, page.getByTestId('dataset-dropzone'), 'empty.csv', Buffer.alloc(0));
  await expect(page.getByRole('alert')).toContainText('empty.csv');
  await expect(page.getByTestId('import-review')).toHaveCount(0);
});
