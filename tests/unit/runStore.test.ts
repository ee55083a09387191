import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resolveTrainConfig } from '../../common/config';
import { openDatabase } from '../../main/db/database';
import { DatasetService } from '../../main/services/datasetService';
import { FLUSH_AFTER_MS, FLUSH_AT_POINTS } from '../../main/services/metricsWriter';
import { RunStore } from '../../main/services/runStore';

let dataDir: string;
let db: Database.Database;
let store: RunStore;
let datasetId: string;

beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunebench-runs-'));
  db = openDatabase(dataDir);
  const file = path.join(dataDir, 'corpus.txt');
  fs.writeFileSync(file, 'to be or not to be\nthat is the question\n');
  datasetId = (await new DatasetService(db, dataDir).importFile(file, { name: 'corpus' })).id;
  store = new RunStore(db);
});
afterEach(() => {
  vi.useRealTimers();
  db.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const config = resolveTrainConfig('quick', { steps: 20 });
const newRun = (hostPid = process.pid) => store.create({ datasetId, task: 'generate', preset: 'quick', config, hostPid });
const metricRows = () => (db.prepare('SELECT count(*) AS n FROM metrics').get() as { n: number }).n;

describe('RunStore', () => {
  it('creates a queued run carrying its resolved config and dataset name', () => {
    const run = newRun();
    expect(run.id).toMatch(/^run-[0-9a-f]{8}$/);
    expect(run).toMatchObject({
      datasetId,
      datasetName: 'corpus',
      task: 'generate',
      preset: 'quick',
      config,
      status: 'queued',
      backend: null,
      device: null,
      startedAt: null,
      finishedAt: null,
      durationMs: null,
      error: null,
      lastStep: 0,
      metrics: {},
    });
    expect(() => store.create({ datasetId: 'ds-00000000', task: 'generate', preset: 'quick', config, hostPid: 1 })).toThrow(
      "No dataset 'ds-00000000'",
    );
  });

  it('updates only the given fields and returns the new summary', () => {
    const run = newRun();
    const started = store.update(run.id, { status: 'running', backend: 'wasm', device: 'CPU, WebAssembly SIMD', startedAt: '2025-01-01T00:00:00.000Z' });
    expect(started).toMatchObject({ status: 'running', backend: 'wasm', device: 'CPU, WebAssembly SIMD', startedAt: '2025-01-01T00:00:00.000Z' });
    const failed = store.update(run.id, { status: 'failed', error: 'out of memory', lastStep: 12, durationMs: 1234.5, finishedAt: '2025-01-01T00:00:02.000Z' });
    expect(failed).toMatchObject({ status: 'failed', backend: 'wasm', error: 'out of memory', lastStep: 12, durationMs: 1234.5 });
    expect(store.update(run.id, { error: null }).error).toBeNull();
    expect(() => store.update('run-00000000', { status: 'running' })).toThrow("No run 'run-00000000'; see `tunebench runs list`.");
    expect(() => store.summary('run-00000000')).toThrow("No run 'run-00000000'; see `tunebench runs list`.");
  });

  it('buffers metrics: written at 200 pending points, after 250 ms, or on flush', () => {
    vi.useFakeTimers();
    const run = newRun();
    const points = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ step: from + i, name: 'loss', value: 1 / (from + i + 1) }));

    store.appendMetrics(run.id, points(0, FLUSH_AT_POINTS - 1));
    expect(metricRows()).toBe(0);
    store.appendMetrics(run.id, points(FLUSH_AT_POINTS - 1, 1));
    expect(metricRows()).toBe(FLUSH_AT_POINTS);

    store.appendMetrics(run.id, points(1000, 3));
    vi.advanceTimersByTime(FLUSH_AFTER_MS - 1);
    expect(metricRows()).toBe(FLUSH_AT_POINTS);
    vi.advanceTimersByTime(1);
    expect(metricRows()).toBe(FLUSH_AT_POINTS + 3);

    store.appendMetrics(run.id, points(2000, 2));
    store.flush();
    expect(metricRows()).toBe(FLUSH_AT_POINTS + 5);
    expect(() => store.appendMetrics('run-00000000', points(0, 1))).toThrow("No run 'run-00000000'");
  });

  it('summarises the latest value of each metric and details every series by step, with checkpoints', () => {
    const run = newRun();
    store.appendMetrics(run.id, [
      { step: 10, name: 'loss', value: 2.5 },
      { step: 10, name: 'lr', value: 0.003 },
      { step: 0, name: 'loss', value: 4.1 },
      { step: 5, name: 'loss', value: 3.2 },
      { step: 10, name: 'val_loss', value: 2.9 },
      { step: 5, name: 'loss', value: 3.0 }, // the same step again replaces it
      { step: 15, name: 'grad_norm', value: Number.NaN }, // not storable; dropped
    ]);
    store.addCheckpoint(run.id, { step: 10, path: '/tmp/ckpt-10', bytes: 4096 });
    store.addCheckpoint(run.id, { step: 5, path: '/tmp/ckpt-5', bytes: 2048 });
    // a read sees points still pending in the buffer
    expect(store.summary(run.id).metrics).toEqual({ loss: 2.5, lr: 0.003, val_loss: 2.9 });
    const detail = store.detail(run.id);
    expect(detail.series).toEqual({
      loss: [
        { step: 0, value: 4.1 },
        { step: 5, value: 3.0 },
        { step: 10, value: 2.5 },
      ],
      lr: [{ step: 10, value: 0.003 }],
      val_loss: [{ step: 10, value: 2.9 }],
    });
    expect(detail.checkpoints).toEqual([
      { step: 5, path: '/tmp/ckpt-5', bytes: 2048 },
      { step: 10, path: '/tmp/ckpt-10', bytes: 4096 },
    ]);
    expect(detail.metrics).toEqual(store.summary(run.id).metrics);
  });

  it('lists runs newest first', () => {
    const ids = [newRun().id, newRun().id, newRun().id];
    expect(store.list().map((r) => r.id)).toEqual(ids.reverse());
  });

  it('marks unfinished runs of processes that are gone as interrupted', () => {
    const deadPid = 999_999_001;
    const mine = newRun(process.pid);
    const orphanQueued = newRun(deadPid);
    const orphanRunning = newRun(deadPid);
    const orphanPaused = newRun(deadPid);
    const finished = newRun(deadPid);
    store.update(orphanRunning.id, { status: 'running' });
    store.update(orphanPaused.id, { status: 'paused' });
    store.update(finished.id, { status: 'completed' });
    store.update(mine.id, { status: 'running' });

    expect(store.markOrphansInterrupted()).toBe(3);
    const status = (id: string) => store.summary(id);
    for (const id of [orphanQueued.id, orphanRunning.id, orphanPaused.id]) {
      expect(status(id)).toMatchObject({ status: 'interrupted', error: 'Tunebench stopped while this run was training.' });
    }
    expect(status(finished.id).status).toBe('completed');
    expect(status(mine.id).status).toBe('running');
    expect(store.markOrphansInterrupted()).toBe(0);
    expect(store.markOrphansInterrupted(() => false)).toBe(1); // a custom probe: every host is gone
    expect(status(mine.id).status).toBe('interrupted');
  });
});
