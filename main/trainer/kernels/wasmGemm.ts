// Matrix products in WebAssembly SIMD on the tfjs wasm backend's own heap, split across threads of our own.
//
// Why: XNNPACK (inside tfjs-backend-wasm) creates an operator per product, which for attention's 64 small products
// of 64×32·32×64 costs several times the arithmetic, and its thread pool spin-waits between products, holding a core
// the rest of the step needs. Measured here (2 cores, Node 20), GFLOP/s on one thread:
//                                     XNNPACK   this kernel, mul + add   this kernel, fused multiply-add
//   1024×128·128×512                   8–10      8.0 (B packed)           10.9–11.7 (B packed)
//   64 × (64×32)·(32×64)               1.9       6–8                      –
// So every product that fits (rows a multiple of 4, columns of 8) runs here: the 2-D ones with B packed into 8-column
// panels, the batched ones as they lie (B packed when stored transposed), each split by rows or by batch entries
// between this thread and the workers.
//
// The inner block is 4 rows × 8 columns of C in eight f32x4 accumulators: per k, two vector loads of B, then per row
// one broadcast of A[i][k] and two multiply-adds (relaxed-SIMD f32x4.relaxed_madd where V8 accepts it: one FMA on
// x86 with FMA3, Node 20 needs --experimental-wasm-relaxed-simd, which is set here before compiling). A is read
// through two strides, so a transposed A costs nothing; a transposed B is gathered into the panels instead of
// copied (packT). C is row-major; addresses and strides are in bytes. Every element of C is summed by one thread
// in the same k order, so results do not depend on the thread count.
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { Code, Frame, I32, V128, assemble, type FunctionDef } from './wasmAsm';

/**
 * Parameters of the `gemm` export, in order. A's element (i, k) is at a + i·aRow + k·aK (row-major: aRow = 4k, aK = 4;
 * transposed, as autograd's Aᵀ·dY asks: aRow = 4, aK = 4m). B's element (k, j) is at
 * b + (j/8)·panelStride + k·kStride + (j%8)·4. C is row-major.
 */
const GEMM_PARAMS = ['a', 'b', 'c', 'batch', 'm', 'k', 'n', 'strideA', 'strideB', 'strideC', 'rowStart', 'rowEnd', 'panelStride', 'kStride', 'aRow', 'aK'] as const;
type GemmExport = (...args: number[]) => void;

function gemm(fma: boolean): FunctionDef {
  const f = new Frame(GEMM_PARAMS.map(() => I32));
  const [A, B, C, BATCH, , K, N, SA, SB, SC, ROW_START, ROW_END, PANEL, KSTRIDE, A_ROW, A_K] = GEMM_PARAMS.map((_, i) => i);
  const [rowC, bi, i, j, kk, pb, pc, panelB] = [f.local(I32), f.local(I32), f.local(I32), f.local(I32), f.local(I32), f.local(I32), f.local(I32), f.local(I32)];
  const pa = [f.local(I32), f.local(I32), f.local(I32), f.local(I32)]; // the four rows of A in this block
  const [av, b0, b1] = [f.local(V128), f.local(V128), f.local(V128)];
  const acc = Array.from({ length: 8 }, () => f.local(V128));
  const c = new Code();
  const madd = (sum: number, b: number) => {
    if (fma) c.get(av).get(b).get(sum).f32x4RelaxedMadd().set(sum);
    else c.get(sum).get(av).get(b).f32x4Mul().f32x4Add().set(sum);
  };

  c.get(N).i32(4).mul().set(rowC);
  c.i32(0).set(bi);
  c.forUp(bi, BATCH, 1, () => {
    c.get(ROW_START).set(i);
    c.forUp(i, ROW_END, 4, () => {
      c.i32(0).set(j);
      c.get(B).set(panelB);
      c.forUp(j, N, 8, () => {
        for (const sum of acc) c.v128Zero().set(sum);
        c.get(A).get(i).get(A_ROW).mul().add().set(pa[0]);
        for (let r = 1; r < 4; r++) c.get(pa[r - 1]).get(A_ROW).add().set(pa[r]);
        c.get(panelB).set(pb);
        c.i32(0).set(kk);
        c.forUp(kk, K, 1, () => {
          c.get(pb).v128Load(0).set(b0);
          c.get(pb).v128Load(16).set(b1);
          for (let r = 0; r < 4; r++) {
            c.get(pa[r]).f32Load().f32x4Splat().set(av);
            madd(acc[2 * r], b0);
            madd(acc[2 * r + 1], b1);
            c.inc(pa[r], () => c.get(A_K));
          }
          c.inc(pb, () => c.get(KSTRIDE));
        });
        c.get(C).get(i).get(rowC).mul().add().get(j).i32(4).mul().add().set(pc);
        for (let r = 0; r < 4; r++) {
          c.get(pc).get(acc[2 * r]).v128Store(0);
          c.get(pc).get(acc[2 * r + 1]).v128Store(16);
          c.inc(pc, () => c.get(rowC));
        }
        c.inc(panelB, () => c.get(PANEL));
      });
    });
    c.inc(A, () => c.get(SA));
    c.inc(B, () => c.get(SB));
    c.inc(C, () => c.get(SC));
  });
  return f.def('gemm', c);
}

