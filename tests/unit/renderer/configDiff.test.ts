import { describe, expect, it } from 'vitest';
import { diffConfigs } from '../../../renderer/src/features/runs/configDiff';
import { run } from './fixtures';

describe('config diff of compared runs', () => {
  it('lists dataset, preset and every setting, marking only the rows where runs disagree', () => {
    const a = run('run-a', 'ds-1', '2024-01-01T00:00:00Z');
    const b = run('run-b', 'ds-1', '2024-01-02T00:00:00Z', { preset: 'standard', config: { ...a.config, steps: 20, learningRate: 0.001 } });
    const rows = diffConfigs([a, b]);
    expect(rows.slice(0, 2).map((r) => r.key)).toEqual(['dataset', 'preset']);
    expect(rows.filter((r) => r.differs).map((r) => r.key)).toEqual(['preset', 'steps', 'learningRate']);
    expect(rows.find((r) => r.key === 'steps')?.values).toEqual(['150', '20']);
    expect(rows.map((r) => r.key)).toContain('nLayer');
    expect(rows.map((r) => r.key)).not.toContain('loraRank'); // neither run uses LoRA
  });

  it('shows a method’s own settings when one of the runs uses it, and no architecture for pretrained bases', () => {
    const a = run('run-a', 'ds-1', '2024-01-01T00:00:00Z', { config: { ...run('x', 'd', '').config, base: 'glove-6b-100d', method: 'setfit' } });
    const b = run('run-b', 'ds-1', '2024-01-02T00:00:00Z', { config: { ...a.config, method: 'head' } });
    const keys = diffConfigs([a, b]).map((r) => r.key);
    expect(keys).toContain('pairsPerExample');
    expect(keys).not.toContain('nLayer');
  });

  it('marks nothing for a single run or identical settings', () => {
    const a = run('run-a', 'ds-1', '2024-01-01T00:00:00Z');
    expect(diffConfigs([a]).some((r) => r.differs)).toBe(false);
    expect(diffConfigs([a, { ...a }]).some((r) => r.differs)).toBe(false);
  });
});
