// The system's BLAS for matrix products: OpenBLAS, MKL or BLIS on Linux and Windows, Accelerate on macOS, reached
// through koffi (an FFI with prebuilt binaries: nothing to compile at install). At the sizes people fine-tune, a
// training step is matrix products, and WebAssembly SIMD is 128 bits wide where the CPU's own code is 256 or 512:
// measured here (2-core Zen, (1024×576)·(576×1536)) OpenBLAS gives 84–88 GFLOP/s on one thread against 8–12 for our
// wasm kernels (wasmGemm.ts). cblas_sgemm reads and writes the backend's own memory in place (views into the
// WebAssembly heap, or the cpu backend's arrays): no copies. Where no library loads, products stay on the wasm
// kernels, and the reason is kept for the log.
//
// TUNEBENCH_BLAS=off turns it off; TUNEBENCH_BLAS=<path or file name> picks the library;
// TUNEBENCH_BLAS_THREADS=N sets its thread count (default: the physical cores this process may use).
import { availableParallelism } from 'node:os';
import { readFileSync } from 'node:fs';

/** cblas_sgemm on row-major float32 matrices: C (m×n) = op(A)·op(B), op(X) = Xᵀ when its flag is set. */
export type Sgemm = (transA: boolean, transB: boolean, m: number, n: number, k: number, a: Float32Array, lda: number, b: Float32Array, ldb: number, c: Float32Array, ldc: number) => void;

export interface Blas {
  /** e.g. "OpenBLAS 0.3.21 (libopenblas.so.0, Cooperlake), 2 threads" */
  description: string;
  sgemm: Sgemm;
}

export type BlasStatus = { blas: Blas; reason: null } | { blas: null; reason: string };

const ROW_MAJOR = 101;
const NO_TRANS = 111;
const TRANS = 112;

/** Libraries to try, most specific first. Each must export cblas_sgemm (a reference libblas without CBLAS does not). */
function candidates(): string[] {
  switch (process.platform) {
    case 'darwin':
      return ['/System/Library/Frameworks/Accelerate.framework/Accelerate'];
    case 'win32':
      return ['libopenblas.dll', 'openblas.dll', 'mkl_rt.2.dll', 'mkl_rt.dll'];
    default:
      return ['libopenblas.so.0', 'libopenblas.so', 'libmkl_rt.so.2', 'libmkl_rt.so', 'libblis.so.4', 'libcblas.so.3', 'libblas.so.3'];
  }
}

/**
 * Physical cores this process may run on: on Linux, distinct (package, core) pairs among the CPUs in its affinity
 * set, so hyperthread siblings count once (two threads of one core share its vector units, and a BLAS kernel on both
 * gains nothing); elsewhere, the CPUs Node reports.
 */
export function physicalCores(): number {
  const logical = availableParallelism();
  if (process.platform !== 'linux') return logical;
  try {
    const cores = new Set<string>();
    let processors = 0;
    for (const block of readFileSync('/proc/cpuinfo', 'utf8').split(/\n\s*\n/)) {
      const field = (name: string) => new RegExp(`^${name}\\s*:\\s*(.*)$`, 'm').exec(block)?.[1];
      if (field('processor') === undefined) continue;
      processors++;
      const core = field('core id');
      if (core !== undefined) cores.add(`${field('physical id') ?? 0}:${core}`);
    }
    if (cores.size === 0 || processors === 0) return logical;
    // the affinity set (a container's share of the machine) scales the machine's ratio of cores to processors
    return Math.max(1, Math.min(logical, Math.round((logical * cores.size) / processors)));
  } catch {
    return logical;
  }
}

function threadsWanted(): number {
  const asked = Number(process.env.TUNEBENCH_BLAS_THREADS);
  return Number.isInteger(asked) && asked >= 1 ? asked : physicalCores();
}

type Koffi = typeof import('koffi');
type Library = ReturnType<Koffi['load']>;

/** A function of the library, or null where it has no such symbol. */
function optional<T>(lib: Library, signature: string): T | null {
  try {
    return lib.func(signature) as unknown as T;
  } catch {
    return null;
  }
}

