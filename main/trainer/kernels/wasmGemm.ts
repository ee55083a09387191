// Matrix products in WebAssembly SIMD on the tfjs wasm backend's own heap, split across threads of our own.
//
// Why: XNNPACK (inside tfjs-backend-wasm) creates an operator per product, which for attention's 64 small products
// of 64×32·32×64 costs several times the arithmetic, and its thread pool spin-waits between products, holding a core
// the rest of the step needs. Measured here (2 cores, Node 20), GFLOP/s on one thread:
//                                     XNNPACK   this kernel, mul + add   this kernel, fused multiply-add
//   1024×128·128×512                   8–10      8.0 (B packed)           10.9–11.7 (B packed)
//   64 × (64×32)·(32×64)               1.9       6–8                      –
// So every product that fits (rows a multiple of 4, columns of 8) runs here: the 2-D ones with B packed into 8-column
// panels, the batched ones as they lie, each split by rows or by batch entries between this thread and the workers.
//
// The inner block is 4 rows × 8 columns of C in eight f32x4 accumulators: per k, two vector loads of B, then per row
// one broadcast of A[i][k] and two multiply-adds (relaxed-SIMD f32x4.relaxed_madd where V8 accepts it: one FMA on
// x86 with FMA3, Node 20 needs --experimental-wasm-relaxed-simd, which is set here before compiling). All operands
// are row-major; addresses and strides are in bytes. Every element of C is summed by one thread in the same k order,
// so results do not depend on the thread count.
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { Code, I32, V128, assemble, type ValType } from './wasmAsm';

/** Parameters of the `gemm` export, in order. B's element (k, j) is at b + (j/8)·panelStride + k·kStride + (j%8)·4. */
const GEMM_PARAMS = ['a', 'b', 'c', 'batch', 'm', 'k', 'n', 'strideA', 'strideB', 'strideC', 'rowStart', 'rowEnd', 'panelStride', 'kStride'] as const;
type GemmExport = (...args: number[]) => void;

function gemmBody(fma: boolean): { params: ValType[]; locals: ValType[]; body: Code } {
  const [A, B, C, BATCH, , K, N, SA, SB, SC, ROW_START, ROW_END, PANEL, KSTRIDE] = GEMM_PARAMS.map((_, i) => i);
  const [ROW_A, ROW_C, BI, I, J, KK, PB, PC] = [14, 15, 16, 17, 18, 19, 20, 21];
  const PA = [22, 23, 24, 25];
  const [AV, B0, B1] = [26, 27, 28];
  const ACC = [29, 30, 31, 32, 33, 34, 35, 36];
  const PANEL_B = 37; // B's current 8-column panel
  const locals: ValType[] = [...Array(12).fill(I32), ...Array(11).fill(V128), I32];
  const madd = (acc: number, b: number) => {
    if (fma) c.get(AV).get(b).get(acc).f32x4RelaxedMadd().set(acc);
    else c.get(acc).get(AV).get(b).f32x4Mul().f32x4Add().set(acc);
  };

  const c = new Code();
  c.get(K).i32(4).mul().set(ROW_A);
  c.get(N).i32(4).mul().set(ROW_C);
  c.i32(0).set(BI);
  c.forUp(BI, BATCH, 1, () => {
    c.get(ROW_START).set(I);
    c.forUp(I, ROW_END, 4, () => {
      c.i32(0).set(J);
      c.get(B).set(PANEL_B);
      c.forUp(J, N, 8, () => {
        for (const acc of ACC) c.v128Zero().set(acc);
        c.get(A).get(I).get(ROW_A).mul().add().set(PA[0]);
        for (let r = 1; r < 4; r++) c.get(PA[r - 1]).get(ROW_A).add().set(PA[r]);
        c.get(PANEL_B).set(PB);
        c.i32(0).set(KK);
        c.forUp(KK, K, 1, () => {
          c.get(PB).v128Load(0).set(B0);
          c.get(PB).v128Load(16).set(B1);
          for (let r = 0; r < 4; r++) {
            c.get(PA[r]).f32Load().f32x4Splat().set(AV);
            madd(ACC[2 * r], B0);
            madd(ACC[2 * r + 1], B1);
            c.inc(PA[r], 4);
          }
          c.inc(PB, () => c.get(KSTRIDE));
        });
        c.get(C).get(I).get(ROW_C).mul().add().get(J).i32(4).mul().add().set(PC);
        for (let r = 0; r < 4; r++) {
          c.get(PC).get(ACC[2 * r]).v128Store(0);
          c.get(PC).get(ACC[2 * r + 1]).v128Store(16);
          c.inc(PC, () => c.get(ROW_C));
        }
        c.inc(PANEL_B, () => c.get(PANEL));
      });
    });
    c.inc(A, () => c.get(SA));
    c.inc(B, () => c.get(SB));
    c.inc(C, () => c.get(SC));
  });
  return { params: Array(GEMM_PARAMS.length).fill(I32), locals, body: c };
}

