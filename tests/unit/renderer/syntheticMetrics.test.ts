import { describe, expect, it } from 'vitest';
import { alignSeries } from '../../../renderer/src/features/charts/chartData';
import { pushSyntheticPoints } from '../../../renderer/src/debug/syntheticMetrics';
import { metricSeries } from '../../../renderer/src/store/metricSeries';
import { useWorkbenchStore } from '../../../renderer/src/store/store';

describe('100k synthetic points through the live path', () => {
  it('land in the run’s series in order, bump the metrics version once per push, and align for the loss chart', () => {
    metricSeries.clear();
    const before = useWorkbenchStore.getState().metrics.version;
    for (let i = 0; i < 10; i++) pushSyntheticPoints('run-bench', 10_000);
    expect(useWorkbenchStore.getState().metrics.version).toBe(before + 10);
    const loss = metricSeries.get('run-bench', 'loss')!;
    const valLoss = metricSeries.get('run-bench', 'val_loss')!;
    expect(loss.length).toBe(100_000);
    expect(loss.steps[0]).toBe(1);
    expect(loss.last()?.step).toBe(100_000);
    expect(valLoss.length).toBe(2_000);
    const { data, points } = alignSeries([loss, valLoss]);
    expect(data[0]).toHaveLength(100_000);
    expect(points).toBe(102_000);
  });
});
