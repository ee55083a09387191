// Every screen's main path as a user walks it, in Debian's Chromium against the real `tunebench serve` (real
// services, trainer process and SQLite file): navigate by the named controls, import by dropping a file anywhere,
// change Model settings (and see a bad value refused), train two tiny runs and watch them, compare and delete runs,
// switch the theme, reload. Saves one screenshot per screen under test-results/screens/ for a reviewer.
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { assertBuilt, ROOT, startServe, tempDir } from '../helpers/cli';
import { dropFile } from '../helpers/dropFile';
import { corpusLines } from '../helpers/fixtures';

const SCREENS_DIR = join(ROOT, 'test-results', 'screens');
const SCREEN_NAMES = ['Datasets', 'Model', 'Training', 'Runs', 'Settings'] as const;
const TRAINING_TIMEOUT = 200_000;

let server: Awaited<ReturnType<typeof startServe>>;
let dataDir: string;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  assertBuilt();
  dataDir = tempDir();
  server = await startServe(dataDir);
});
test.afterAll(async () => server?.stop());

const nav = (page: Page, name: (typeof SCREEN_NAMES)[number]) =>
  page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name, exact: true });
const heading = (page: Page, name: string) => page.getByRole('heading', { level: 1, name, exact: true });
/**
 * A screenshot of the whole screen. The window is grown to the page's height first, so that what sticks to the
 * viewport (the sidebar, the Model screen's Train bar) is drawn where a user scrolling the page would see it.
 */
async function shoot(page: Page, name: string): Promise<void> {
  const viewport = page.viewportSize()!;
  await page.mouse.move(viewport.width - 2, viewport.height - 2); // no hover highlight in the picture
  for (let i = 0; i < 3; i++) {
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    if (height <= page.viewportSize()!.height) break;
    await page.setViewportSize({ width: viewport.width, height });
  }
  await page.waitForTimeout(250); // charts resize on the next frame
  await page.screenshot({ path: join(SCREENS_DIR, `${name}.png`) });
  await page.setViewportSize(viewport);
}


/** Sets Model fields by their labels, e.g. { Steps: '8' }. */
async function fillSettings(page: Page, values: Record<string, string>): Promise<void> {
  for (const [label, value] of Object.entries(values)) await page.getByRole('textbox', { name: label, exact: true }).fill(value);
}

/** Waits until the run on the Training screen has finished; fails with the trainer's error if it did not complete. */
async function expectRunCompleted(page: Page): Promise<void> {
  const status = page.getByTestId('run-status');
  await expect(status).toHaveText(/completed|failed|cancelled|interrupted/, { timeout: TRAINING_TIMEOUT });
  const error = await page.getByTestId('run-error').textContent({ timeout: 1_000 }).catch(() => null);
  expect(await status.textContent(), `the run ended with: ${error}`).toBe('completed');
}

async function trainFromModel(page: Page, values: Record<string, string>): Promise<string> {
  await nav(page, 'Model').click();
  await fillSettings(page, values);
  await page.getByTestId('start-training').click();
  await expect(heading(page, 'Training')).toBeVisible();
  await expectRunCompleted(page);
  return (await page.getByTestId('training-screen').getAttribute('data-run-id'))!;
}

function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (msg) => msg.type() === 'error' && errors.push(msg.text()));
  page.on('pageerror', (err) => errors.push(err.message));
  return errors;
}

