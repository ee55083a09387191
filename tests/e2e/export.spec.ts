// Export, in Debian's Chromium against `tunebench serve`, on a few-shot run trained with the CLI first: both formats
// write a folder whose files are listed with their sizes; the screen fits a 1024×700 window in both themes.
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { assertBuilt, ROOT, startServe, tempDir, tunebenchJson } from '../helpers/cli';
import { sentimentCsv, writeFixture } from '../helpers/fixtures';

const SCREENS_DIR = join(ROOT, 'test-results', 'screens');

let server: Awaited<ReturnType<typeof startServe>>;
let runId: string;
test.beforeAll(async () => {
  assertBuilt();
  const dataDir = tempDir();
  const csv = writeFixture(tempDir('tunebench-fixture-'), 'reviews.csv', sentimentCsv(24));
  runId = tunebenchJson<{ runId: string }>(dataDir, ['train', '--dataset', csv, '--preset', 'few-shot']).runId;
  server = await startServe(dataDir);
});
test.afterAll(async () => server?.stop());

const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name, exact: true });
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

test('export a run as a safetensors folder and as TensorFlow.js', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(server.url);
  await nav(page, 'Export').click();
  await expect(page.getByLabel('Run', { exact: true })).toHaveValue(runId);

  const exportButton = page.getByRole('main').getByRole('button', { name: 'Export', exact: true });
  await exportButton.click();
  await expect(page.getByTestId('export-dir')).toContainText(`${runId}-safetensors`, { timeout: 60_000 });
  await expect(page.getByTestId('export-files')).toContainText('model.safetensors');

  await page.getByRole('radio', { name: /TensorFlow\.js/ }).check();
  await exportButton.click();
  await expect(page.getByTestId('export-dir')).toContainText(`${runId}-tfjs`, { timeout: 60_000 });
  await expect(page.getByTestId('export-files')).toContainText('model.json');
  await expect(page.getByTestId('export-files').locator('tfoot')).toContainText('files');

  for (const name of ['Evaluate', 'Playground', 'Export']) {
    await page.setViewportSize({ width: 1024, height: 700 });
    await nav(page, name).click();
    expect(await overflow(page), `${name} at 1024×700`).toBeLessThanOrEqual(0);
  }
  await nav(page, 'Settings').click();
  await page.getByRole('radio', { name: 'Dark' }).check();
  await nav(page, 'Export').click();
  await page.screenshot({ path: join(SCREENS_DIR, 'export-dark-1024x700.png'), fullPage: true });
  await nav(page, 'Evaluate').click();
  await expect(page.getByTestId('confusion-matrix')).toBeVisible();
  await page.screenshot({ path: join(SCREENS_DIR, 'evaluate-dark-1024x700.png'), fullPage: true });
  expect(errors).toEqual([]);
});