/** pack(b, p, k, n): B (k×n, row-major) into n/8 panels of k rows × 8 columns, contiguous, at p. */
function pack(): FunctionDef {
  const f = new Frame([I32, I32, I32, I32]);
  const [B, P, K, N] = [0, 1, 2, 3];
  const [row, j, kk, src] = [f.local(I32), f.local(I32), f.local(I32), f.local(I32)];
  const c = new Code();
  c.get(N).i32(4).mul().set(row);
  c.i32(0).set(j);
  c.forUp(j, N, 8, () => {
    c.get(B).get(j).i32(4).mul().add().set(src);
    c.i32(0).set(kk);
    c.forUp(kk, K, 1, () => {
      c.get(P).get(src).v128Load(0).v128Store(0);
      c.get(P).get(src).v128Load(16).v128Store(16);
      c.inc(P, 32);
      c.inc(src, () => c.get(row));
    });
  });
  return f.def('pack', c);
}

/**
 * packT(bT, p, k, n): B given transposed (bT is n×k, row-major, as autograd's dY·Bᵀ asks) into the same panels as
 * pack(): panel j/8, row k holds bT[j..j+8][k]. One float at a time: n·k moves, no bigger than a transpose's.
 */
function packTransposed(): FunctionDef {
  const f = new Frame([I32, I32, I32, I32]);
  const [BT, P, K, N] = [0, 1, 2, 3];
  const [rowT, j, kk, src] = [f.local(I32), f.local(I32), f.local(I32), f.local(I32)];
  const c = new Code();
  c.get(K).i32(4).mul().set(rowT);
  c.i32(0).set(j);
  c.forUp(j, N, 8, () => {
    c.get(BT).get(j).get(rowT).mul().add().set(src); // bT[j][0]
    c.i32(0).set(kk);
    c.forUp(kk, K, 1, () => {
      for (let jj = 0; jj < 8; jj++) {
        c.get(P);
        c.get(src).get(rowT).i32(jj).mul().add().f32Load();
        c.f32Store(4 * jj);
      }
      c.inc(P, 32);
      c.inc(src, 4);
    });
  });
  return f.def('packT', c);
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
    const bytes = assemble([gemm(fma), pack(), packTransposed()], shared);
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

/** How the operands of a product are stored: as used, or as their transposes. */
export interface Layout {
  transposeA: boolean;
  transposeB: boolean;
}
const AS_STORED: Layout = { transposeA: false, transposeB: false };

/** Our products on one heap: the kernels, and the worker threads that take a share of each product. */
export class WasmGemm {
  private readonly gemmExport: GemmExport;
  private readonly packExport: (b: number, p: number, k: number, n: number) => void;
  private readonly packTransposedExport: (bT: number, p: number, k: number, n: number) => void;
  private readonly workers: PoolWorker[] = [];

  constructor(memory: WebAssembly.Memory, bytes: Uint8Array<ArrayBuffer>, threads: number) {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
    this.gemmExport = instance.exports.gemm as GemmExport;
    this.packExport = instance.exports.pack as WasmGemm['packExport'];
    this.packTransposedExport = instance.exports.packT as WasmGemm['packTransposedExport'];
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

  /** gemm's A strides (aRow, aK) for A stored m×k, or stored k×m when `transposed`. */
  private static aStrides(transposed: boolean, m: number, k: number): [number, number] {
    return transposed ? [4, 4 * m] : [4 * k, 4];
  }

  /**
   * C (m×n) = A (m×k) · B (k×n); m % 4 == 0, n % 8 == 0. `scratch` is k·n floats of heap for B's packed copy.
   * With `layout.transposeA` A is stored as k×m, with `transposeB` B as n×k (no transposed copy is made of either).
   * Rows are split between the threads in blocks of 4.
   */
  product(a: number, b: number, c: number, m: number, k: number, n: number, scratch: number, layout: Layout = AS_STORED): void {
    (layout.transposeB ? this.packTransposedExport : this.packExport)(b, scratch, k, n);
    const [aRow, aK] = WasmGemm.aStrides(layout.transposeA, m, k);
    const blocks = m / 4;
    const parts = m * k * n < MIN_SPLIT ? 1 : Math.min(this.threads, blocks);
    const rowsAt = (part: number) => 4 * Math.round((blocks * part) / parts);
    this.split(parts, (part) => [a, scratch, c, 1, m, k, n, 0, 0, 0, rowsAt(part), rowsAt(part + 1), 32 * k, 32, aRow, aK]);
  }

  /**
   * C_i (m×n) = A_i (m×k) · B_i (k×n) for i < batch (strideA 0: one A for every B), split between the threads by
   * batch entries; m % 4 == 0, n % 8 == 0. Operands are read as they lie, but for B stored transposed
   * (`layout.transposeB`), which is packed first into `scratch` (batch·k·n floats).
   */
  batched(a: number, b: number, c: number, batch: number, m: number, k: number, n: number, strideA: number, layout: Layout = AS_STORED, scratch = 0): void {
    const parts = batch * m * k * n < MIN_SPLIT ? 1 : Math.min(this.threads, batch);
    const at = (part: number) => Math.round((batch * part) / parts);
    const [sB, sC] = [k * n * 4, m * n * 4];
    if (layout.transposeB) for (let i = 0; i < batch; i++) this.packTransposedExport(b + i * sB, scratch + i * sB, k, n);
    const [from, panelStride, kStride] = layout.transposeB ? [scratch, 32 * k, 32] : [b, 32, n * 4];
    const [aRow, aK] = WasmGemm.aStrides(layout.transposeA, m, k);
    this.split(parts, (part) => {
      const first = at(part);
      return [a + first * strideA, from + first * sB, c + first * sC, at(part + 1) - first, m, k, n, strideA, sB, sC, 0, m, panelStride, kStride, aRow, aK];
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
