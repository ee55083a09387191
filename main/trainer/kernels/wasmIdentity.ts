// Identity on the wasm backend without a copy. tfjs's engine clones every tensor a kernel saves for its gradient
// (engine.saveTensorsForBackwardMode → Identity), and tfjs-backend-wasm's Identity copies the whole buffer, where the
// cpu backend only counts one more reference. Tensors are immutable (a Variable's assign swaps in a new buffer), and
// the wasm backend already shares buffers by reference count for Reshape, so the clone can share too: measured here
// (2 cores, `npm run bench`), the copies were ~28 ms of a ~700 ms training step.
import { Identity, getKernel, registerKernel, unregisterKernel, type KernelFunc, type TensorInfo } from '../tfjs';

const BACKEND = 'wasm';
let installed = false;

interface RefCounted {
  incRef(dataId: object): void;
}

/** Registers the override once per process. Safe to call before or after the wasm backend initialises. */
export function installWasmIdentity(): void {
  if (installed) return;
  const original = getKernel(Identity, BACKEND);
  if (!original) throw new Error('The wasm backend has no Identity kernel to replace.');
  const kernelFunc: KernelFunc = ({ inputs, backend }) => {
    const x = inputs.x as TensorInfo;
    if (x.dtype === 'string') return original.kernelFunc({ inputs, backend, attrs: {} }) as TensorInfo;
    (backend as unknown as RefCounted).incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  };
  unregisterKernel(Identity, BACKEND);
  registerKernel({ ...original, kernelFunc });
  installed = true;
}
