// The Model screen's memory and time estimate, in Debian's Chromium against `tunebench serve`: it appears for a
// pretrained base and follows the settings, and a batch that would not fit shows the refusal with what would.
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { ROOT } from '../helpers/cli';
import { dropFile } from '../helpers/dropFile';
import { corpusLines } from '../helpers/fixtures';
import { nav, servedApp } from '../helpers/servedApp';

const url = servedApp();

test('the estimate follows the settings and refuses a batch that would not fit', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(url());
  await dropFile(page, page.getByTestId('dataset-dropzone'), 'stories.txt', corpusLines(60).join('\n'));
  await page.getByTestId('import-dataset').click();
  await expect(page.getByTestId('dataset-dropzone')).toContainText('stories');

  await nav(page, 'Model').click();
  await page.getByRole('radio', { name: /stories260K/ }).check();
  const estimate = page.getByTestId('estimate');
  await expect(estimate).toContainText(/Memory: about \d+ MiB at the peak/);
  await expect(estimate).toContainText(/Time: about .* a step/);
  const before = await estimate.textContent();

  await page.getByLabel(/^Batch size/).fill('4096');
  await page.getByLabel(/^Context length/).fill('512');
  await expect(page.getByTestId('estimate-refusal')).toContainText(/This run needs about .* GiB.*what would fit: --set batchSize=\d+/);
  expect(await estimate.textContent()).not.toBe(before);
  await page.screenshot({ path: join(ROOT, 'test-results', 'screens', 'model-estimate.png'), fullPage: true });
  expect(errors).toEqual([]);
});
