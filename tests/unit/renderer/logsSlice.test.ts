import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_LOG_LINES } from '../../../renderer/src/store/logsSlice';
import { useWorkbenchStore } from '../../../renderer/src/store/store';

const initialState = useWorkbenchStore.getState();
beforeEach(() => useWorkbenchStore.setState(initialState, true));

describe('the trainer log kept per run', () => {
  it('keeps the newest lines up to the cap and counts the ones it dropped', () => {
    const { logReceived } = useWorkbenchStore.getState();
    for (let i = 0; i < MAX_LOG_LINES + 25; i++) logReceived({ runId: 'run-1', level: 'info', message: `line ${i}` }, 1000 + i);
    logReceived({ runId: 'run-2', level: 'warn', message: 'other run' }, 5);
    const log = useWorkbenchStore.getState().logs['run-1'];
    expect(log.lines).toHaveLength(MAX_LOG_LINES);
    expect(log.dropped).toBe(25);
    expect(log.lines[0].message).toBe('line 25');
    expect(log.lines.at(-1)?.message).toBe(`line ${MAX_LOG_LINES + 24}`);
    expect(useWorkbenchStore.getState().logs['run-2'].lines.map((l) => l.level)).toEqual(['warn']);
  });

  it('puts the stored lines first and keeps only the live lines that came after them', () => {
    const { logReceived, logsLoaded } = useWorkbenchStore.getState();
    const at = (s: number) => new Date(Date.UTC(2024, 0, 1, 0, 0, s)).toISOString();
    logReceived({ runId: 'run-1', level: 'info', message: 'step 2' }, Date.parse(at(2)));
    logReceived({ runId: 'run-1', level: 'info', message: 'step 3' }, Date.parse(at(3)));
    logsLoaded('run-1', [
      { at: at(1), level: 'info', message: 'step 1' },
      { at: at(2), level: 'warn', message: 'step 2' },
    ]);
    expect(useWorkbenchStore.getState().logs['run-1'].lines.map((l) => `${l.level} ${l.message}`)).toEqual(['info step 1', 'warn step 2', 'info step 3']);
  });
});
