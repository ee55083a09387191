// Choosing the tfjs backend: the first candidate that loads and passes a tiny self-test wins. Order for 'auto':
// tensorflow via tfjs-node-gpu (CUDA) → tensorflow via tfjs-node (native CPU) → webgpu via npm `webgpu` (Dawn) →
// wasm → cpu. The native packages and `webgpu` are optionalDependencies, loaded with guarded dynamic imports.
import * as tf from './tfjs';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { BackendName } from '../../common/config';
import { badInput } from '../../common/result';
import { installBackwardMemory } from './backwardMemory';
import { loadBlas } from './kernels/blas';
import { installBlasMatMul } from './kernels/blasMatMul';
import { installWasmIdentity } from './kernels/wasmIdentity';
import { installWasmMatMul } from './kernels/wasmMatMul';
import { installThreadedWasm } from './wasmThreads';
import { oneHotFloat } from './layers';

export interface SelectedBackend {
  backend: BackendName;
  /** Human description, e.g. "CPU, WebAssembly SIMD, 1 thread". */
  device: string;
  /** One line per candidate tried, e.g. "tensorflow (tfjs-node-gpu): not installed". */
  tried: string[];
}

interface Candidate {
  /** e.g. "tensorflow (tfjs-node-gpu)" */
  label: string;
  backend: BackendName;
  /** Loads and activates the backend; returns its device description. Throws with a reason when unusable. */
  activate(auto: boolean): Promise<string>;
}

const ADAPTER_TIMEOUT_MS = 5000;

// Specifiers in variables: these packages may be absent, and neither TypeScript nor the bundler should resolve them.
const TFJS_NODE_GPU = '@tensorflow/tfjs-node-gpu';
const TFJS_NODE = '@tensorflow/tfjs-node';
const WEBGPU = 'webgpu';

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function isMissingModule(err: unknown): boolean {
  const code = (err as { code?: string })?.code;
  const message = err instanceof Error ? err.message : String(err);
  return code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND' || /Cannot find (module|package)|Failed to load url/i.test(message);
}

async function useBackend(name: string): Promise<void> {
  if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') failed`);
  await tf.ready();
}

function nativeCandidate(pkg: string, device: string): Candidate {
  return {
    label: `tensorflow (${pkg.split('/')[1]})`,
    backend: 'tensorflow',
    async activate() {
      try {
        await import(/* @vite-ignore */ pkg);
      } catch (err) {
        throw isMissingModule(err) ? new Error('not installed') : err;
      }
      await useBackend('tensorflow');
      return device;
    },
  };
}

interface GpuAdapterLike {
  isFallbackAdapter?: boolean;
  info?: { vendor?: string; architecture?: string; device?: string; description?: string };
}

/** Software rasterisers that Dawn exposes as adapters: correct but ~10x slower than wasm here. */
function isSoftwareAdapter(adapter: GpuAdapterLike): boolean {
  const info = adapter.info ?? {};
  const text = `${info.vendor ?? ''} ${info.architecture ?? ''} ${info.device ?? ''} ${info.description ?? ''}`;
  return adapter.isFallbackAdapter === true || /swiftshader|llvmpipe|lavapipe|software|warp/i.test(text);
}

function describeAdapter(adapter: GpuAdapterLike): string {
  const info = adapter.info ?? {};
  const name = info.description || [info.vendor, info.architecture, info.device].filter(Boolean).join(' ') || 'unknown adapter';
  return `GPU, WebGPU (Dawn): ${name}`;
}