test('Datasets: reached by name and by keyboard; a file dropped on another screen imports and is summarised', async ({ page }) => {
  const errors = collectPageErrors(page);
  await page.goto(server.url);
  await expect(heading(page, 'Datasets')).toBeVisible();
  await expect(page.getByTestId('datasets-empty')).toContainText('Drop a .txt');
  for (const name of SCREEN_NAMES) await expect(nav(page, name)).toBeVisible();

  // keyboard: the sidebar's controls come first in tab order and work with Enter
  await page.keyboard.press('Tab');
  await expect(nav(page, 'Datasets')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(nav(page, 'Model')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(heading(page, 'Model')).toBeVisible();

  // a drop anywhere in the window imports and opens Datasets
  await nav(page, 'Settings').click();
  await dropFile(page, page.getByTestId('settings-screen'), 'sentences.txt', corpusLines(300).join('\n'));
  await page.getByTestId('import-dataset').click();
  await expect(heading(page, 'Datasets')).toBeVisible();
  await expect(page.getByTestId('dataset-list')).toContainText('sentences');
  await expect(page.getByTestId('dataset-rows')).toHaveText('300');
  await expect(page.getByTestId('start-training')).toBeEnabled();

  await dropFile(page, page.getByTestId('dataset-dropzone'), 'empty.csv', '');
  await expect(page.getByTestId('import-error')).toContainText('empty.csv');
  await shoot(page, 'datasets');
  expect(errors).toEqual([]);
});

test('Settings: data directory, default backend and theme; a reload keeps the screen and the choices', async ({ page }) => {
  await page.goto(server.url);
  await nav(page, 'Settings').click();
  await expect(page.getByTestId('settings-data-dir')).toHaveText(dataDir);
  await page.getByLabel('Backend for new runs').selectOption('wasm');
  // a folder path names files on the server's machine: the browser says how to import instead
  await expect(page.getByLabel('Model folder')).toBeDisabled();
  await expect(page.getByTestId('imported-models')).toContainText('tunebench models import <folder>');

  await page.getByRole('radio', { name: 'Dark' }).check();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await shoot(page, 'settings-dark');
  await page.getByRole('radio', { name: 'Light' }).check();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await shoot(page, 'settings');

  await page.getByRole('radio', { name: 'Dark' }).check();
  await page.reload();
  await expect(heading(page, 'Settings')).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page.getByLabel('Backend for new runs')).toHaveValue('wasm');
  await nav(page, 'Model').click();
  await expect(page.getByRole('combobox', { name: 'Backend', exact: true })).toContainText('Settings default (wasm)');
  await shoot(page, 'model-dark');
});

test('Model and Training: a bad value is refused in place; a tiny run trains and its charts and log fill', async ({ page }) => {
  const errors = collectPageErrors(page);
  await page.goto(server.url);
  await nav(page, 'Model').click();
  await expect(heading(page, 'Model')).toBeVisible();

  const layers = page.getByRole('textbox', { name: 'Layers', exact: true });
  await layers.fill('99');
  await expect(page.locator('[data-field=nLayer]')).toContainText('Must be at most 48.');
  await expect(layers).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('start-training')).toBeDisabled();
  await page.getByRole('button', { name: /Reset Layers/ }).click();
  await expect(layers).toHaveValue('2');
  await expect(page.getByTestId('start-training')).toBeEnabled();

  await fillSettings(page, { Steps: '8', 'Log every': '1', 'Evaluate every': '4', 'Evaluation batches': '1' });
  await expect(page.getByTestId('start-training')).toBeEnabled();
  await shoot(page, 'model');

  await page.getByTestId('start-training').click();
  await expect(heading(page, 'Training')).toBeVisible();
  await expectRunCompleted(page);
  await expect(page.getByTestId('run-step')).toContainText('8');
  await expect(page.getByTestId('run-backend')).toHaveText(/wasm|cpu|webgpu|tensorflow/);
  await expect.poll(async () => Number(await page.getByTestId('loss-chart').getAttribute('data-points'))).toBeGreaterThanOrEqual(8);
  for (const chart of ['lr-chart', 'grad-norm-chart', 'tokens-chart']) {
    await expect.poll(async () => Number(await page.getByTestId(chart).getAttribute('data-points'))).toBeGreaterThan(0);
  }
  await expect(page.getByTestId('run-log')).toContainText('training on');
  await shoot(page, 'training');
  expect(errors).toEqual([]);
});

