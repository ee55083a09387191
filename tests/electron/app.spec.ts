// The packaged shell itself: window security settings, the preload bridge, and one training run through IPC.
import { join } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { tempDir } from '../helpers/cli';
import { corpusLines, writeFixture } from '../helpers/fixtures';

const root = join(__dirname, '..', '..');

test('the window is isolated and trains a dropped file through IPC', async ({}, testInfo) => {
  const app = await electron.launch({
    executablePath: process.env.TUNEBENCH_ELECTRON_BINARY,
    args: [root, '--data-dir', tempDir()],
  });
  try {
    const page = await app.firstWindow();
    // app.enableSandbox() sandboxes every renderer; contextIsolation + no nodeIntegration leave the page without Node.
    expect(await app.evaluate(({ app }) => app.commandLine.hasSwitch('enable-sandbox'))).toBe(true);
    expect(await page.evaluate(() => typeof (window as unknown as { process?: unknown }).process)).toBe('undefined');
    expect(await page.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined');
    expect(await page.evaluate(() => Object.keys((window as unknown as { workbench: object }).workbench).sort())).toEqual(['call', 'on', 'pathForFile']);

    const file = writeFixture(tempDir(), 'sentences.txt', corpusLines(200).join('\n'));
    await page.getByTestId('dataset-dropzone').locator('input[type=file]').setInputFiles(file);
    await expect(page.getByTestId('dataset-dropzone')).toContainText('sentences');
    await page.getByTestId('start-training').click();
    await expect.poll(async () => Number(await page.getByTestId('loss-chart').getAttribute('data-points')), { timeout: 120_000 }).toBeGreaterThan(3);
    await page.screenshot({ path: testInfo.outputPath('electron-train.png') });
  } finally {
    await app.close();
  }
});
