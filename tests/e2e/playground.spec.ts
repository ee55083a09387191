// The Playground with the built-in stories260K, in Debian's Chromium against `tunebench serve`: greedy generation
// streams its tokens into the page (counted on the WebSocket) and ends with the whole continuation; the same prompt
// and settings give the same text again.
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { assertBuilt, ROOT, startServe, tempDir } from '../helpers/cli';

let server: Awaited<ReturnType<typeof startServe>>;
test.beforeAll(async () => {
  assertBuilt();
  server = await startServe(tempDir());
});
test.afterAll(async () => server?.stop());

test('stories260K continues a prompt greedily, streaming token by token', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  let tokenEvents = 0;
  page.on('websocket', (ws) => ws.on('framereceived', (frame) => void (String(frame.payload).includes('"playground.onDidToken"') && tokenEvents++)));
  await page.goto(server.url);
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Playground', exact: true }).click();
  await expect(page.getByTestId('playground-no-runs')).toBeVisible();
  await expect(page.getByLabel('Model', { exact: true })).toHaveValue('builtin:stories260k');

  await page.getByLabel('Prompt').fill('Once upon a time');
  await page.getByRole('textbox', { name: 'Max tokens' }).fill('24');
  await page.getByRole('button', { name: 'Generate', exact: true }).click();
  const output = page.getByTestId('generation-output');
  await expect(output).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  const text = await page.getByTestId('generation-output-text').textContent();
  expect(text?.trim().length).toBeGreaterThan(0);
  expect(tokenEvents).toBeGreaterThan(1);
  await expect(output).toContainText('tokens; stopped because');
  await page.screenshot({ path: join(ROOT, 'test-results', 'screens', 'playground.png'), fullPage: true });

  await page.getByRole('button', { name: 'Generate', exact: true }).click();
  await expect(output).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  await expect(page.getByTestId('generation-output-text')).toHaveText(text!);
  expect(errors).toEqual([]);
});