test('Training stays responsive with 100k points: each redraw is timed in Chromium', async ({ page }) => {
  await page.addInitScript(() => window.localStorage.setItem('tunebench.debug', '1'));
  await page.goto(server.url);
  await nav(page, 'Training').click();
  const runId = await page.getByTestId('training-screen').getAttribute('data-run-id');
  expect(runId).toBeTruthy();
  await expect.poll(async () => Number(await page.getByTestId('loss-chart').getAttribute('data-points'))).toBeGreaterThanOrEqual(8);
  const measured = await page.evaluate(async (id) => {
    const debug = (window as unknown as { tunebenchDebug: { pushSyntheticPoints(runId: string, count: number): number } }).tunebenchDebug;
    const chart = document.querySelector<HTMLElement>('[data-testid=loss-chart]')!;
    const frame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));
    const draws: number[] = [];
    const gaps: number[] = [];
    for (let batch = 0; batch < 50; batch++) {
      debug.pushSyntheticPoints(id!, 2_000); // the live path: series outside React, then one version bump
      const before = await frame();
      const after = await frame();
      gaps.push(after - before);
      draws.push(Number(chart.dataset.drawMs));
    }
    return { draws, gaps, points: Number(chart.dataset.points) };
  }, runId);
  const sorted = [...measured.draws].sort((a, b) => a - b);
  const summary = `loss chart redraw at 2k…100k points: median ${sorted[sorted.length >> 1]} ms, max ${sorted.at(-1)} ms, last ${measured.draws.at(-1)} ms; longest frame ${Math.max(...measured.gaps).toFixed(1)} ms`;
  test.info().annotations.push({ type: 'chart performance', description: summary });
  console.log(summary);
  expect(measured.points).toBeGreaterThanOrEqual(100_000);
});

test('Runs: the history table, two runs overlaid with their settings diff, open, and delete after confirming', async ({ page }) => {
  const errors = collectPageErrors(page);
  await page.goto(server.url);
  const second = await trainFromModel(page, { Steps: '6', 'Learning rate': '0.01', 'Log every': '1', 'Evaluate every': '3', 'Evaluation batches': '1' });

  await nav(page, 'Runs').click();
  await expect(heading(page, 'Runs')).toBeVisible();
  const rows = page.getByTestId('run-row');
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toContainText('sentences');
  await expect(rows.first()).toContainText('completed');

  for (const box of await page.getByRole('checkbox', { name: /^Compare run/ }).all()) await box.check();
  // both runs' train loss (8 + 6 steps, one point a step) on one chart
  await expect.poll(async () => Number(await page.getByTestId('compare-chart').getAttribute('data-points'))).toBeGreaterThanOrEqual(14);
  const diff = page.getByTestId('config-diff');
  await expect(diff.locator('tr[data-differs=true]')).toContainText(['steps', 'learningRate']);
  await expect(diff.locator('tr', { hasText: 'nLayer' })).toHaveAttribute('data-differs', 'false');
  await shoot(page, 'runs');

  await page.getByRole('button', { name: `Open run ${second} in Training` }).click();
  await expect(page.getByTestId('training-screen')).toHaveAttribute('data-run-id', second);

  await nav(page, 'Runs').click();
  await page.getByRole('button', { name: `Delete run ${second}` }).click();
  const dialog = page.getByRole('dialog', { name: `Delete run ${second}?` });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Keep it' }).click();
  await expect(rows).toHaveCount(2);
  await page.getByRole('button', { name: `Delete run ${second}` }).click();
  await dialog.getByRole('button', { name: 'Delete run' }).click();
  await expect(rows).toHaveCount(1);
  await expect(page.locator(`[data-run-id="${second}"]`)).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('every screen fits without sideways scrolling from 1024×700 to 3840×2160', async ({ page }) => {
  await page.goto(server.url);
  for (const size of [
    { width: 1024, height: 700 },
    { width: 3840, height: 2160 },
  ]) {
    await page.setViewportSize(size);
    for (const name of SCREEN_NAMES) {
      await nav(page, name).click();
      await expect(heading(page, name)).toBeVisible();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${name} at ${size.width}×${size.height}`).toBeLessThanOrEqual(0);
    }
  }
  await page.setViewportSize({ width: 1024, height: 700 });
  await nav(page, 'Runs').click();
  await shoot(page, 'runs-1024x700');
  await page.setViewportSize({ width: 3840, height: 2160 });
  await nav(page, 'Training').click();
  await shoot(page, 'training-3840x2160');

  await page.setViewportSize({ width: 1280, height: 800 });
  await nav(page, 'Settings').click();
  await page.getByRole('radio', { name: 'Dark' }).check();
  for (const name of ['Training', 'Runs'] as const) {
    await nav(page, name).click();
    await shoot(page, `${name.toLowerCase()}-dark`);
  }
});