const webgpuCandidate: Candidate = {
  label: 'webgpu (Dawn)',
  backend: 'webgpu',
  async activate(auto) {
    const g = globalThis as { navigator?: { gpu?: { requestAdapter(o?: object): Promise<GpuAdapterLike | null> } } };
    if (!g.navigator?.gpu) {
      let dawn: { create(flags: string[]): unknown; globals: object };
      try {
        dawn = await import(/* @vite-ignore */ WEBGPU);
      } catch (err) {
        throw isMissingModule(err) ? new Error('npm package webgpu not installed') : err;
      }
      Object.assign(globalThis, dawn.globals);
      g.navigator ??= {};
      g.navigator.gpu = dawn.create([]) as never;
    }
    const gpu = g.navigator!.gpu!;
    const adapter = await withTimeout(gpu.requestAdapter({ powerPreference: 'high-performance' }), ADAPTER_TIMEOUT_MS, 'the GPU adapter request');
    if (!adapter) throw new Error('no GPU adapter found');
    if (auto && isSoftwareAdapter(adapter)) throw new Error(`skipped software adapter (${describeAdapter(adapter)}); wasm is faster`);
    // The package registers 'webgpu' at import time only when navigator.gpu exists, so it is imported here.
    await import('@tensorflow/tfjs-backend-webgpu');
    if (!tf.findBackendFactory('webgpu')) throw new Error('@tensorflow/tfjs-backend-webgpu did not register');
    await withTimeout(useBackend('webgpu'), ADAPTER_TIMEOUT_MS * 2, 'the WebGPU device request');
    return describeAdapter(adapter);
  },
};

/** tfjs-backend-wasm's folder (ending in '/'), when Node's resolver can find the package. */
function findWasmDir(): string | null {
  try {
    if (typeof require !== 'function') return null;
    const pkg = require.resolve('@tensorflow/tfjs-backend-wasm/package.json');
    return pkg.slice(0, -'package.json'.length);
  } catch {
    return null;
  }
}

/**
 * Puts a CPU backend's matrix products on the system BLAS where one loads (kernels/blas.ts) and says where they run,
 * with the reason when it is not BLAS: e.g. "matrix products on OpenBLAS 0.3.21 (libopenblas.so.0, Zen), 2 threads".
 */
function onBlas(backend: 'wasm' | 'cpu'): string {
  const { blas, reason } = loadBlas();
  if (blas) {
    installBlasMatMul(backend, blas);
    return `matrix products on ${blas.description}`;
  }
  blasNote = `blas: ${reason}`;
  return `matrix products on ${backend === 'wasm' ? 'WebAssembly kernels' : 'JavaScript loops'} (no system BLAS)`;
}
/** Why the last backend started has no BLAS, for the candidates' log lines. */
let blasNote: string | null = null;

interface WasmAllocator {
  _malloc(bytes: number): number;
  asm?: { malloc?(bytes: number): number };
  wasmMemory?: WebAssembly.Memory;
  __tunebenchGuarded?: boolean;
}

const MB = 2 ** 20;

/**
 * tfjs-backend-wasm takes memory for every tensor with the C side's malloc and never checks the answer: when the
 * heap cannot grow past WebAssembly's 4 GiB, malloc returns 0 and the tensor is written over the start of the heap,
 * corrupting the allocator (what made a 106M-parameter fine-tune at 4×256 tokens spin for minutes without a step, or
 * trap in a matrix-product worker). This turns that answer into an error naming the heap and what to change.
 */
function guardWasmHeap(backend: { wasm: WasmAllocator }): void {
  const module = backend.wasm;
  if (module.__tunebenchGuarded) return;
  // the raw export: emscripten's _malloc stub replaces Module._malloc with it on its first call
  const malloc = module.asm?.malloc ?? module._malloc.bind(module);
  module._malloc = (bytes: number) => {
    const at = malloc(bytes);
    if (at === 0 && bytes > 0) {
      const used = module.wasmMemory?.buffer.byteLength ?? 0;
      throw new Error(`WebAssembly's 4 GiB heap is full: ${Math.ceil(bytes / MB)} MB more were needed with ${Math.round(used / MB)} MB in use. Train with a smaller batchSize or contextLength, method lora, or backend cpu (no such ceiling).`);
    }
    return at;
  };
  module.__tunebenchGuarded = true;
}

const wasmCandidate: Candidate = {
  label: 'wasm',
  backend: 'wasm',
  async activate() {
    const dir = findWasmDir();
    if (dir) setWasmPaths(dir + 'dist/');
    const threads = installThreadedWasm(dir);
    installWasmMatMul();
    installWasmIdentity();
    const products = onBlas('wasm');
    await useBackend('wasm');
    guardWasmHeap(tf.backend() as unknown as { wasm: WasmAllocator });
    const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
    return `CPU, WebAssembly${simd ? ' SIMD' : ''}, ${threads} thread${threads === 1 ? '' : 's'}; ${products}`;
  },
};

