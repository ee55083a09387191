// The Playground: generate with a fresh requestId (tokens stream in as playground.onDidToken events, matched by that
// id), optionally the base model beside it for the same prompt; classify a text with a run's classifier.
import type { ModelSource } from '../../../../common/contracts/models';
import type { GenerateRequest } from '../../../../common/protocol';
import { newRequestId } from '../../lib/tokenStream';
import type { SourceKey } from '../playgroundSlice';
import { useWorkbenchStore } from '../store';
import { connection } from './boundConnection';

const store = () => useWorkbenchStore.getState();
const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** The base model "Compare with base" shows beside a tuned run. */
export const COMPARE_BASE: ModelSource = { kind: 'builtin', model: 'stories260k' };

export function sourceOf(key: SourceKey): ModelSource {
  const [kind, id] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
  return kind === 'run' ? { kind: 'run', runId: id } : { kind: 'builtin', model: id as Extract<ModelSource, { kind: 'builtin' }>['model'] };
}

async function generateOne(requestId: string, source: ModelSource, request: GenerateRequest): Promise<void> {
  try {
    const result = await connection().api.call('playground.generate', { requestId, source, request });
    store().generationFinished(requestId, result.ok ? { result: result.value } : { error: result.error.message });
  } catch (err) {
    store().generationFinished(requestId, { error: message(err) });
  }
}

/** Generates from `source`; with `compare`, then from the base model with the same prompt and settings. */
export async function generate(source: ModelSource, request: GenerateRequest, compare: boolean): Promise<void> {
  const main = newRequestId();
  const base = compare ? newRequestId() : null;
  store().generationsStarted(main, base);
  await generateOne(main, source, request);
  if (base) await generateOne(base, COMPARE_BASE, request);
}

export async function classifyText(runId: string, text: string): Promise<void> {
  store().classifyChanged({ runId, text, result: null, error: null, busy: true });
  try {
    const result = await connection().api.call('playground.classify', { runId, texts: [text] });
    store().classifyChanged({ runId, text, busy: false, result: result.ok ? result.value : null, error: result.ok ? null : result.error.message });
  } catch (err) {
    store().classifyChanged({ runId, text, busy: false, result: null, error: message(err) });
  }
}