/** pack(b, p, k, n): B (k×n, row-major) into n/8 panels of k rows × 8 columns, contiguous, at p. */
function packBody(): { params: ValType[]; locals: ValType[]; body: Code } {
  const [B, P, K, N] = [0, 1, 2, 3];
  const [ROW, J, KK, SRC] = [4, 5, 6, 7];
  const c = new Code();
  c.get(N).i32(4).mul().set(ROW);
  c.i32(0).set(J);
  c.forUp(J, N, 8, () => {
    c.get(B).get(J).i32(4).mul().add().set(SRC);
    c.i32(0).set(KK);
    c.forUp(KK, K, 1, () => {
      c.get(P).get(SRC).v128Load(0).v128Store(0);
      c.get(P).get(SRC).v128Load(16).v128Store(16);
      c.inc(P, 32);
      c.inc(SRC, () => c.get(ROW));
    });
  });
  return { params: [I32, I32, I32, I32], locals: [I32, I32, I32, I32], body: c };
}

let relaxedTried = false;
/** The module's bytes: with fused multiply-adds where this V8 takes relaxed SIMD, else with mul + add. */
function moduleBytes(shared: boolean): Uint8Array<ArrayBuffer> | null {
  if (!relaxedTried) {
    relaxedTried = true;
    try {
      setFlagsFromString('--experimental-wasm-relaxed-simd'); // on by default from Node 22; a no-op there
    } catch {
      // not Node: the plain build below serves
    }
  }
  for (const fma of [true, false]) {
    const bytes = assemble([{ name: 'gemm', ...gemmBody(fma) }, { name: 'pack', ...packBody() }], shared);
    if (WebAssembly.validate(bytes)) return bytes;
  }
  return null;
}

// How long a thread polls for the next job (a worker) or for a worker's part (the posting thread) before it sleeps
// in Atomics.wait. A training step posts a product every few milliseconds; a sleeping worker is woken by the
// kernel onto the poster's core, where it preempts the poster until the scheduler moves it, and a polling one is
// already running on its own core. Measured here (2 cores, Node 20, `npm run bench -- --steps 25`, steps alternated
// in one run): 515 ms/step polling 2 ms vs 583 ms sleeping at once, for ~120 ms more CPU time per step.
const POLL_MS = 2;

