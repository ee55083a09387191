// The few-shot path a user clicks through, in Debian's Chromium against `tunebench serve`: drop a small labelled
// CSV, one "Fine-tune" click, the run completes with the settings it chose on screen, Evaluate shows accuracy and the
// confusion matrix, the Playground classifies a text, Export lists the files it wrote. One screenshot per screen.
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { assertBuilt, ROOT, startServe, tempDir } from '../helpers/cli';
import { dropFile } from '../helpers/dropFile';
import { sentimentCsv } from '../helpers/fixtures';

const SCREENS_DIR = join(ROOT, 'test-results', 'screens');

let server: Awaited<ReturnType<typeof startServe>>;
test.beforeAll(async () => {
  assertBuilt();
  server = await startServe(tempDir());
});
test.afterAll(async () => server?.stop());

const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name, exact: true });
const heading = (page: Page, name: string) => page.getByRole('heading', { level: 1, name, exact: true });
const shoot = (page: Page, name: string) => page.screenshot({ path: join(SCREENS_DIR, `${name}.png`), fullPage: true });

test('drop a labelled CSV, Fine-tune, evaluate, classify a text, export', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(server.url);

  // 12 examples per class, alternating positive / negative
  await dropFile(page, page.getByTestId('dataset-dropzone'), 'reviews.csv', sentimentCsv(24));
  await page.getByTestId('import-dataset').click();
  await expect(page.getByTestId('dataset-task')).toHaveText('classify');
  await page.getByRole('button', { name: 'Fine-tune', exact: true }).click();

  await expect(heading(page, 'Training')).toBeVisible();
  const status = page.getByTestId('run-status');
  await expect(status).toHaveText(/completed|failed|cancelled|interrupted/, { timeout: 180_000 });
  const runError = await page.getByTestId('run-error').textContent({ timeout: 1_000 }).catch(() => null);
  expect(await status.textContent(), `the run ended with: ${runError}`).toBe('completed');
  await expect(page.getByTestId('run-config-method')).toHaveText('setfit');
  await expect(page.getByTestId('run-config')).toContainText('GloVe');
  await shoot(page, 'fewshot-training');

  await nav(page, 'Evaluate').click();
  await expect(heading(page, 'Evaluate')).toBeVisible();
  // a finished run may already have been evaluated on its held-out split; Evaluate adds a report
  await expect(page.getByTestId('eval-report').or(page.getByTestId('eval-empty'))).toBeVisible();
  const reportsBefore = await page.getByLabel('Report', { exact: true }).locator('option').count();
  await page.getByRole('main').getByRole('button', { name: 'Evaluate', exact: true }).click();
  await expect(page.getByLabel('Report', { exact: true }).locator('option')).toHaveCount(reportsBefore + 1, { timeout: 60_000 });
  await expect(page.getByTestId('eval-accuracy')).toHaveText(/^\d+(\.\d)?%$/);
  // 24 rows leave too few for a validation split: the run trained on all of them and reports its cross-validation
  await expect(page.getByLabel('Report', { exact: true }).locator('option', { hasText: /cross-validated \(\d folds\)/ }).first()).toBeAttached();
  await expect(page.getByLabel('Examples', { exact: true }).locator('option').first()).toHaveText(/^Cross-validation on /);
  const matrix = page.getByRole('table', { name: /Confusion matrix/ });
  await expect(matrix.getByRole('columnheader', { name: 'predicted' })).toBeVisible();
  await expect(matrix.getByRole('columnheader', { name: 'true' })).toBeVisible();
  await expect(matrix.getByRole('rowheader')).toHaveText(['negative', 'positive']);
  await shoot(page, 'evaluate');

  await nav(page, 'Playground').click();
  await expect(heading(page, 'Playground')).toBeVisible();
  await page.getByLabel('Text to classify').fill('the film was wonderful, really lovely');
  await page.getByRole('button', { name: 'Classify', exact: true }).click();
  const bars = page.getByTestId('class-probabilities').getByRole('listitem');
  await expect(bars).toHaveCount(2, { timeout: 60_000 });
  await expect(bars.first()).toContainText('%');
  await shoot(page, 'playground-classify');

  await nav(page, 'Export').click();
  await expect(heading(page, 'Export')).toBeVisible();
  await page.getByRole('main').getByRole('button', { name: 'Export', exact: true }).click();
  const files = page.getByTestId('export-files');
  await expect(files).toContainText('model.safetensors', { timeout: 60_000 });
  await expect(files).toContainText('config.json');
  await expect(page.getByTestId('export-dir')).toContainText('exports');
  await shoot(page, 'export');
  expect(errors).toEqual([]);
});
