import type { StateCreator } from 'zustand';
import type { DatasetSummary } from '../../../common/domain';
import type { CallOutput } from '../../../common/contracts';
import type { ImportSource } from '../../../common/contracts/datasets';
import type { DatasetTask, Mapping, RecipeInput } from '../../../common/datasetTypes';
import type { State } from './state';

/** A dropped file under review before it is imported: what inspect found and what the user chose. */
export interface DatasetReview {
  fileName: string;
  bytes: number;
  source: ImportSource;
  inspect: CallOutput<'datasets.inspect'> | null;
  map: Mapping;
  task: DatasetTask | 'auto';
  recipe: RecipeInput;
  recipePreview: CallOutput<'datasets.previewRecipe'> | null;
  split: { train: number; validation: number; test: number };
  seed: number | null;
  /** Set while the import runs, so Cancel can name it. */
  importId: string | null;
  busy: boolean;
  error: string | null;
}

export interface ImportProgress {
  fileName: string;
  /** 'uploading' (browser mode, before the server reads it), 'reading' (the server parses it), 'writing' (rows go
   * into the database). */
  phase: 'uploading' | 'reading' | 'writing';
  bytesRead: number;
  totalBytes: number;
}

export interface DatasetsState {
  /** Newest first. */
  list: DatasetSummary[];
  currentId: string | null;
  importing: ImportProgress | null;
  /** The last import's error sentence, cleared by the next import. */
  error: string | null;
  /** The file being reviewed before import, or null. */
  review: DatasetReview | null;
}

export interface DatasetsSlice {
  datasets: DatasetsState;
  /** Replaces the list; keeps the current dataset if it still exists, else picks `preferredId` or the newest. */
  datasetsLoaded(list: DatasetSummary[], preferredId?: string | null): void;
  datasetSelected(id: string): void;
  importStarted(fileName: string, totalBytes: number, phase: ImportProgress['phase']): void;
  importProgressed(progress: { fileName: string; bytesRead: number; totalBytes: number }): void;
  importSucceeded(summary: DatasetSummary): void;
  importFailed(message: string): void;
  reviewUpdated(review: Partial<DatasetReview> | null): void;
}

const newestFirst = (a: DatasetSummary, b: DatasetSummary) => b.createdAt.localeCompare(a.createdAt);

export const createDatasetsSlice: StateCreator<State, [], [], DatasetsSlice> = (set) => ({
  datasets: { list: [], currentId: null, importing: null, error: null, review: null },

  datasetsLoaded: (list, preferredId) =>
    set((s) => {
      const sorted = [...list].sort(newestFirst);
      const has = (id: string | null | undefined) => !!id && sorted.some((d) => d.id === id);
      const currentId = has(s.datasets.currentId)
        ? s.datasets.currentId
        : has(preferredId)
          ? preferredId!
          : (sorted[0]?.id ?? null);
      return { datasets: { ...s.datasets, list: sorted, currentId } };
    }),

  datasetSelected: (id) =>
    set((s) => (s.datasets.list.some((d) => d.id === id) ? { datasets: { ...s.datasets, currentId: id } } : {})),

  importStarted: (fileName, totalBytes, phase) =>
    set((s) => ({ datasets: { ...s.datasets, importing: { fileName, phase, bytesRead: 0, totalBytes }, error: null } })),

  importProgressed: (progress) =>
    set((s) => {
      const importing = s.datasets.importing;
      if (!importing) return {};
      const { bytesRead, totalBytes } = progress;
      const phase = (progress as { phase?: string }).phase === 'writing' ? 'writing' : 'reading';
      return { datasets: { ...s.datasets, importing: { ...importing, phase, bytesRead, totalBytes } } };
    }),

  importSucceeded: (summary) =>
    set((s) => {
      const list = [summary, ...s.datasets.list.filter((d) => d.id !== summary.id)].sort(newestFirst);
      return { datasets: { list, currentId: summary.id, importing: null, error: null, review: null } };
    }),

  importFailed: (message) => set((s) => ({ datasets: { ...s.datasets, importing: null, error: message } })),

  reviewUpdated: (review) =>
    set((s) => {
      if (review === null) return { datasets: { ...s.datasets, review: null } };
      const current = s.datasets.review;
      if (!current && !review.source) return {};
      return { datasets: { ...s.datasets, review: { ...(current as DatasetReview), ...review } } };
    }),
});