/** Sets the library's thread count where it has a call for it; returns the name of the library's kind. */
function configure(lib: Library, threads: number): { kind: string; threads: number | null; detail: string } {
  const openblasConfig = optional<() => string>(lib, 'const char *openblas_get_config()');
  const openblasThreads = optional<(n: number) => void>(lib, 'void openblas_set_num_threads(int)');
  if (openblasConfig && openblasThreads) {
    openblasThreads(threads);
    const config = openblasConfig(); // "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Cooperlake MAX_THREADS=64"
    const version = /^OpenBLAS\s+(\S+)/.exec(config)?.[1];
    const core = optional<() => string>(lib, 'const char *openblas_get_corename()')?.();
    return { kind: `OpenBLAS${version ? ` ${version}` : ''}`, threads, detail: core ?? '' };
  }
  const mklThreads = optional<(n: number) => void>(lib, 'void MKL_Set_Num_Threads(int)');
  if (mklThreads) {
    mklThreads(threads);
    return { kind: 'MKL', threads, detail: '' };
  }
  const blisThreads = optional<(n: number) => void>(lib, 'void bli_thread_set_num_threads(long)');
  if (blisThreads) {
    blisThreads(threads);
    return { kind: 'BLIS', threads, detail: '' };
  }
  return { kind: process.platform === 'darwin' ? 'Accelerate' : 'BLAS', threads: null, detail: '' };
}

/** A 2×3·3×2 product and its transposed form with known answers: a library that gets them wrong is not used. */
function checkAnswers(sgemm: Sgemm): string | null {
  const a = Float32Array.from([1, 2, 3, 4, 5, 6]); // 2×3
  const b = Float32Array.from([7, 8, 9, 10, 11, 12]); // 3×2
  const c = new Float32Array(4);
  sgemm(false, false, 2, 2, 3, a, 3, b, 2, c, 2);
  const ct = new Float32Array(4);
  sgemm(true, true, 2, 2, 3, Float32Array.from([1, 4, 2, 5, 3, 6]), 2, Float32Array.from([7, 9, 11, 8, 10, 12]), 3, ct, 2);
  const want = [58, 64, 139, 154];
  const ok = (x: Float32Array) => want.every((v, i) => x[i] === v);
  return ok(c) && ok(ct) ? null : `gave [${Array.from(c)}] and [${Array.from(ct)}] for a product whose answer is [${want}]`;
}

function loadFrom(koffi: Koffi, name: string, threads: number): Blas {
  const lib = koffi.load(name);
  const raw = lib.func('void cblas_sgemm(int, int, int, int, int, int, float, const float *, int, const float *, int, float, _Inout_ float *, int)') as unknown as (...args: unknown[]) => void;
  const sgemm: Sgemm = (transA, transB, m, n, k, a, lda, b, ldb, c, ldc) =>
    raw(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k, 1, a, lda, b, ldb, 0, c, ldc);
  const { kind, threads: set, detail } = configure(lib, threads);
  const wrong = checkAnswers(sgemm);
  if (wrong) throw new Error(wrong);
  const file = name.split(/[\\/]/).pop();
  const where = [file, detail].filter(Boolean).join(', ');
  const threadText = set === null ? "the library's own threads" : `${set} thread${set === 1 ? '' : 's'}`;
  return { description: `${kind} (${where}), ${threadText}`, sgemm };
}

let status: BlasStatus | null = null;

/** The system BLAS, loaded once per process, or why there is none. */
export function loadBlas(): BlasStatus {
  if (status) return status;
  const setting = process.env.TUNEBENCH_BLAS?.trim();
  if (setting === 'off' || setting === '0') return (status = { blas: null, reason: 'turned off by TUNEBENCH_BLAS' });
  let koffi: Koffi;
  try {
    koffi = require('koffi') as Koffi;
  } catch (err) {
    return (status = { blas: null, reason: `the koffi FFI did not load (${(err instanceof Error ? err.message : String(err)).split('\n')[0]})` });
  }
  const names = setting ? [setting] : candidates();
  const threads = threadsWanted();
  const failures: string[] = [];
  for (const name of names) {
    try {
      return (status = { blas: loadFrom(koffi, name, threads), reason: null });
    } catch (err) {
      failures.push(`${name}: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}`);
    }
  }
  return (status = { blas: null, reason: `no system BLAS with cblas_sgemm loaded (${failures.join('; ')})` });
}
