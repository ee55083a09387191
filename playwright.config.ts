import { defineConfig } from '@playwright/test';
import { findBrowser, NO_BROWSER } from './tests/setup/browser';

// TUNEBENCH_CHROMIUM, a system Chromium, Chrome or Edge, or Playwright's own download; `npm test` runs
// tests/setup/browser.js first, which gets one where none exists.
const browser = findBrowser();
if (!browser) throw new Error(NO_BROWSER);

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results/e2e',
  timeout: 240_000,
  expect: { timeout: 30_000 },
  workers: 1,
  reporter: [['list']],
  use: {
    headless: true,
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: browser.path,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    },
  },
});
