// A batched matrix product in WebAssembly SIMD, for the many small products of attention (batch·heads products of
// context×headDim by headDim×context and back). tfjs's wasm backend runs each of those through XNNPACK one at a
// time, and XNNPACK creates an operator (packing the right operand) per call: with 64 products of 64×32·32×64 that
// setup costs several times the arithmetic, and on a thread pool each call also wakes the workers. This kernel is
// one call for the whole batch, reads and writes tensors in the backend's own heap, and needs no setup.
// Measured here (2 cores, Node 20): 64 × (64×32)·(32×64) took 4.4 ms through XNNPACK product by product on one
// thread and 10.9 ms on two; this kernel takes 1.4 ms (6–8 GFLOP/s; XNNPACK reaches 8–10 per thread on large
// products, which therefore stay with it).
//
// The inner block is 4 rows × 8 columns of C held in eight f32x4 accumulators: for each k, two vector loads of B's
// row k, then per row one broadcast of A[i][k] and two multiply-adds. It needs M % 4 == 0 and N % 8 == 0 (callers
// fall back otherwise); all operands row-major, addresses and strides in bytes.
import { Code, I32, V128, assemble, type ValType } from './wasmAsm';

export type Gemm = (
  a: number, b: number, c: number, batch: number, m: number, k: number, n: number,
  strideA: number, strideB: number, strideC: number,
) => void;

function gemmBody(): { params: ValType[]; locals: ValType[]; body: Code } {
  // parameters
  const [A, B, C, BATCH, M, K, N, SA, SB, SC] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  // locals
  const [ROW_A, ROW_C, BI, I, J, KK, PB, PC] = [10, 11, 12, 13, 14, 15, 16, 17];
  const PA = [18, 19, 20, 21];
  const [AV, B0, B1] = [22, 23, 24];
  const ACC = [25, 26, 27, 28, 29, 30, 31, 32];
  const locals: ValType[] = [...Array(12).fill(I32), V128, V128, V128, ...Array(8).fill(V128)];

  const c = new Code();
  c.get(K).i32(4).mul().set(ROW_A);
  c.get(N).i32(4).mul().set(ROW_C);
  c.i32(0).set(BI);
  c.forUp(BI, BATCH, 1, () => {
    c.i32(0).set(I);
    c.forUp(I, M, 4, () => {
      c.i32(0).set(J);
      c.forUp(J, N, 8, () => {
        for (const acc of ACC) c.v128Zero().set(acc);
        c.get(A).get(I).get(ROW_A).mul().add().set(PA[0]);
        for (let r = 1; r < 4; r++) c.get(PA[r - 1]).get(ROW_A).add().set(PA[r]);
        c.get(B).get(J).i32(4).mul().add().set(PB);
        c.i32(0).set(KK);
        c.forUp(KK, K, 1, () => {
          c.get(PB).v128Load(0).set(B0);
          c.get(PB).v128Load(16).set(B1);
          for (let r = 0; r < 4; r++) {
            c.get(PA[r]).f32Load().f32x4Splat().set(AV);
            c.get(ACC[2 * r]).get(AV).get(B0).f32x4Mul().f32x4Add().set(ACC[2 * r]);
            c.get(ACC[2 * r + 1]).get(AV).get(B1).f32x4Mul().f32x4Add().set(ACC[2 * r + 1]);
            c.inc(PA[r], 4);
          }
          c.inc(PB, () => c.get(ROW_C));
        });
        c.get(C).get(I).get(ROW_C).mul().add().get(J).i32(4).mul().add().set(PC);
        for (let r = 0; r < 4; r++) {
          c.get(PC).get(ACC[2 * r]).v128Store(0);
          c.get(PC).get(ACC[2 * r + 1]).v128Store(16);
          c.inc(PC, () => c.get(ROW_C));
        }
      });
    });
    c.inc(A, () => c.get(SA));
    c.inc(B, () => c.get(SB));
    c.inc(C, () => c.get(SC));
  });
  return { params: Array(10).fill(I32), locals, body: c };
}

const built = new WeakMap<WebAssembly.Memory, Gemm>();

/** The kernel bound to a heap (compiled once per memory), or null where WebAssembly SIMD is missing. */
export function gemmFor(memory: WebAssembly.Memory): Gemm | null {
  const cached = built.get(memory);
  if (cached) return cached;
  const shared = typeof SharedArrayBuffer === 'function' && memory.buffer instanceof SharedArrayBuffer;
  const bytes = assemble([{ name: 'gemm', ...gemmBody() }], shared);
  if (!WebAssembly.validate(bytes)) return null;
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
  const gemm = instance.exports.gemm as Gemm;
  built.set(memory, gemm);
  return gemm;
}
