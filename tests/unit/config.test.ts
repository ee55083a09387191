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

describe('the one-click preset on a pretrained folder base', () => {
  it('fine-tunes bases over 50M parameters with LoRA at 2e-4, and smaller ones in full with the text recipe', async () => {
    const { fewShotConfig, fewShotOnBase } = await import('../../common/fewShotPreset');
    const text = fewShotConfig({ task: 'generate', rows: 200, classes: 0, minPerClass: 0, medianPerClass: 0, meanWords: 20 } as Parameters<typeof fewShotConfig>[0]);
    expect(fewShotOnBase(text, 'hf:HuggingFaceTB/SmolLM2-135M', 134_515_008)).toMatchObject({ base: 'hf:HuggingFaceTB/SmolLM2-135M', method: 'lora', learningRate: 2e-4 });
    expect(fewShotOnBase(text, 'im-0123abcd', 30_000_000)).toMatchObject({ base: 'im-0123abcd', method: 'full', learningRate: text.learningRate });
  });
});
