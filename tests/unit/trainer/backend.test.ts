import { describe, expect, it } from 'vitest';
import { selectBackend, selfTest } from '../../../main/trainer/backend';
import * as tf from '../../../main/trainer/tfjs';

describe('selectBackend', () => {
  it("in 'auto' tries the native and GPU backends first and says why each was passed over", async () => {
    const chosen = await selectBackend('auto');
    expect(['tensorflow', 'webgpu', 'wasm', 'cpu']).toContain(chosen.backend);
    expect(tf.getBackend()).toBe(chosen.backend === 'tensorflow' ? 'tensorflow' : chosen.backend);
    expect(chosen.tried[0]).toMatch(/^tensorflow \(tfjs-node-gpu\): /);
    expect(chosen.tried.at(-1)).toMatch(/: ok \(/);
    if (chosen.backend === 'wasm') {
      expect(chosen.tried.some((line) => line.startsWith('webgpu (Dawn): '))).toBe(true);
      expect(chosen.device).toMatch(/^CPU, WebAssembly( SIMD)?, \d+ threads?; matrix products on /);
    }
  });

  it('switches to an explicitly requested backend that passes the self-test', async () => {
    const cpu = await selectBackend('cpu');
    expect(cpu.backend).toBe('cpu');
    expect(cpu.device).toMatch(/^CPU, JavaScript; matrix products on (.+ threads?|the library's own threads|JavaScript loops \(no system BLAS\))$/);
    expect(cpu.tried[0]).toBe(`cpu: ok (${cpu.device})`);
    expect(tf.getBackend()).toBe('cpu');
    await expect(selfTest()).resolves.toBeUndefined();
    expect((await selectBackend('wasm')).backend).toBe('wasm');
    await expect(selfTest()).resolves.toBeUndefined();
  });

  it('refuses an explicit backend that cannot load, naming the reason', async () => {
    await expect(selectBackend('tensorflow')).rejects.toThrow(/'tensorflow' backend is not usable here \(tensorflow \(tfjs-node-gpu\): not installed; tensorflow \(tfjs-node\): not installed\)/);
  });
});
