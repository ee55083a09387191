// An inference session: a trainer process started to use models rather than train them. It answers generate,
// classify and score requests one at a time (each reply tagged with its requestId) until `close` or until the host
// goes away. Loaded models are kept for the next request (a playground sends many), the least recent dropped first.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { hostMessageSchema, type HostMessage, type ModelRef, type TrainerMessage } from '../../common/protocol';
import { selectBackend as defaultSelectBackend } from './backend';
import { decoderWeightBytes, WASM_WEIGHTS_LIMIT } from './decoder/checkpoint';
import * as tf from './tfjs';
import { loadModel, type LoadedModel } from './loadModel';
import { classifyWith, generateWith, scoreWith } from './useModel';
import type { TrainerChannel } from './session';

const KEEP_MODELS = 3;

type Request = Extract<HostMessage, { type: 'generate' | 'classify' | 'score' }>;

export interface InferenceOptions {
  selectBackend?: typeof defaultSelectBackend;
  /** Backend preference, e.g. 'auto' (the default) or 'cpu'. */
  backend?: 'auto' | 'wasm' | 'cpu';
}

export function runInferenceSession(channel: TrainerChannel, options: InferenceOptions = {}): Promise<void> {
  const models = new Map<string, LoadedModel>(); // key: kind + path + mtime, most recent last
  const queue: Request[] = [];
  let closed = false;
  let wake: () => void = () => {};
  let backendReady: Promise<unknown> | null = null;

  const modelFor = (ref: ModelRef): LoadedModel => {
    // the file's mtime too: a continued run rewrites a checkpoint under the same name
    const key = `${ref.kind}:${ref.path}:${existsSync(ref.path) ? statSync(ref.path).mtimeMs : 0}`;
    let loaded = models.get(key);
    if (loaded) models.delete(key);
    else loaded = loadModel(ref);
    models.set(key, loaded);
    while (models.size > KEEP_MODELS) {
      const [oldest, model] = models.entries().next().value as [string, LoadedModel];
      model.dispose();
      models.delete(oldest);
    }
    return loaded;
  };

  /** A decoder too large for WebAssembly's heap runs on the cpu backend (tensors already loaded move on demand). */
  const fitBackendTo = async (ref: ModelRef): Promise<void> => {
    if (tf.getBackend() !== 'wasm' || (options.backend ?? 'auto') !== 'auto') return;
    const isFolder = ref.kind === 'builtin' && existsSync(join(ref.path, 'config.json'));
    const bytes = isFolder || ref.kind === 'checkpoint' ? decoderWeightBytes(ref.path, isFolder) : null;
    if (bytes !== null && bytes > WASM_WEIGHTS_LIMIT) {
      await tf.setBackend('cpu');
      channel.send({ type: 'log', level: 'info', message: `The model in ${ref.path} needs ${(bytes / 2 ** 30).toFixed(1)} GiB of weights, more than WebAssembly's heap holds: running it on the cpu backend (slower).` });
    }
  };

  const answer = (req: Request): TrainerMessage => {
    const model = modelFor(req.model);
    switch (req.type) {
      case 'generate': {
        const result = generateWith(model, req.request, (text: string) => channel.send({ type: 'token', requestId: req.requestId, text }));
        return { type: 'generated', requestId: req.requestId, result };
      }
      case 'classify':
        return { type: 'classified', requestId: req.requestId, result: classifyWith(model, req.texts) };
      case 'score':
        return { type: 'scored', requestId: req.requestId, ...scoreWith(model, req.texts) };
    }
  };

  channel.onMessage((raw) => {
    const parsed = hostMessageSchema.safeParse(raw);
    if (!parsed.success) {
      const requestId = typeof raw === 'object' && raw !== null && 'requestId' in raw ? String((raw as { requestId: unknown }).requestId) : '';
      channel.send({ type: 'failed', requestId, message: `The trainer received an invalid request: ${parsed.error.issues[0]?.message ?? 'unknown problem'}.` });
      return;
    }
    const msg = parsed.data;
    if (msg.type === 'close') closed = true;
    else if (msg.type === 'generate' || msg.type === 'classify' || msg.type === 'score') queue.push(msg);
    else channel.send({ type: 'log', level: 'warn', message: `An inference process ignores '${msg.type}' messages.` });
    wake();
  });

  return (async () => {
    for (;;) {
      const req = queue.shift();
      if (!req) {
        if (closed) break;
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      try {
        backendReady ??= (options.selectBackend ?? defaultSelectBackend)(options.backend ?? 'auto');
        await backendReady;
        await fitBackendTo(req.model);
        channel.send(answer(req));
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        channel.send({ type: 'failed', requestId: req.requestId, message });
      }
    }
    for (const model of models.values()) model.dispose();
  })();
}
