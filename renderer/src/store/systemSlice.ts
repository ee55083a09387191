import type { StateCreator } from 'zustand';
import type { SystemInfo } from '../../../common/domain';
import type { ApiMode, ConnectionState } from '../api';
import type { State } from './state';

export interface SystemState {
  info: SystemInfo | null;
  /** How this page reaches the services; null before start-up. */
  mode: ApiMode | null;
  connection: ConnectionState;
  /** Why the initial load failed (one sentence), or null. */
  loadError: string | null;
}

export interface SystemSlice {
  system: SystemState;
  systemInfoLoaded(info: SystemInfo): void;
  connectionChanged(mode: ApiMode, connection: ConnectionState): void;
  loadFailed(message: string | null): void;
}

export const createSystemSlice: StateCreator<State, [], [], SystemSlice> = (set) => ({
  system: { info: null, mode: null, connection: 'connecting', loadError: null },
  systemInfoLoaded: (info) => set((s) => ({ system: { ...s.system, info } })),
  connectionChanged: (mode, connection) => set((s) => ({ system: { ...s.system, mode, connection } })),
  loadFailed: (loadError) => set((s) => ({ system: { ...s.system, loadError } })),
});
