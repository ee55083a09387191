import { describe, expect, it } from 'vitest';
import { alignSeries, IncrementalAligner } from '../../../renderer/src/features/charts/chartData';
import { MetricSeries } from '../../../renderer/src/store/metricSeries';

describe('IncrementalAligner', () => {
  it('matches a full alignment while train and validation points stream in, late and repeated ones included', () => {
    const loss = new MetricSeries();
    const val = new MetricSeries();
    const aligner = new IncrementalAligner();
    const check = () => {
      const expected = alignSeries([loss, val]);
      const got = aligner.update([loss, val]);
      expect(got.points).toBe(expected.points);
      expect(got.data.map((a) => [...a])).toEqual(expected.data);
    };
    check();
    for (let step = 1; step <= 300; step++) {
      loss.add(step, 5 - step / 100);
      if (step % 25 === 0) val.add(step, 5.2 - step / 100); // same step as a loss point: filled in place
      if (step % 7 === 0) check();
    }
    check();
    val.add(3, 9); // late: a step the validation series lacked, inserted → rebuild
    check();
    loss.add(300, Number.NaN); // replaced with a non-finite value → drawn as a gap
    check();
    loss.add(301, 1);
    val.add(305, 1.1);
    check();
  });

  it('rebuilds when the set of series changes', () => {
    const a = new MetricSeries();
    a.add(1, 1);
    const aligner = new IncrementalAligner();
    expect(aligner.update([a]).points).toBe(1);
    const b = new MetricSeries();
    b.add(2, 2);
    expect(aligner.update([a, b]).data).toEqual([[1, 2], [1, null], [null, 2]]);
  });
});
