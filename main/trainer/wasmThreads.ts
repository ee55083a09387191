// The wasm backend on every core. tfjs-backend-wasm ships a threaded SIMD build (XNNPACK on a pthreadpool, one Web
// Worker per thread) but never uses it under Node: its feature test answers "no threads" whenever it runs in Node
// (tensorflow/tfjs#3830), and its loader hands the pthread workers Blob URLs, which Node's worker_threads cannot load.
// Emscripten's glue itself supports Node workers, so this file starts that build the way Node needs:
//   - the pthread worker script (shipped inside the package as a JS string) is written once to a file in the temp
//     folder, and the workers load the glue (`mainScriptUrlOrBlob`) from its path in node_modules;
//   - it then builds tfjs's own BackendWasm around the module, so every wasm kernel (and ours) runs unchanged, and
//     registers it as 'wasm' in place of the single-threaded loader.
// What the threads are for is the heap: this build's memory is a SharedArrayBuffer, so our matrix-product kernels
// (kernels/wasmGemm.ts) split each product between this thread and worker threads of their own. XNNPACK's own pool
// is kept at one thread: it spin-waits between operations, holding the core our workers need, and measured here
// (2 cores, Node 20, `npm run bench`) 2 XNNPACK threads + our 2 gave 600 ms/step at 940 ms CPU, XNNPACK on 1 + our
// 2 gave 582 ms at 820 ms CPU. The cost: emscripten starts its 8 pthread workers anyway, ~300 ms at backend start.
// TUNEBENCH_WASM_THREADS=N chooses the thread count (1 keeps the package's own single-threaded loader).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BackendWasm, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import * as tf from './tfjs';

/** The emscripten module, as far as this file and BackendWasm use it. */
interface EmscriptenModule {
  cwrap(name: string, returns: string | null, args: string[]): (...args: number[]) => number;
  PThread?: { terminateAllThreads(): void; runningWorkers: NodeWorker[]; unusedWorkers: NodeWorker[] };
  tfjs?: unknown;
}
interface NodeWorker {
  unref?(): void;
}
type Factory = (config: object) => Promise<EmscriptenModule>;

/** Our products split at most this many ways (past a few threads, waking them costs more than it saves). */
const MAX_THREADS = 8;

/** Threads to use: TUNEBENCH_WASM_THREADS when set, else one per core (at most MAX_THREADS). */
export function wasmThreadCount(): number {
  const asked = Number(process.env.TUNEBENCH_WASM_THREADS);
  const wanted = Number.isInteger(asked) && asked >= 1 ? asked : availableParallelism();
  return Math.max(1, Math.min(MAX_THREADS, wanted));
}

/** The worker script as a file (content-addressed, so two versions of the package never share one). */
function workerScriptFile(contents: string): string {
  const file = join(tmpdir(), `tunebench-tfjs-wasm-${createHash('sha256').update(contents).digest('hex').slice(0, 16)}.worker.js`);
  if (!existsSync(file)) {
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, contents);
    renameSync(partial, file); // atomic: a concurrent process never loads half a script
  }
  return file;
}

async function createThreadedBackend(packageDir: string): Promise<BackendWasm> {
  const glue = `${packageDir}wasm-out/tfjs-backend-wasm-threaded-simd.js`;
  const factory = require(glue) as Factory;
  const { wasmWorkerContents } = require(`${packageDir}wasm-out/tfjs-backend-wasm-threaded-simd.worker.js`) as { wasmWorkerContents: string };
  // The package keeps the script in a JS string whose "\n" escapes came out as real newlines (its own loader
  // escapes them again before making a Blob of it).
  const workerFile = workerScriptFile(wasmWorkerContents.replace(/\n/g, '\\n'));
  const binary = readFileSync(`${packageDir}dist/tfjs-backend-wasm-threaded-simd.wasm`);
  const module = await factory({
    locateFile: (path: string, prefix: string) => (path.endsWith('.worker.js') ? workerFile : prefix + path),
    mainScriptUrlOrBlob: glue,
    instantiateWasm(imports: WebAssembly.Imports & { env: WebAssembly.ModuleImports }, receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void) {
      WebAssembly.instantiate(binary, imports).then(({ instance, module: compiled }) => receive(instance, compiled));
      return {};
    },
  });
  module.tfjs = {
    init: module.cwrap('init', null, []),
    initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: module.cwrap('get_threads_count', 'number', []),
    registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: module.cwrap('dispose_data', null, ['number']),
    dispose: module.cwrap('dispose', null, []),
  };
  setThreadsCount(1); // XNNPACK's pool (see above); our kernels take the threads
  const backend = new BackendWasm(module as never);
  // Threads wait for work forever; emscripten keeps a running thread's worker referenced, which would
  // keep a finished process (the CLI, a test run) from exiting. Only this process's own exit ends them.
  for (const worker of [...(module.PThread?.runningWorkers ?? []), ...(module.PThread?.unusedWorkers ?? [])]) worker.unref?.();
  const dispose = backend.dispose.bind(backend);
  backend.dispose = () => {
    dispose();
    module.PThread?.terminateAllThreads(); // running pthreads would otherwise keep the process alive
  };
  return backend;
}

/**
 * Registers the threaded build as the 'wasm' backend when more than one thread is wanted and the package's files
 * are on disk (packageDir ends with '/'). Returns the threads our matrix products will use (1: nothing changed).
 * Call before tf.setBackend('wasm').
 */
export function installThreadedWasm(packageDir: string | null): number {
  const threads = wasmThreadCount();
  if (threads === 1 || !packageDir || !existsSync(`${packageDir}wasm-out/tfjs-backend-wasm-threaded-simd.js`)) return 1;
  if (typeof SharedArrayBuffer !== 'function') return 1;
  if (tf.findBackend('wasm')) return threads; // already running (installed earlier in this process)
  tf.removeBackend('wasm');
  tf.registerBackend('wasm', () => createThreadedBackend(packageDir), 2);
  return threads;
}
