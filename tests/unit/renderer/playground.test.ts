import { beforeEach, describe, expect, it } from 'vitest';
import { resolveSampling, DEFAULT_SAMPLING } from '../../../renderer/src/lib/sampling';
import { appendToken, finishStream, startStream } from '../../../renderer/src/lib/tokenStream';
import { classifyText, generate, startWorkbench } from '../../../renderer/src/store/actions';
import { useWorkbenchStore } from '../../../renderer/src/store/store';
import { fakeConnection, settle } from './fixtures';

const initialState = useWorkbenchStore.getState();
const store = () => useWorkbenchStore.getState();
const request = resolveSampling('Once', DEFAULT_SAMPLING).request!;

let stop: (() => void) | null = null;
beforeEach(() => {
  stop?.();
  useWorkbenchStore.setState(initialState, true);
});

describe('streamed generation', () => {
  it('appends tokens as they arrive, then takes the final text; late tokens change nothing', () => {
    let s = startStream('r1');
    s = appendToken(appendToken(s, ' upon'), ' a');
    expect(s).toMatchObject({ text: ' upon a', tokens: 2, status: 'streaming' });
    s = finishStream(s, { text: ' upon a time', tokens: 3, stopReason: 'maxTokens' });
    expect(appendToken(s, ' late')).toBe(s);
    expect(s.text).toBe(' upon a time');
  });

  it('shows the text live from playground.onDidToken events of its own request only', async () => {
    const seen: string[] = [];
    const fake = fakeConnection({
      'datasets.list': () => [],
      'runs.list': () => [],
      'playground.generate': async ({ requestId }: { requestId: string }) => {
        fake.emit('playground.onDidToken', { requestId: 'someone-else', text: 'XX' });
        for (const text of [' upon', ' a', ' time']) {
          fake.emit('playground.onDidToken', { requestId, text });
          seen.push(store().playground.streams[requestId].text);
        }
        return { text: ' upon a time', tokens: 3, stopReason: 'maxTokens' };
      },
    });
    stop = startWorkbench(fake.connection);
    await settle();
    await generate({ kind: 'builtin', model: 'stories260k' }, request, false);
    expect(seen).toEqual([' upon', ' upon a', ' upon a time']);
    const shown = store().playground.streams[store().playground.shown.main!];
    expect(shown).toMatchObject({ status: 'done', text: ' upon a time' });
    expect(store().playground.shown.base).toBeNull();
    expect(Object.keys(store().playground.streams)).toHaveLength(1);
  });

  it('compares a tuned run with stories260K on the same prompt, and keeps a failure beside its output', async () => {
    const fake = fakeConnection({
      'datasets.list': () => [],
      'runs.list': () => [],
      'playground.generate': ({ source }: { source: { kind: string } }) =>
        source.kind === 'run' ? { text: ' tuned', tokens: 1, stopReason: 'eos' } : { ok: false, error: { kind: 'unavailable', message: 'stories260K is missing from resources/models.' } },
    });
    stop = startWorkbench(fake.connection);
    await settle();
    await generate({ kind: 'run', runId: 'run-1' }, request, true);
    const inputs = fake.recorded.filter((c) => c.name === 'playground.generate').map((c) => c.input as { requestId: string; source: unknown; request: unknown });
    expect(inputs.map((i) => i.source)).toEqual([{ kind: 'run', runId: 'run-1' }, { kind: 'builtin', model: 'stories260k' }]);
    expect(inputs[0].request).toEqual(inputs[1].request);
    expect(inputs[0].requestId).not.toBe(inputs[1].requestId);
    const { main, base } = store().playground.shown;
    expect(store().playground.streams[main!].text).toBe(' tuned');
    expect(store().playground.streams[base!]).toMatchObject({ status: 'failed', error: 'stories260K is missing from resources/models.' });
  });

  it('classifies a text and keeps the probabilities for the run', async () => {
    const fake = fakeConnection({ 'datasets.list': () => [], 'runs.list': () => [], 'playground.classify': () => ({ labels: ['neg', 'pos'], probs: [[0.2, 0.8]] }) });
    stop = startWorkbench(fake.connection);
    await settle();
    await classifyText('run-3', 'lovely');
    expect(fake.recorded.find((c) => c.name === 'playground.classify')?.input).toEqual({ runId: 'run-3', texts: ['lovely'] });
    expect(store().playground.classify).toMatchObject({ runId: 'run-3', busy: false, error: null, result: { probs: [[0.2, 0.8]] } });
  });
});

describe('sampling controls', () => {
  it('defaults to greedy decoding and validates every field with the contract', () => {
    expect(resolveSampling('Hi', DEFAULT_SAMPLING).request).toEqual({ prompt: 'Hi', temperature: 0, topK: 0, topP: 1, maxTokens: 64, seed: 1337, stop: [] });
    const { request: bad, errors } = resolveSampling('Hi', { ...DEFAULT_SAMPLING, temperature: '9', topP: '0', maxTokens: '2.5', seed: 'x' });
    expect(bad).toBeNull();
    expect(errors).toEqual({ temperature: 'Must be at most 5.', topP: 'Must be more than 0.', maxTokens: 'Must be a whole number.', seed: 'Enter a number.' });
  });

  it('takes one stop sequence per line', () => {
    expect(resolveSampling('Hi', { ...DEFAULT_SAMPLING, stop: '\n.\nThe end\n' }).request?.stop).toEqual(['.', 'The end']);
  });
});
