// The Model screen's draft resolved against the selected dataset and the built-in models: one memoised selector so
// the Model screen, the Train button and startTraining agree (and React sees the same object while nothing changed).
import type { TrainConfig } from '../../../common/config';
import { fewShotChoice } from '../lib/fewShotPreview';
import { resolveDraft, type ResolvedDraft } from '../lib/configDraft';
import type { State } from './state';
import { selectCurrentDataset } from './store';

let lastInputs: unknown[] = [];
let lastDraft: ResolvedDraft | null = null;
let lastChosenKey: unknown[] = [];
let lastChosen: Partial<TrainConfig> = {};

/** What the preset chooses from the current dataset (few-shot only; {} for the fixed presets). */
export function selectPresetChoice(s: State): Partial<TrainConfig> {
  const dataset = selectCurrentDataset(s);
  const key = [s.model.preset, dataset];
  if (key.every((v, i) => v === lastChosenKey[i])) return lastChosen;
  lastChosenKey = key;
  lastChosen = s.model.preset === 'few-shot' ? fewShotChoice(dataset) : {};
  return lastChosen;
}

export function selectDraft(s: State): ResolvedDraft {
  const dataset = selectCurrentDataset(s);
  const chosen = selectPresetChoice(s);
  const inputs = [s.model.preset, s.model.edits, s.settings.defaultBackend, chosen, dataset?.trainTask ?? null, s.catalog.models];
  if (lastDraft && inputs.every((v, i) => v === lastInputs[i])) return lastDraft;
  lastInputs = inputs;
  lastDraft = resolveDraft(s.model.preset, s.model.edits, s.settings.defaultBackend, {
    chosen,
    trainTask: dataset?.trainTask ?? null,
    models: s.catalog.models,
  });
  return lastDraft;
}
