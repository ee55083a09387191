import { beforeEach, describe, expect, it } from 'vitest';
import type { DatasetSummary } from '../../../common/domain';
import { baseTaskError } from '../../../renderer/src/lib/baseModels';
import { resolveDraft } from '../../../renderer/src/lib/configDraft';
import { fewShotChoice } from '../../../renderer/src/lib/fewShotPreview';
import { fineTune, startWorkbench } from '../../../renderer/src/store/actions';
import { selectDraft } from '../../../renderer/src/store/draft';
import { metricSeries } from '../../../renderer/src/store/metricSeries';
import { useWorkbenchStore } from '../../../renderer/src/store/store';
import { dataset, fakeConnection, run, settle } from './fixtures';

const initialState = useWorkbenchStore.getState();
const store = () => useWorkbenchStore.getState();
const labelled = (id: string): DatasetSummary => ({ ...dataset(id, '2024-05-01T00:00:00Z'), task: 'classify', trainTask: 'classify', labels: ['neg', 'pos'] });

let stop: (() => void) | null = null;
beforeEach(() => {
  stop?.();
  useWorkbenchStore.setState(initialState, true);
  metricSeries.clear();
});

describe('base model and method on the Model screen', () => {
  it('refuses head and setfit without the GloVe encoder, on the method field', () => {
    const { errors, config } = resolveDraft('quick', { method: 'setfit' });
    expect(config).toBeNull();
    expect(errors.method).toMatch(/glove-6b-100d/);
    expect(resolveDraft('quick', { base: 'glove-6b-100d', method: 'head' }).errors).toEqual({});
  });

  it('sends worded settings as strings and keeps generator-only methods to stories260K', () => {
    expect(resolveDraft('quick', { schedule: 'linear', loraTargets: 'attention+mlp' }).overrides).toEqual({ schedule: 'linear', loraTargets: 'attention+mlp' });
    expect(resolveDraft('quick', { method: 'lora' }).errors.method).toMatch(/stories260k/);
    expect(resolveDraft('quick', { base: 'stories260k', method: 'lora' }, 'auto', { trainTask: 'generate' }).errors).toEqual({});
  });

  it('says when the base does not suit the dataset: stories260K needs texts, GloVe needs labels', () => {
    expect(resolveDraft('quick', { base: 'stories260k' }, 'auto', { trainTask: 'classify' }).errors.base).toMatch(/stories260K .*labels/);
    expect(resolveDraft('quick', { base: 'glove-6b-100d' }, 'auto', { trainTask: 'generate' }).errors.base).toMatch(/GloVe .*no labels/);
    expect(resolveDraft('quick', { base: 'stories260k' }, 'auto', { trainTask: 'generate' }).errors).toEqual({});
    expect(baseTaskError('scratch', 'classify', null)).toBeNull();
    expect(baseTaskError('stories260k', null, null)).toBeNull();
  });

  it('previews what few-shot picks for the dataset, and sends base and method as typed strings', () => {
    expect(fewShotChoice(labelled('ds-c'))).toMatchObject({ base: 'glove-6b-100d', method: 'setfit' });
    expect(fewShotChoice(dataset('ds-g', '2024-05-01T00:00:00Z'))).toMatchObject({ base: 'stories260k', method: 'full' });
    const draft = resolveDraft('few-shot', { method: 'head' }, 'auto', { chosen: fewShotChoice(labelled('ds-c')), trainTask: 'classify' });
    expect(draft.errors).toEqual({});
    expect(draft.overrides).toEqual({ method: 'head' });
    expect(draft.config).toMatchObject({ base: 'glove-6b-100d', method: 'head', pairsPerExample: 20 });
  });

  it('checks the Model draft against the selected dataset', () => {
    useWorkbenchStore.setState((s) => ({ datasets: { ...s.datasets, list: [labelled('ds-c')], currentId: 'ds-c' } }));
    store().configEdited('base', 'stories260k');
    expect(selectDraft(store()).errors.base).toMatch(/labels/);
    expect(selectDraft(store())).toBe(selectDraft(store())); // same object while nothing changed
    store().configEdited('base', 'glove-6b-100d');
    expect(selectDraft(store()).errors).toEqual({});
  });
});

describe('the one-click Fine-tune', () => {
  it('starts the few-shot preset with no overrides and opens Training on the new run', async () => {
    const newRun = run('run-9', 'ds-c', '2024-06-01T00:00:00Z', { status: 'queued', preset: 'few-shot', task: 'classify' });
    const fake = fakeConnection({ 'datasets.list': () => [labelled('ds-c')], 'runs.list': () => [], 'runs.start': () => newRun });
    stop = startWorkbench(fake.connection);
    await settle();
    expect(await fineTune('ds-c')).toBeNull();
    expect(fake.recorded.find((c) => c.name === 'runs.start')?.input).toEqual({ datasetId: 'ds-c', preset: 'few-shot', overrides: {} });
    expect(store().runs.currentId).toBe('run-9');
    expect(store().nav.screen).toBe('training');
  });

  it('returns main’s refusal in words and stays put', async () => {
    const fake = fakeConnection({
      'datasets.list': () => [labelled('ds-c')],
      'runs.list': () => [],
      'runs.start': () => ({ ok: false, error: { kind: 'bad-input', message: 'Dataset ds-c has one label; few-shot needs two.' } }),
    });
    stop = startWorkbench(fake.connection);
    await settle();
    store().screenShown('datasets');
    expect(await fineTune('ds-c')).toBe('Dataset ds-c has one label; few-shot needs two.');
    expect(store().nav.screen).toBe('datasets');
  });
});
