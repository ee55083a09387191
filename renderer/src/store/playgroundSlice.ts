import type { StateCreator } from 'zustand';
import type { ClassifyResult, GenerateResult } from '../../../common/protocol';
import { appendToken, failStream, finishStream, startStream, type TokenStream } from '../lib/tokenStream';
import { DEFAULT_SAMPLING, type SamplingDraft } from '../lib/sampling';
import type { State } from './state';

/** Which model the Playground talks to: 'builtin:<model>' or 'run:<runId>'. */
export type SourceKey = `builtin:${string}` | `run:${string}`;

export interface ClassifyState {
  runId: string;
  text: string;
  result: ClassifyResult | null;
  error: string | null;
  busy: boolean;
}

export interface PlaygroundState {
  source: SourceKey | null;
  prompt: string;
  sampling: SamplingDraft;
  compare: boolean;
  /** Generations by requestId: only the ones on screen are kept. */
  streams: Record<string, TokenStream>;
  /** The requestIds on screen: the chosen model's, and the base model's when comparing. */
  shown: { main: string | null; base: string | null };
  classify: ClassifyState | null;
}

export interface PlaygroundSlice {
  playground: PlaygroundState;
  playgroundEdited(change: Partial<Pick<PlaygroundState, 'source' | 'prompt' | 'sampling' | 'compare'>>): void;
  generationsStarted(main: string, base: string | null): void;
  tokenReceived(requestId: string, text: string): void;
  generationFinished(requestId: string, outcome: { result: GenerateResult } | { error: string }): void;
  classifyChanged(classify: ClassifyState | null): void;
}

export const createPlaygroundSlice: StateCreator<State, [], [], PlaygroundSlice> = (set) => ({
  playground: { source: null, prompt: 'Once upon a time', sampling: DEFAULT_SAMPLING, compare: false, streams: {}, shown: { main: null, base: null }, classify: null },

  playgroundEdited: (change) => set((s) => ({ playground: { ...s.playground, ...change } })),

  generationsStarted: (main, base) =>
    set((s) => {
      const streams: Record<string, TokenStream> = { [main]: startStream(main) };
      if (base) streams[base] = startStream(base);
      return { playground: { ...s.playground, streams, shown: { main, base } } };
    }),

  tokenReceived: (requestId, text) =>
    set((s) => {
      const stream = s.playground.streams[requestId];
      if (!stream) return {}; // another window's generation, or one no longer on screen
      const next = appendToken(stream, text);
      return next === stream ? {} : { playground: { ...s.playground, streams: { ...s.playground.streams, [requestId]: next } } };
    }),

  generationFinished: (requestId, outcome) =>
    set((s) => {
      const stream = s.playground.streams[requestId];
      if (!stream) return {};
      const next = 'result' in outcome ? finishStream(stream, outcome.result) : failStream(stream, outcome.error);
      return { playground: { ...s.playground, streams: { ...s.playground.streams, [requestId]: next } } };
    }),

  classifyChanged: (classify) => set((s) => ({ playground: { ...s.playground, classify } })),
});
