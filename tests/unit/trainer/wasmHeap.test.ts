import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../../main/trainer/backend';
import * as tf from '../../../main/trainer/tfjs';

// WebAssembly's heap stops at 4 GiB. tfjs-backend-wasm does not check its allocator's answer, so a tensor past the
// ceiling used to be written over the start of the heap (a 106M-parameter fine-tune at 4×256 tokens then spun for
// minutes without finishing a step). It is now an error that names the heap and what to change.
describe('the wasm backend at its 4 GiB ceiling', () => {
  it('refuses a tensor that does not fit in one sentence, and keeps working', async () => {
    await selectBackend('wasm');
    const big = tf.fill([2 ** 29], 1); // 2 GiB
    try {
      expect(() => tf.fill([2 ** 29], 2)).toThrow(/WebAssembly's 4 GiB heap is full: 2048 MB more were needed with \d+ MB in use\. Train with a smaller batchSize or contextLength, method lora, or backend cpu/);
    } finally {
      big.dispose();
    }
    const small = tf.add(tf.ones([4]), 1);
    expect(Array.from(await small.data())).toEqual([2, 2, 2, 2]);
    small.dispose();
  });
});
