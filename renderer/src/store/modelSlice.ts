import type { StateCreator } from 'zustand';
import type { PresetName, TrainConfigKey } from '../../../common/config';
import type { CallOutput } from '../../../common/contracts';
import type { ConfigEdits } from '../lib/configDraft';
import type { State } from './state';

export interface StartRejection {
  /** The config field main's error names, when it names one; the Model screen shows the sentence beside it. */
  field: TrainConfigKey | null;
  message: string;
}

/** Main's memory and time estimate of the draft (runs.estimate), or why there is none. */
export interface DraftEstimate {
  estimate: CallOutput<'runs.estimate'>['estimate'];
  lines: string[];
  error: string | null;
}

export interface ModelState {
  preset: PresetName;
  edits: ConfigEdits;
  /** Why the last Train click did not start a run (main's sentence, or the draft's own problem). */
  rejected: StartRejection | null;
  estimate: DraftEstimate | null;
}

export interface ModelSlice {
  model: ModelState;
  presetChosen(preset: PresetName): void;
  /** Records a field as typed; `undefined` returns it to the preset's value. */
  configEdited(key: TrainConfigKey, raw: string | undefined): void;
  configEditsCleared(): void;
  startRejected(rejection: StartRejection | null): void;
  estimateShown(estimate: DraftEstimate | null): void;
}

export const createModelSlice: StateCreator<State, [], [], ModelSlice> = (set) => ({
  model: { preset: 'quick', edits: {}, rejected: null, estimate: null },

  presetChosen: (preset) => set((s) => ({ model: { ...s.model, preset, rejected: null } })),

  configEdited: (key, raw) =>
    set((s) => {
      const edits = { ...s.model.edits };
      if (raw === undefined) delete edits[key];
      else edits[key] = raw;
      // an edit answers main's complaint about that field (or a complaint naming no field)
      const rejected = s.model.rejected && (s.model.rejected.field === key || s.model.rejected.field === null) ? null : s.model.rejected;
      return { model: { ...s.model, edits, rejected } };
    }),

  configEditsCleared: () => set((s) => ({ model: { ...s.model, edits: {}, rejected: null } })),
  startRejected: (rejected) => set((s) => ({ model: { ...s.model, rejected } })),
  estimateShown: (estimate) => set((s) => ({ model: { ...s.model, estimate } })),
});
