// A user's first minute, in Debian's Chromium against `tunebench serve`: drop a file, click Train, watch the chart.
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { assertBuilt, ROOT, startServe, tempDir } from '../helpers/cli';
import { dropFile } from '../helpers/dropFile';
import { corpusLines, sentimentCsv } from '../helpers/fixtures';

let server: Awaited<ReturnType<typeof startServe>>;

test.beforeAll(async () => {
  assertBuilt();
  server = await startServe(tempDir());
});
test.afterAll(async () => server?.stop());


test('drop a text file, train, and see the loss drawn live', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (msg) => msg.type() === 'error' && errors.push(msg.text()));
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(server.url);
  await expect(page.getByTestId('dataset-dropzone')).toBeVisible();

  await dropFile(page, page.getByTestId('dataset-dropzone'), 'sentences.txt', corpusLines(300).join('\n'));
  await page.getByTestId('import-dataset').click();
  await expect(page.getByTestId('dataset-dropzone')).toContainText('sentences');
  await expect(page.getByTestId('dataset-dropzone')).toContainText('300');

  await page.getByTestId('start-training').click();
  const chart = page.getByTestId('loss-chart');
  await expect.poll(async () => Number(await chart.getAttribute('data-points')), { timeout: 120_000 }).toBeGreaterThan(3);
  await expect(page.getByTestId('run-backend')).toContainText(/wasm|cpu|webgpu|tensorflow/);
  await expect(page.getByTestId('run-status')).toContainText('completed', { timeout: 200_000 });
  await page.screenshot({ path: join(ROOT, 'test-results', 'screens', 'train-completed.png'), fullPage: true });
  expect(errors).toEqual([]);
});

test('a bad file shows one sentence where it was dropped, and a CSV picked with the file chooser imports', async ({ page }) => {
  await page.goto(server.url);
  await dropFile(page, page.getByTestId('dataset-dropzone'), 'empty.csv', '');
  await expect(page.getByRole('alert')).toContainText('empty.csv is empty');

  await page.getByTestId('dataset-dropzone').locator('input[type=file]').setInputFiles({
    name: 'reviews.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(sentimentCsv(40)),
  });
  await page.getByTestId('import-dataset').click();
  await expect(page.getByTestId('dataset-dropzone')).toContainText('reviews');
  await expect(page.getByTestId('dataset-dropzone')).toContainText('classify');
  await expect(page.getByTestId('start-training')).toBeEnabled();
  await page.screenshot({ path: join(ROOT, 'test-results', 'screens', 'dataset-imported.png'), fullPage: true });
});
