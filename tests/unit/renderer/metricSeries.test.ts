import { describe, expect, it } from 'vitest';
import { MetricSeries, MetricSeriesStore } from '../../../renderer/src/store/metricSeries';
import { alignSeries } from '../../../renderer/src/features/charts/chartData';

const pointsOf = (s: MetricSeries) => Array.from({ length: s.length }, (_, i) => [s.steps[i], s.values[i]]);

describe('MetricSeries', () => {
  it('keeps points sorted by step, replacing a repeated step and inserting a late one', () => {
    const s = new MetricSeries();
    s.add(5, 4.0);
    s.add(15, 3.0);
    s.add(10, 3.5); // arrived late
    s.add(15, 2.9); // repeated: replaces
    expect(pointsOf(s)).toEqual([
      [5, 4.0],
      [10, 3.5],
      [15, 2.9],
    ]);
    expect(s.last()).toEqual({ step: 15, value: 2.9 });
  });

  it('grows past its initial capacity without losing points', () => {
    const s = new MetricSeries();
    for (let step = 1; step <= 1000; step++) s.add(step, step / 10);
    expect(s.length).toBe(1000);
    expect(s.steps[999]).toBe(1000);
    expect(s.values[0]).toBeCloseTo(0.1);
  });
});

describe('MetricSeriesStore', () => {
  it('merges a stored snapshot with live points that arrived first, per run and metric', () => {
    const store = new MetricSeriesStore();
    store.append('run-a', [
      { step: 30, name: 'loss', value: 2.5 },
      { step: 25, name: 'val_loss', value: 2.9 },
    ]);
    store.merge('run-a', { loss: [{ step: 5, value: 4 }, { step: 30, value: 2.5 }], val_loss: [{ step: 25, value: 2.9 }] });
    store.append('run-b', [{ step: 5, name: 'loss', value: 9 }]);
    expect(pointsOf(store.get('run-a', 'loss')!)).toEqual([
      [5, 4],
      [30, 2.5],
    ]);
    expect(store.get('run-a', 'val_loss')!.length).toBe(1);
    expect(store.get('run-b', 'loss')!.last()).toEqual({ step: 5, value: 9 });
    expect(store.get('run-b', 'val_loss')).toBeUndefined();
  });
});

describe('alignSeries', () => {
  it('puts loss (every 5 steps) and val_loss (every 25) on one step axis with gaps as null', () => {
    const loss = new MetricSeries();
    const val = new MetricSeries();
    for (let step = 5; step <= 50; step += 5) loss.add(step, 10 - step / 10);
    val.add(25, 8);
    val.add(50, 6);
    val.add(60, 5.5); // a final evaluation after the last train-loss point
    const { data, points } = alignSeries([loss, val]);
    expect(data[0]).toEqual([5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 60]);
    expect(data[1][4]).toBeCloseTo(7.5);
    expect(data[1][10]).toBeNull();
    expect(data[2]).toEqual([null, null, null, null, 8, null, null, null, null, 6, 5.5]);
    expect(points).toBe(13);
  });

  it('draws nothing for missing series and skips non-finite values', () => {
    const loss = new MetricSeries();
    loss.add(1, Number.NaN);
    loss.add(2, 3);
    const { data, points } = alignSeries([loss, undefined]);
    expect(data).toEqual([[1, 2], [null, 3], [null, null]]);
    expect(points).toBe(1);
    expect(alignSeries([undefined, undefined])).toEqual({ data: [[], [], []], points: 0 });
  });
});

describe('chart tick labels', () => {
  it('keep the decimals the spacing needs, so small learning rates do not all read 0', async () => {
    const { formatTicks } = await import('../../../renderer/src/features/charts/chartOptions');
    expect(formatTicks([0, 0.0004, 0.0008, 0.0012], 0.0004)).toEqual(['0', '0.0004', '0.0008', '0.0012']);
    expect(formatTicks([8000, 8200, 8400], 200)).toEqual(['8,000', '8,200', '8,400']);
    expect(formatTicks([2, 2.5, 3], 0.5)).toEqual(['2.0', '2.5', '3.0']);
  });
});
