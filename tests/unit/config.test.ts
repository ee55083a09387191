import { describe, expect, it } from 'vitest';
import { parseSetArgs, PRESETS, resolveTrainConfig } from '../../common/config';

describe('training config', () => {
  it('resolves a preset with overrides from --set', () => {
    const config = resolveTrainConfig('quick', parseSetArgs(['steps=40', 'learningRate=0.001', 'backend=cpu']));
    expect(config.steps).toBe(40);
    expect(config.learningRate).toBe(0.001);
    expect(config.backend).toBe('cpu');
    expect(config.nLayer).toBe(PRESETS.quick.nLayer);
  });

  it('names the setting that is wrong', () => {
    expect(() => parseSetArgs(['stepz=3'])).toThrow(/unknown setting 'stepz'/);
    expect(() => parseSetArgs(['steps=many'])).toThrow(/'steps' takes a number/);
    expect(() => parseSetArgs(['steps'])).toThrow(/expected key=value/);
    expect(() => resolveTrainConfig('quick', { nHead: 3 })).toThrow(/'dModel'.*multiple of nHead/);
    expect(() => resolveTrainConfig('quick', { steps: -1 })).toThrow(/'steps'/);
    expect(() => resolveTrainConfig('quick', { backend: 'cuda' })).toThrow(/'backend'/);
  });
});
