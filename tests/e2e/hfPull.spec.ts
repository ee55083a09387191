// The Settings screen's Hugging Face panel in Chromium against the real `tunebench serve`, whose HF_ENDPOINT is a
// local stand-in for the Hub (tests/helpers/fakeHub.ts, 127.0.0.1) serving a random-weight SmolLM2-layout model: a
// name typed and downloaded with a progress bar (bytes, speed, ETA) slowed enough to see, a second download
// cancelled, a refusal shown in one sentence, a search of the Hub whose result downloads in one click, and the
// downloaded model offered as a base on the Model screen.
// Needs Debian's python3-torch (make_hf_model.py) and ../shared/data (the tokenizer files); skips without them.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { assertBuilt, ROOT, startServe, tempDir } from '../helpers/cli';
import { repoFromFolder, startFakeHub, type FakeHub } from '../helpers/fakeHub';
import { familyTokenizer, GPT2_BPE_DIR, writeFamilyTokenizer } from '../helpers/familyTokenizers';
import { makeHfModel, torchAvailable } from '../helpers/hfReference';

const SCREENS_DIR = join(ROOT, 'test-results', 'screens');
const ready = torchAvailable && existsSync(GPT2_BPE_DIR);

let hub: FakeHub;
let server: Awaited<ReturnType<typeof startServe>>;

test.describe.configure({ mode: 'serial' });
test.skip(!ready, 'needs python3-torch (make_hf_model.py) and ../shared/data/tokenizers/gpt2-bpe');

test.beforeAll(async () => {
  assertBuilt();
  const folder = makeHfModel({ shape: 'smollm2-135m', layers: 1, vocab: 640, dtype: 'bf16' });
  writeFamilyTokenizer(folder, familyTokenizer('smollm2', 640));
  hub = await startFakeHub({ 'tb-test/smol': repoFromFolder(folder, '7'.repeat(40)), 'tb-test/other': repoFromFolder(folder, '8'.repeat(40)) });
  const saved = { HF_ENDPOINT: process.env.HF_ENDPOINT, HF_HUB_CACHE: process.env.HF_HUB_CACHE, HF_TOKEN: process.env.HF_TOKEN };
  process.env.HF_ENDPOINT = hub.url;
  process.env.HF_HUB_CACHE = tempDir('tb-e2e-hub-');
  delete process.env.HF_TOKEN;
  try {
    server = await startServe(tempDir());
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});
test.afterAll(async () => {
  await server?.stop();
  await hub?.close();
});

test('Settings: download a model by name with progress, cancel another, and find it among the bases on the Model screen', async ({ page }) => {
  await page.goto(server.url);
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Settings', exact: true }).click();
  const panel = page.getByTestId('hf-models');
  await expect(panel).toContainText('Nothing in the Hugging Face cache yet');
  const field = page.getByLabel('Find or download a model');

  // a name the Hub does not have: one sentence
  await field.fill('tb-test/missing');
  await panel.getByRole('button', { name: 'Download' }).click();
  await expect(panel.getByRole('alert')).toContainText('There is no model tb-test/missing on http://127.0.0.1:');

  // slowed to a few seconds, so the bar shows bytes, speed and time left
  hub.knobs.bytesPerSecond = 1_500_000;
  await field.fill('tb-test/smol');
  await panel.getByRole('button', { name: 'Download' }).click();
  const progress = page.getByTestId('hf-pull-progress');
  await expect(progress).toContainText(/model\.safetensors · [\d.]+ (KB|MB) of [\d.]+ MB · [\d.]+ (KB|MB)\/s · [\d.]+ s left/, { timeout: 30_000 });
  mkdirSync(SCREENS_DIR, { recursive: true });
  await panel.screenshot({ path: join(SCREENS_DIR, 'settings-hf-pull.png') });
  await expect(panel.getByRole('status').last()).toContainText('Downloaded tb-test/smol: hf:tb-test/smol is now a base on the Model screen.', { timeout: 60_000 });
  await expect(page.getByTestId('hf-models-list')).toContainText('hf:tb-test/smol');
  await expect(page.getByTestId('hf-models-list')).toContainText('Llama');

  // another, cancelled part-way: what arrived is kept
  hub.knobs.bytesPerSecond = 300_000;
  await field.fill('tb-test/other');
  await panel.getByRole('button', { name: 'Download' }).click();
  await expect(progress).toContainText(/MB\/s|KB\/s/, { timeout: 30_000 });
  await panel.getByRole('button', { name: 'Cancel' }).click();
  await expect(panel).toContainText('The download of tb-test/other was cancelled; what arrived is kept', { timeout: 30_000 });
  await expect(panel).toContainText('No cached model matches.'); // the field filters what the cache has
  await field.fill('');
  await expect(page.getByTestId('hf-models-list')).toContainText('hf:tb-test/smol');
  await expect(page.getByTestId('hf-models-list')).not.toContainText('tb-test/other');
  hub.knobs.bytesPerSecond = 0;

  // words instead of a name: the Hub's search, each result a click from downloading (the cancelled one resumes)
  await field.fill('tb-test');
  await panel.getByRole('button', { name: 'Search the Hub' }).click();
  const results = page.getByTestId('hf-search-results');
  await expect(results).toContainText('tb-test/smol');
  await expect(results).toContainText('tb-test/other');
  await results.getByRole('button', { name: 'Download tb-test/other' }).click();
  await expect(panel.getByRole('status').last()).toContainText('Downloaded tb-test/other: hf:tb-test/other is now a base on the Model screen.', { timeout: 60_000 });
  await field.fill('nothing-like-it');
  await panel.getByRole('button', { name: 'Search the Hub' }).click();
  await expect(results).toContainText('No text-generation model on the Hub matches “nothing-like-it”.');
  expect(hub.requests.some((r) => r.path.startsWith('/api/models?') && r.path.includes('search=tb-test'))).toBe(true);

  // the downloaded model is a base choice
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Model', exact: true }).click();
  await expect(page.getByRole('radio', { name: /tb-test\/smol/ })).toBeVisible();
});
