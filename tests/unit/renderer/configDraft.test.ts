import { describe, expect, it } from 'vitest';
import { PRESETS, trainConfigShape } from '../../../common/config';
import { describeIssue, fieldNamedIn, presetConfig, resolveDraft } from '../../../renderer/src/lib/configDraft';
import { FIELD_GROUPS } from '../../../renderer/src/features/model/configFields';

describe('the Model screen draft', () => {
  it('sends no overrides for an untouched preset and resolves to the preset’s config', () => {
    const draft = resolveDraft('quick', {});
    expect(draft.overrides).toEqual({});
    expect(draft.errors).toEqual({});
    expect(draft.config).toEqual(presetConfig('quick'));
    expect(draft.config?.steps).toBe(PRESETS.quick.steps);
  });

  it('turns typed fields into numbers and keeps the preset for the rest', () => {
    const draft = resolveDraft('standard', { steps: ' 20 ', learningRate: '3e-4', backend: 'wasm' });
    expect(draft.overrides).toEqual({ steps: 20, learningRate: 3e-4, backend: 'wasm' });
    expect(draft.config).toMatchObject({ steps: 20, learningRate: 3e-4, backend: 'wasm', nLayer: PRESETS.standard.nLayer });
  });

  it('says what is wrong with each bad field, in words, using the same schema main uses', () => {
    const { errors, config } = resolveDraft('quick', { nLayer: '99', nHead: '1.5', steps: 'abc', learningRate: '0', dropout: '' });
    expect(config).toBeNull();
    expect(errors).toEqual({
      nLayer: 'Must be at most 48.',
      nHead: 'Must be a whole number.',
      steps: 'Enter a number.',
      learningRate: 'Must be more than 0.',
      dropout: 'Enter a number.',
    });
  });

  it('puts the width/heads rule on the width field', () => {
    const { errors } = resolveDraft('quick', { dModel: '66' });
    expect(errors.dModel).toBe('dModel must be a multiple of nHead.');
  });

  it('sends the Settings default backend unless the draft names one', () => {
    expect(resolveDraft('quick', {}, 'cpu').overrides).toEqual({ backend: 'cpu' });
    expect(resolveDraft('quick', {}, 'auto').overrides).toEqual({});
    expect(resolveDraft('quick', { backend: 'wasm' }, 'cpu').overrides).toEqual({ backend: 'wasm' });
  });

  it('finds the field main’s error sentence names', () => {
    expect(fieldNamedIn("Training setting 'dModel' is invalid: dModel must be a multiple of nHead.")).toBe('dModel');
    expect(fieldNamedIn("Unknown setting 'foo' in the training config.")).toBeNull();
    expect(fieldNamedIn('Dataset ds-1 was not found.')).toBeNull();
  });

  it('words bounds for inclusive and exclusive limits', () => {
    expect(describeIssue({ code: 'too_small', path: [], message: '', minimum: 1, inclusive: true })).toBe('Must be at least 1.');
    expect(describeIssue({ code: 'too_big', path: [], message: '', maximum: 2147483647, inclusive: true })).toBe('Must be at most 2,147,483,647.');
  });

  it('shows every training setting exactly once, each with a label and an explanation', () => {
    const keys = FIELD_GROUPS.flatMap((g) => g.fields.map((f) => f.key));
    expect([...keys].sort()).toEqual(Object.keys(trainConfigShape).sort());
    expect(new Set(keys).size).toBe(keys.length);
    for (const field of FIELD_GROUPS.flatMap((g) => g.fields)) {
      expect(field.label.length).toBeGreaterThan(0);
      expect(field.help.length).toBeGreaterThan(10);
    }
  });
});
