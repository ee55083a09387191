// The run service with a real trainer process and a real SQLite file: status, persistence and events stay honest
// when a run is paused, cancelled, or its process dies.
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resolveTrainConfig } from '../../common/config';
import type { EventPayload } from '../../common/contracts';
import { createServices, type Services } from '../../main/services';
import { forkLauncher, type TrainerConnection } from '../../main/services/trainerProcess';
import { assertBuilt, ROOT, tempDir } from '../helpers/cli';
import { corpusLines, writeFixture } from '../helpers/fixtures';

const TRAINER = join(ROOT, 'out', 'main', 'trainer.js');

function setup(): { services: Services; connections: TrainerConnection[] } {
  const connections: TrainerConnection[] = [];
  const launch = forkLauncher(TRAINER);
  const services = createServices({
    dataDir: tempDir(),
    resourcesDir: join(ROOT, 'resources'),
    launchTrainer: () => {
      const conn = launch();
      connections.push(conn);
      return conn;
    },
  });
  return { services, connections };
}

async function importCorpus(services: Services): Promise<string> {
  const file = writeFixture(tempDir(), 'corpus.txt', `${corpusLines(200).join('\n')}\n`);
  return (await services.datasets.importFile(file)).id;
}

const small = { steps: 400, nLayer: 1, dModel: 32, contextLength: 32, batchSize: 8, evalEvery: 50, logEvery: 1 };

function firstMetrics(services: Services, runId: string): Promise<EventPayload<'runs.onDidMetrics'>> {
  return new Promise((resolve) => {
    const off = services.events.on('runs.onDidMetrics', (payload) => {
      if (payload.runId !== runId) return;
      off();
      resolve(payload);
    });
  });
}

describe('run service with a real trainer process', () => {
  let current: Services | undefined;
  beforeAll(assertBuilt);
  afterEach(() => current?.close());

  it('marks the run failed with the reason when the trainer process dies', async () => {
    const { services, connections } = setup();
    current = services;
    const run = services.runs.start({ datasetId: await importCorpus(services), preset: 'quick', overrides: small });
    await firstMetrics(services, run.id);
    connections[0].kill();
    const final = await services.runs.waitFor(run.id);
    expect(final.status).toBe('failed');
    expect(final.error).toMatch(/trainer process was killed by SIGKILL/);
    expect(services.runs.get(run.id).series.loss.length).toBeGreaterThan(0);
  });

  it('pauses, resumes and cancels a run, keeping its metrics', async () => {
    const { services } = setup();
    current = services;
    const statuses: string[] = [];
    services.events.on('runs.onDidUpdate', (s) => statuses.push(s.status));
    const run = services.runs.start({ datasetId: await importCorpus(services), preset: 'quick', overrides: small });
    await firstMetrics(services, run.id);
    services.runs.pause(run.id);
    await expect.poll(() => services.store.summary(run.id).status, { timeout: 30_000 }).toBe('paused');
    expect(() => services.runs.pause(run.id)).toThrow(/cannot be paused/);
    services.runs.resume(run.id);
    await expect.poll(() => services.store.summary(run.id).status, { timeout: 30_000 }).toBe('running');
    services.runs.cancel(run.id);
    const final = await services.runs.waitFor(run.id);
    expect(final.status).toBe('cancelled');
    expect(final.lastStep).toBeLessThan(small.steps);
    expect(statuses).toEqual(expect.arrayContaining(['queued', 'running', 'paused', 'cancelled']));
    expect(services.runs.get(run.id).series.loss.length).toBeGreaterThan(0);
  });

  it('marks runs left running by a dead process as interrupted on the next start', async () => {
    const { services } = setup();
    current = services;
    const datasetId = await importCorpus(services);
    const run = services.store.create({ datasetId, task: 'generate', preset: 'quick', config: resolveTrainConfig('quick'), hostPid: 2 ** 22 + 12345 });
    services.store.update(run.id, { status: 'running' });
    expect(services.store.markOrphansInterrupted()).toBe(1);
    expect(services.store.summary(run.id).status).toBe('interrupted');
  });
});
