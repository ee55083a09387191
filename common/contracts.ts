// The single source of every call into main and every event out of it, assembled from one file per domain under
// contracts/. The preload's allowlist (channels.ts), main's handlers, the WebSocket server and the renderer's client
// are all derived from these tables; a test keeps them in step.
import type { z } from 'zod';
import { datasetCalls, datasetEvents } from './contracts/datasets';
import { modelCalls, modelEvents } from './contracts/models';
import { runCalls, runEvents } from './contracts/runs';
import { systemCalls } from './contracts/system';
import type { Result } from './result';

export { CHANNEL_PREFIX } from './channels';
export { importSourceSchema, type ImportSource } from './contracts/datasets';

export const calls = { ...systemCalls, ...datasetCalls, ...runCalls, ...modelCalls } as const;

export type CallName = keyof typeof calls;
export type CallInput<C extends CallName> = z.input<(typeof calls)[C]['input']>;
export type CallOutput<C extends CallName> = z.infer<(typeof calls)[C]['output']>;
export const CALL_NAMES = Object.keys(calls) as CallName[];

export const events = { ...runEvents, ...datasetEvents, ...modelEvents } as const;

export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]>;
export const EVENT_NAMES = Object.keys(events) as EventName[];

/** The API the renderer sees, identical in Electron (window.workbench) and in browser mode (WebSocket client). */
export interface WorkbenchApi {
  call<C extends CallName>(name: C, input: CallInput<C>): Promise<Result<CallOutput<C>>>;
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** What the Electron preload exposes as `window.workbench`: the API plus the dropped file's path on disk. */
export interface DesktopBridge extends WorkbenchApi {
  pathForFile(file: File): string;
}