// The workers' side: instantiate the same module on the same heap, then wait for work in a loop. Control block:
// [0] job number (posted), [1] job number done, [2] 1 when that job failed, [3…] gemm's arguments. A failure is
// reported, never left unanswered: the posting thread blocks until the job is done.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { bytes, memory, control } = workerData;
const { gemm } = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports;
const ctl = new Int32Array(control);
let job = 0;
for (;;) {
  for (let i = 0, t = performance.now(); Atomics.load(ctl, 0) === job; i++) {
    if ((i & 255) === 255 && performance.now() - t > ${POLL_MS}) break;
  }
  Atomics.wait(ctl, 0, job);
  job = Atomics.load(ctl, 0);
  try {
    gemm(${GEMM_PARAMS.map((_, i) => `ctl[${3 + i}]`).join(', ')});
  } catch {
    ctl[2] = 1;
  }
  Atomics.store(ctl, 1, job);
  Atomics.notify(ctl, 1);
}
`;

/** Multiply-adds below which a product stays on one thread (waking a worker costs tens of microseconds). */
const MIN_SPLIT = 1 << 16;

interface PoolWorker {
  control: Int32Array;
  job: number;
}

/** Our products on one heap: the kernels, and the worker threads that take a share of each product. */
export class WasmGemm {
  private readonly gemmExport: GemmExport;
  private readonly packExport: (b: number, p: number, k: number, n: number) => void;
  private readonly workers: PoolWorker[] = [];

  constructor(memory: WebAssembly.Memory, bytes: Uint8Array<ArrayBuffer>, threads: number) {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
    this.gemmExport = instance.exports.gemm as GemmExport;
    this.packExport = instance.exports.pack as WasmGemm['packExport'];
    for (let i = 1; i < threads; i++) {
      const control = new Int32Array(new SharedArrayBuffer(4 * (3 + GEMM_PARAMS.length)));
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { bytes, memory, control: control.buffer } });
      worker.unref(); // it waits for work for the life of the process, which must still be free to exit
      this.workers.push({ control, job: 0 });
    }
  }

  /** Threads a product is split across, this one included. */
  get threads(): number {
    return this.workers.length + 1;
  }

  /** Runs `gemm` over parts [0, parts) of some range: part 0 here, the others on the workers, and waits for all. */
  private split(parts: number, argsOf: (part: number) => number[]): void {
    const used = this.workers.slice(0, parts - 1);
    used.forEach((w, i) => {
      w.control.set([0, ...argsOf(i + 1)], 2);
      w.job++;
      Atomics.store(w.control, 0, w.job);
      Atomics.notify(w.control, 0);
    });
    this.gemmExport(...argsOf(0));
    for (const w of used) {
      for (let i = 0, t = performance.now(); Atomics.load(w.control, 1) !== w.job; i++) {
        if ((i & 255) === 255 && performance.now() - t > POLL_MS) break;
      }
      for (let done = Atomics.load(w.control, 1); done !== w.job; done = Atomics.load(w.control, 1)) Atomics.wait(w.control, 1, done);
    }
    if (used.some((w) => w.control[2] !== 0)) throw new Error('A matrix-product worker thread failed (wasm kernel trap).');
  }

  /**
   * C (m×n) = A (m×k) · B (k×n); m % 4 == 0, n % 8 == 0. `scratch` is k·n floats of heap for B's packed copy.
   * Rows are split between the threads in blocks of 4.
   */
  product(a: number, b: number, c: number, m: number, k: number, n: number, scratch: number): void {
    this.packExport(b, scratch, k, n);
    const blocks = m / 4;
    const parts = m * k * n < MIN_SPLIT ? 1 : Math.min(this.threads, blocks);
    const rowsAt = (part: number) => 4 * Math.round((blocks * part) / parts);
    this.split(parts, (part) => [a, scratch, c, 1, m, k, n, 0, 0, 0, rowsAt(part), rowsAt(part + 1), 32 * k, 32]);
  }

  /**
   * C_i (m×n) = A_i (m×k) · B_i (k×n) for i < batch, operands as they lie (strideA 0: one A for every B), split
   * between the threads by batch entries; m % 4 == 0, n % 8 == 0.
   */
  batched(a: number, b: number, c: number, batch: number, m: number, k: number, n: number, strideA: number): void {
    const parts = batch * m * k * n < MIN_SPLIT ? 1 : Math.min(this.threads, batch);
    const at = (part: number) => Math.round((batch * part) / parts);
    const [sB, sC] = [k * n * 4, m * n * 4];
    this.split(parts, (part) => {
      const first = at(part);
      return [a + first * strideA, b + first * sB, c + first * sC, at(part + 1) - first, m, k, n, strideA, sB, sC, 0, m, 32, n * 4];
    });
  }
}

const cache = new WeakMap<WebAssembly.Memory, WasmGemm | null>();

/**
 * The kernels bound to a heap (built once per memory) with `threads` threads in all (workers only on a shared
 * heap), or null where WebAssembly SIMD is missing.
 */
export function gemmFor(memory: WebAssembly.Memory, threads = 1): WasmGemm | null {
  if (cache.has(memory)) return cache.get(memory)!;
  const shared = typeof SharedArrayBuffer === 'function' && memory.buffer instanceof SharedArrayBuffer;
  const bytes = moduleBytes(shared);
  const gemm = bytes ? new WasmGemm(memory, bytes, shared ? threads : 1) : null;
  cache.set(memory, gemm);
  return gemm;
}
