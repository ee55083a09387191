import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../main/trainer/backend';
import { LlamaTrainable } from '../../../main/trainer/llama/llamaTrainable';
import { SentencePieceTokenizer } from '../../../main/trainer/llama/sentencePieceTokenizer';
import * as tf from '../../../main/trainer/tfjs';

const BASE = resolve(__dirname, '../../../resources/models/stories260k');
const present = existsSync(resolve(BASE, 'stories260K.bin'));
if (!present) console.warn(`llamaTrainable.test: ${BASE} has no stories260K.bin; skipping.`);

describe.skipIf(!present)('batched trainable Llama (stories260K)', () => {
  let model: LlamaTrainable;
  let tokenizer: SentencePieceTokenizer;
  const texts = ['Once upon a time, there was a little dog named Max. Max liked to run.', 'The sun was hot. Tim and Sue went to the beach to play in the sand!!'];

  beforeAll(async () => {
    await selectBackend('cpu');
    model = LlamaTrainable.fromCheckpoint(resolve(BASE, 'stories260K.bin'));
    tokenizer = SentencePieceTokenizer.load(resolve(BASE, 'tok512.bin'), 512);
  });
  afterAll(() => model.dispose());

  for (const backend of ['cpu', 'wasm'] as const) {
    it(`gives the KV-cached forward's logits for a batch of two texts on ${backend}`, async () => {
      await selectBackend(backend);
      const rows = texts.map((t) => tokenizer.encode(t, { bos: true }));
      const T = Math.min(...rows.map((r) => r.length));
      const ids = tf.tensor2d(rows.flatMap((r) => r.slice(0, T)), [2, T], 'int32');
      const batched = model.logits(ids); // (2, T, V)
      const inference = model.toInference();
      for (let b = 0; b < 2; b++) {
        const cache = inference.newCache();
        const steps = rows[b].slice(0, T).map((id) => inference.forward([id], cache)); // one token at a time
        const cached = tf.concat(steps, 0);
        const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(tf.squeeze(tf.slice(batched, [b, 0, 0], [1, T, -1]), [0]), cached))).dataSync()[0]);
        expect(diff).toBeLessThan(1e-4);
        tf.dispose([...steps, cached]);
        cache.dispose();
      }
      tf.dispose([ids, batched]);
      inference.dispose();
    });
  }
});
