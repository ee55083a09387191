import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveTrainConfig, type Overrides } from '../../../common/config';
import { trainerMessageSchema, type TrainData, type TrainerMessage } from '../../../common/protocol';
import { readSafetensors } from '../../../main/trainer/safetensors';
import { runTrainerSession, type SessionOutcome } from '../../../main/trainer/session';
import { corpusLines } from '../../helpers/fixtures';

const root = mkdtempSync(join(tmpdir(), 'tunebench-session-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const TINY: Overrides = { backend: 'wasm', nLayer: 1, nHead: 2, dModel: 16, contextLength: 16, batchSize: 4, steps: 20, logEvery: 5, evalEvery: 10, evalBatches: 1 };
const DATA: TrainData = { task: 'generate', train: corpusLines(100), validation: corpusLines(20, 9) };

/** A channel whose other end is this test: `sent` collects what the trainer says; `onSend` may answer. */
function fakeHost(onSend?: (msg: TrainerMessage, post: (m: unknown) => void) => void) {
  const sent: TrainerMessage[] = [];
  let listener: (m: unknown) => void = () => {};
  const post = (m: unknown) => listener(m);
  const channel = {
    send: (msg: TrainerMessage) => {
      expect(trainerMessageSchema.safeParse(msg).success, JSON.stringify(msg)).toBe(true);
      sent.push(msg);
      onSend?.(msg, post);
    },
    onMessage: (l: (m: unknown) => void) => {
      listener = l;
    },
  };
  return { channel, sent, post };
}

const start = (name: string, overrides: Overrides = {}, data: TrainData = DATA) => ({
  type: 'start',
  runId: name,
  config: resolveTrainConfig('quick', { ...TINY, ...overrides }),
  data,
  checkpointDir: join(root, name),
});

const types = (sent: TrainerMessage[]) => sent.map((m) => m.type);

describe('runTrainerSession', () => {
  it('emits backend, then metrics, checkpoints and done in order, and writes loadable checkpoints', async () => {
    const host = fakeHost();
    const outcome = runTrainerSession(host.channel);
    host.post(start('complete', { checkpointEvery: 10 }));
    expect(await outcome).toEqual<SessionOutcome>({ kind: 'done', status: 'completed', step: 20 });

    const order = types(host.sent).filter((t) => t !== 'log');
    expect(order[0]).toBe('backend');
    expect(order.at(-1)).toBe('done');
    expect(order.indexOf('metrics')).toBeLessThan(order.indexOf('checkpoint'));
    const backend = host.sent[0] as Extract<TrainerMessage, { type: 'backend' }>;
    expect(backend).toMatchObject({ backend: 'wasm', device: expect.stringMatching(/WebAssembly/) });

    const metrics = host.sent.flatMap((m) => (m.type === 'metrics' ? [m] : []));
    expect(metrics.map((m) => m.step)).toEqual([1, 5, 10, 15, 20, 20]);
    // last, what the process held: its peak resident set and its baseline once the backend had started
    expect(metrics.at(-1)!.values.peak_rss_mb).toBeGreaterThan(metrics.at(-1)!.values.baseline_rss_mb);
    const checkpoints = host.sent.filter((m) => m.type === 'checkpoint');
    expect(checkpoints.map((c) => c.step)).toEqual([10, 20]);
    expect(readdirSync(join(root, 'complete')).sort()).toEqual([
      'step-000010.optimizer.safetensors', // Adam's moments, for continuing the run from here
      'step-000010.safetensors',
      'step-000020.optimizer.safetensors',
      'step-000020.safetensors',
    ]);

    const last = checkpoints[1] as Extract<TrainerMessage, { type: 'checkpoint' }>;
    const file = readSafetensors(last.path);
    expect(file.metadata.step).toBe('20');
    expect(file.metadata.task).toBe('generate');
    expect(JSON.parse(file.metadata.config).dModel).toBe(16);
    const vocab = JSON.parse(file.metadata.tokenizer).vocab as string[];
    expect(file.tensors.find((t) => t.name === 'wte.weight')!.shape).toEqual([vocab.length, 16]);
    expect(file.tensors.find((t) => t.name === 'h.0.attn.c_attn.weight')!.shape).toEqual([16, 48]);
    expect(last.bytes).toBeGreaterThan(4 * 16 * 16);
  });

  it('cancels after the current step, writes nothing more and reports done cancelled', async () => {
    const host = fakeHost((msg, post) => {
      if (msg.type === 'metrics' && msg.step === 5) post({ type: 'cancel' });
    });
    const outcome = runTrainerSession(host.channel);
    host.post(start('cancelled'));
    expect(await outcome).toEqual({ kind: 'done', status: 'cancelled', step: 5 });
    expect(host.sent.at(-1)).toEqual({ type: 'done', status: 'cancelled', step: 5 });
    expect(host.sent.some((m) => m.type === 'checkpoint')).toBe(false);
    expect(existsSync(join(root, 'cancelled'))).toBe(false);
  });

  it('pauses between steps and resumes to the end', async () => {
    let stepsAtPause = -1;
    const host = fakeHost((msg, post) => {
      if (msg.type === 'metrics' && msg.step === 5) post({ type: 'pause' });
      if (msg.type === 'status' && msg.status === 'paused') {
        setTimeout(() => {
          stepsAtPause = host.sent.filter((m) => m.type === 'metrics').length;
          post({ type: 'resume' });
        }, 150);
      }
    });
    const outcome = runTrainerSession(host.channel);
    host.post(start('paused', { steps: 10 }));
    expect(await outcome).toMatchObject({ kind: 'done', status: 'completed', step: 10 });
    expect(stepsAtPause).toBe(2); // steps 1 and 5 reported, nothing while paused
    const statuses = host.sent.flatMap((m) => (m.type === 'status' ? [m.status] : []));
    expect(statuses).toEqual(['paused', 'running']);
  });

  it('answers a malformed message with an error naming the problem', async () => {
    const host = fakeHost();
    const outcome = runTrainerSession(host.channel);
    host.post({ type: 'start', runId: 'x', config: { dModel: 'big' } });
    const result = await outcome;
    expect(result.kind).toBe('error');
    expect(host.sent).toHaveLength(1);
    expect(host.sent[0]).toMatchObject({ type: 'error', message: expect.stringMatching(/invalid 'start' message at config/) });
  });

  it('stops a running session on a malformed message', async () => {
    const host = fakeHost((msg, post) => {
      if (msg.type === 'metrics' && msg.step === 5) post({ type: 'faster please' });
    });
    const outcome = runTrainerSession(host.channel);
    host.post(start('malformed'));
    expect((await outcome).kind).toBe('error');
    expect(host.sent.at(-1)).toMatchObject({ type: 'error', message: expect.stringMatching(/invalid 'faster please' message/) });
    expect(host.sent.some((m) => m.type === 'done')).toBe(false);
  });

  it('fails with the reason when an explicitly requested backend is unavailable', async () => {
    const host = fakeHost();
    const outcome = runTrainerSession(host.channel);
    host.post(start('native', { backend: 'tensorflow' }));
    expect((await outcome).kind).toBe('error');
    expect(host.sent[0]).toMatchObject({ type: 'error', message: expect.stringMatching(/'tensorflow' backend is not usable here \(tensorflow \(tfjs-node-gpu\): not installed/) });
  });

  it('fails with a clear message when the data cannot fill one context window', async () => {
    const host = fakeHost();
    const outcome = runTrainerSession(host.channel);
    host.post(start('short', {}, { task: 'generate', train: ['too short'], validation: [] }));
    expect((await outcome).kind).toBe('error');
    expect(host.sent.at(-1)).toMatchObject({ type: 'error', message: expect.stringMatching(/too few for contextLength 16/) });
    expect((host.sent.at(-1) as { stack?: string }).stack).toBeUndefined();
  });

  it('reports done cancelled at step 0 when cancelled before start', async () => {
    const host = fakeHost();
    const outcome = runTrainerSession(host.channel);
    host.post({ type: 'cancel' });
    expect(await outcome).toEqual({ kind: 'done', status: 'cancelled', step: 0 });
  });
});
