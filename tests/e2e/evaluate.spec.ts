// Evaluate, in Debian's Chromium against `tunebench serve`: the empty state says what to do; the Model screen refuses
// a base that does not suit the dataset and its Fine-tune starts the few-shot run; the run is then scored on another
// imported dataset and that report is listed and shown. A stories260K fine-tune shows perplexity before and after
// and samples side by side, and the Playground continues a prompt with it and with the base model.
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { assertBuilt, ROOT, startServe, tempDir } from '../helpers/cli';
import { dropFile } from '../helpers/dropFile';
import { corpusLines, sentimentCsv } from '../helpers/fixtures';

const SCREENS_DIR = join(ROOT, 'test-results', 'screens');

let server: Awaited<ReturnType<typeof startServe>>;
test.beforeAll(async () => {
  assertBuilt();
  server = await startServe(tempDir());
});
test.afterAll(async () => server?.stop());

const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name, exact: true });
const heading = (page: Page, name: string) => page.getByRole('heading', { level: 1, name, exact: true });

async function importCsv(page: Page, name: string, csv: string): Promise<void> {
  await dropFile(page, page.getByTestId('dataset-dropzone'), name, csv);
  await page.getByTestId('import-dataset').click();
  await expect(page.getByTestId('dataset-name')).toHaveText(name.replace(/\.csv$/, ''));
}

test('empty state, base model validation, Fine-tune from Model, evaluate on another dataset', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(server.url);
  await nav(page, 'Evaluate').click();
  await expect(page.getByTestId('evaluate-empty')).toContainText('Fine-tune');
  await page.screenshot({ path: join(SCREENS_DIR, 'evaluate-empty.png'), fullPage: true });

  await nav(page, 'Datasets').click();
  await importCsv(page, 'holdout.csv', sentimentCsv(16, 7));
  await importCsv(page, 'reviews.csv', sentimentCsv(24));

  await nav(page, 'Model').click();
  await expect(heading(page, 'Model')).toBeVisible();
  await page.getByRole('radio', { name: /stories260K/ }).check();
  await expect(page.locator('[data-field=base]')).toContainText('this dataset has labels');
  await expect(page.getByTestId('start-training')).toBeDisabled();
  await page.getByRole('radio', { name: 'SetFit' }).check();
  await expect(page.locator('[data-field=method]')).toContainText('glove-6b-100d');
  await page.screenshot({ path: join(SCREENS_DIR, 'model-base-invalid.png'), fullPage: true });
  await page.getByRole('button', { name: 'Reset all to quick preset' }).click();
  await expect(page.locator('[data-field=base]')).not.toContainText('this dataset has labels');

  await page.getByRole('button', { name: 'Fine-tune', exact: true }).click();
  await expect(heading(page, 'Training')).toBeVisible();
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 180_000 });

  await nav(page, 'Evaluate').click();
  await page.getByLabel('Examples', { exact: true }).selectOption({ label: 'holdout' });
  await page.getByRole('main').getByRole('button', { name: 'Evaluate', exact: true }).click();
  const reports = page.getByLabel('Report', { exact: true });
  await expect(reports.locator('option:checked')).toContainText('holdout, ', { timeout: 60_000 }); // the newest is shown
  await expect(page.getByTestId('per-class-table').locator('tbody tr')).toHaveCount(2);
  await page.screenshot({ path: join(SCREENS_DIR, 'evaluate-other-dataset.png'), fullPage: true });
  expect(errors).toEqual([]);
});

test('a stories260K fine-tune: perplexity before and after, samples side by side, and the Playground compares with base', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(server.url);
  await nav(page, 'Datasets').click();
  await dropFile(page, page.getByTestId('dataset-dropzone'), 'sentences.txt', corpusLines(60).join('\n'));
  await page.getByTestId('import-dataset').click();
  await expect(page.getByTestId('dataset-name')).toHaveText('sentences');

  // the few-shot preset, shortened on the Model screen: it picks stories260K for a text dataset
  await nav(page, 'Model').click();
  await page.getByRole('radio', { name: 'Few-shot' }).check();
  await expect(page.getByRole('radio', { name: /stories260K/ })).toBeChecked();
  await page.getByRole('textbox', { name: 'Steps', exact: true }).fill('8');
  await page.getByRole('textbox', { name: 'Evaluate every', exact: true }).fill('4');
  await page.getByTestId('start-training').click();
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 180_000 });
  await expect(page.getByTestId('run-config-base')).toContainText('stories260K');

  await nav(page, 'Evaluate').click();
  await page.getByRole('main').getByRole('button', { name: 'Evaluate', exact: true }).click();
  const table = page.getByTestId('eval-perplexity');
  await expect(table.getByRole('columnheader', { name: 'Before (base)' })).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId('eval-perplexity-tuned')).toHaveText(/^\d+(\.\d+)?$/);
  await expect(page.getByTestId('eval-samples').getByRole('listitem').first()).toContainText('Tuned');
  await page.screenshot({ path: join(SCREENS_DIR, 'evaluate-generation.png'), fullPage: true });

  await nav(page, 'Playground').click();
  await page.getByLabel('Prompt').fill('the cat');
  await page.getByRole('textbox', { name: 'Max tokens' }).fill('12');
  await page.getByRole('checkbox', { name: 'Compare with base' }).check();
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
  await expect(page.getByTestId('generation-output')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  await expect(page.getByTestId('generation-base-output')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  await page.screenshot({ path: join(SCREENS_DIR, 'playground-compare.png'), fullPage: true });
  expect(errors).toEqual([]);
});
