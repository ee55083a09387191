import type { StateCreator } from 'zustand';
import type { ModelInfo } from '../../../common/evaluation';
import type { State } from './state';

export interface CatalogState {
  /** Built-in models from `models.list`; null until it answers. */
  models: ModelInfo[] | null;
  error: string | null;
}

export interface CatalogSlice {
  catalog: CatalogState;
  catalogLoaded(models: ModelInfo[]): void;
  catalogFailed(message: string): void;
}

export const createCatalogSlice: StateCreator<State, [], [], CatalogSlice> = (set) => ({
  catalog: { models: null, error: null },
  catalogLoaded: (models) => set({ catalog: { models, error: null } }),
  catalogFailed: (error) => set((s) => ({ catalog: { ...s.catalog, error } })),
});
