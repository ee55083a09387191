// A run cut off when Tunebench stopped (the process killed mid-training) shows as interrupted, keeps its log, and
// trains on from its last checkpoint with one click on the Runs screen.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { RunDetail } from '../../common/domain';
import { assertBuilt, CLI, ROOT, startServe, tempDir, tunebenchJson } from '../helpers/cli';
import { corpusLines, writeFixture } from '../helpers/fixtures';

test('an interrupted run continues from its checkpoint', async ({ page }) => {
  assertBuilt();
  const dataDir = tempDir();
  const file = writeFixture(tempDir(), 'corpus.txt', `${corpusLines(300).join('\n')}\n`);
  const settings = ['steps=400', 'checkpointEvery=20', 'nLayer=1', 'dModel=32', 'contextLength=16', 'evalEvery=50'].flatMap((s) => ['--set', s]);
  const cli = spawn(process.execPath, [CLI, '--data-dir', dataDir, 'train', '--dataset', file, '--preset', 'quick', ...settings], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  cli.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-3000)));
  let detail: RunDetail | undefined;
  // Waits for the first checkpoint; if none comes, says what the CLI and the run were doing instead.
  const deadline = Date.now() + 120_000;
  for (;;) {
    const [run] = tunebenchJson<{ id: string }[]>(dataDir, ['runs', 'list']);
    detail = run ? tunebenchJson<RunDetail>(dataDir, ['runs', 'show', run.id]) : undefined;
    if (detail && detail.checkpoints.length > 0) break;
    if (cli.exitCode !== null || Date.now() > deadline) {
      const log = detail ? `run ${detail.status} at step ${detail.series.loss?.at(-1)?.step ?? 0}; its log: ${detail.logs.map((l) => l.message).join(' / ')}` : 'no run was created';
      throw new Error(`No checkpoint ${cli.exitCode === null ? 'after 120 s' : `before the CLI exited with ${cli.exitCode}`}: ${log}; the CLI's stderr ends: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  cli.kill('SIGKILL'); // the host dies; its trainer follows when the channel closes
  const runId = detail!.id;

  const server = await startServe(dataDir); // marks the orphaned run interrupted
  try {
    await page.goto(server.url);
    await page.getByRole('button', { name: 'Runs' }).click();
    const row = page.locator(`[data-run-id="${runId}"]`);
    await expect(row).toContainText('interrupted');
    await page.getByRole('button', { name: `Continue run ${runId} from its last checkpoint` }).click();
    await expect(page.getByTestId('run-status')).toContainText('completed', { timeout: 200_000 });
    await expect(page.getByTestId('run-log')).toContainText('Resuming after step');
    await page.screenshot({ path: join(ROOT, 'test-results', 'screens', 'run-continued.png'), fullPage: true });
  } finally {
    await server.stop();
  }
  const final = tunebenchJson<RunDetail>(dataDir, ['runs', 'show', runId]);
  expect(final.status).toBe('completed');
  expect(final.series.loss.at(-1)!.step).toBe(400);
});