const cpuCandidate: Candidate = {
  label: 'cpu',
  backend: 'cpu',
  async activate() {
    const products = onBlas('cpu');
    await useBackend('cpu');
    return `CPU, JavaScript; ${products}`;
  },
};

const CANDIDATES: Record<BackendName, Candidate[]> = {
  tensorflow: [nativeCandidate(TFJS_NODE_GPU, 'GPU, TensorFlow CUDA (tfjs-node-gpu)'), nativeCandidate(TFJS_NODE, 'CPU, TensorFlow native (tfjs-node)')],
  webgpu: [webgpuCandidate],
  wasm: [wasmCandidate],
  cpu: [cpuCandidate],
};
const AUTO_ORDER: BackendName[] = ['tensorflow', 'webgpu', 'wasm', 'cpu'];

const close = (actual: ArrayLike<number>, expected: number[]): boolean =>
  expected.every((v, i) => Math.abs(actual[i] - v) <= 1e-4 * Math.max(1, Math.abs(v)));

/**
 * A 2×2 matmul and its gradient (d/dB sum(A·B) = Aᵀ·1, a transposed matmul), a one-hot embedding lookup and a softmax
 * cross-entropy, with known answers: the kernels every training step needs. Throws naming what came out wrong.
 */
export async function selfTest(): Promise<void> {
  const a = tf.tensor2d([1, 2, 3, 4], [2, 2]);
  const b = tf.tensor2d([5, 6, 7, 8], [2, 2]);
  const labels = tf.tensor2d([0, 1], [1, 2]);
  try {
    const product = tf.tidy(() => tf.matMul(a, b));
    const grad = tf.tidy(() => tf.grad((w: tf.Tensor) => tf.sum(tf.matMul(a, w)))(b));
    const loss = tf.tidy(() => tf.losses.softmaxCrossEntropy(labels, tf.tensor2d([0, 0], [1, 2])));
    const lookup = tf.tidy(() => tf.matMul(oneHotFloat(tf.tensor1d([1, 0], 'int32'), 2), b)); // rows 1, 0 of B
    const [p, g, l, e] = await Promise.all([product.data(), grad.data(), loss.data(), lookup.data()]);
    tf.dispose([product, grad, loss, lookup]);
    if (!close(p, [19, 22, 43, 50])) throw new Error(`self-test matmul gave [${Array.from(p)}], expected [19,22,43,50]`);
    if (!close(g, [4, 4, 6, 6])) throw new Error(`self-test gradient gave [${Array.from(g)}], expected [4,4,6,6]`);
    if (!close(e, [7, 8, 5, 6])) throw new Error(`self-test embedding lookup gave [${Array.from(e)}], expected [7,8,5,6]`);
    if (!close(l, [Math.LN2])) throw new Error(`self-test cross-entropy gave ${l[0]}, expected ${Math.LN2}`);
  } finally {
    tf.dispose([a, b, labels]);
  }
}

const reasonOf = (err: unknown): string => (err instanceof Error ? err.message : String(err)).split('\n')[0];

/** Activates the preferred backend (or, for 'auto', the first usable one) and returns what was chosen. */
export async function selectBackend(preferred: 'auto' | BackendName): Promise<SelectedBackend> {
  tf.env().set('PROD', true); // no debug checks, no "looks like you are running TensorFlow.js in Node" banner on stderr
  installBackwardMemory(); // gradients and saved tensors freed during the backward pass, as PyTorch frees them
  const auto = preferred === 'auto';
  const candidates = auto ? AUTO_ORDER.flatMap((name) => CANDIDATES[name]) : CANDIDATES[preferred];
  const tried: string[] = [];
  for (const candidate of candidates) {
    try {
      blasNote = null;
      const device = await candidate.activate(auto);
      await selfTest();
      tried.push(`${candidate.label}: ok (${device})`);
      if (blasNote) tried.push(blasNote);
      return { backend: candidate.backend, device, tried };
    } catch (err) {
      tried.push(`${candidate.label}: ${reasonOf(err)}`);
    }
  }
  if (auto) throw new Error(`No tfjs backend could start: ${tried.join('; ')}.`);
  throw badInput(`The '${preferred}' backend is not usable here (${tried.join('; ')}); set backend to 'auto' to use the first that works.`);
}
