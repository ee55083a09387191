import { beforeEach, describe, expect, it } from 'vitest';
import type { EvalReport } from '../../../common/evaluation';
import { cellShade, rankedProbabilities, rowShare } from '../../../renderer/src/lib/confusion';
import { defaultRunId } from '../../../renderer/src/lib/runChoice';
import { evaluateRun, loadEvaluations, startWorkbench } from '../../../renderer/src/store/actions';
import { useWorkbenchStore } from '../../../renderer/src/store/store';
import { fakeConnection, run, settle } from './fixtures';

const initialState = useWorkbenchStore.getState();
const store = () => useWorkbenchStore.getState();

const report = (id: string, createdAt: string): EvalReport => ({
  id, runId: 'run-1', createdAt, task: 'classify', generation: null,
  source: { datasetId: 'ds-1', datasetName: 'reviews', split: 'test' },
  classification: { examples: 4, accuracy: 0.75, macroF1: 0.73, labels: ['neg', 'pos'], confusion: [[1, 1], [0, 2]], mistakes: [], perClass: [] },
});

let stop: (() => void) | null = null;
beforeEach(() => {
  stop?.();
  useWorkbenchStore.setState(initialState, true);
});

describe('confusion matrix and probabilities', () => {
  it('shades each cell by its count over the largest of its true row', () => {
    const m = [[8, 2, 0], [3, 3, 0], [0, 0, 0]];
    expect(cellShade(m, 0, 0)).toBe(1);
    expect(cellShade(m, 0, 1)).toBe(0.25);
    expect(cellShade(m, 1, 0)).toBe(1);
    expect(cellShade(m, 2, 2)).toBe(0); // a label with no examples
    expect(rowShare(m, 0, 0)).toBe(0.8);
  });

  it('lists probabilities likeliest first, ties in label order', () => {
    expect(rankedProbabilities(['a', 'b', 'c'], [0.25, 0.5, 0.25])).toEqual([
      { label: 'b', probability: 0.5 },
      { label: 'a', probability: 0.25 },
      { label: 'c', probability: 0.25 },
    ]);
  });
});

describe('evaluating a run', () => {
  it('starts on the selected completed run, else the newest completed one', () => {
    const runs = [run('run-3', 'd', '2024-03-01T00:00:00Z', { status: 'running' }), run('run-2', 'd', '2024-02-01T00:00:00Z'), run('run-1', 'd', '2024-01-01T00:00:00Z')];
    expect(defaultRunId(runs, 'run-1')).toBe('run-1');
    expect(defaultRunId(runs, 'run-3')).toBe('run-2');
    expect(defaultRunId([], null)).toBeNull();
  });

  it('follows progress events, then puts the new report first', async () => {
    const progress: number[] = [];
    const fake = fakeConnection({
      'datasets.list': () => [],
      'runs.list': () => [],
      'runs.evaluations': () => [report('ev-1', '2024-01-01T00:00:00Z')],
      'runs.evaluate': ({ runId }: { runId: string }) => {
        fake.emit('runs.onDidEvalProgress', { runId, fraction: 0.5, message: 'Scoring 2 of 4' });
        progress.push(store().evaluations.running[runId].fraction);
        return report('ev-2', '2024-02-01T00:00:00Z');
      },
    });
    stop = startWorkbench(fake.connection);
    await settle();
    await loadEvaluations('run-1');
    await evaluateRun('run-1', 'ds-9');
    expect(fake.recorded.find((c) => c.name === 'runs.evaluate')?.input).toEqual({ runId: 'run-1', datasetId: 'ds-9' });
    expect(progress).toEqual([0.5]);
    expect(store().evaluations.running['run-1']).toBeUndefined();
    expect(store().evaluations.byRun['run-1'].map((r) => r.id)).toEqual(['ev-2', 'ev-1']);
  });

  it('keeps the error sentence for the run it happened to', async () => {
    const fake = fakeConnection({
      'datasets.list': () => [],
      'runs.list': () => [],
      'runs.evaluate': () => ({ ok: false, error: { kind: 'not-found', message: 'Run run-1 has no checkpoint to evaluate.' } }),
    });
    stop = startWorkbench(fake.connection);
    await settle();
    await evaluateRun('run-1');
    expect(fake.recorded.find((c) => c.name === 'runs.evaluate')?.input).toEqual({ runId: 'run-1' });
    expect(store().evaluations.errors['run-1']).toBe('Run run-1 has no checkpoint to evaluate.');
    expect(store().evaluations.running).toEqual({});
  });
});
