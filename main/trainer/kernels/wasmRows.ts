// The fused training kernels' loops (normKernels.ts, pointwiseKernels.ts) in WebAssembly SIMD, assembled at run time
// (wasmAsm.ts) onto the tfjs wasm backend's heap, four floats per instruction. The loops in JS run about 6 ns per
// element and pass; these run a row of 128 in a few hundred nanoseconds. Measured here (2 cores, Node 20,
// `npm run bench`), the JS loops took ~120 ms of a ~700 ms step. Same formulas as the JS loops, which stay for the
// cpu backend and for widths that are not a multiple of 4; sums here are in float32 (four lanes, then the lanes
// added), where the JS loops sum in float64. Addresses are in bytes.
//   layerNorm(x, gain, bias, y, rows, C, eps)                     y = (x − mean)·rstd·gain + bias, per row of C
//   layerNormGrad(dy, x, gain, dx, dgain, dbias, rows, C, eps)    see normKernels.ts
//   geluGrad(dy, x, s, dx, bytes, 2C, 3A)                         see pointwiseKernels.ts (its constants passed in)
//   columnSum(x, out, rows, C)                                    out = Σ_rows x
//   splitHeads / mergeHeads(qkv, q, kT, v, B, T, H, hd)            see headsKernels.ts (hd a multiple of 4)
//   adam(g, w, out, m, v, bytes, k, β1, β2, 1−β1, 1−β2, c1, c2, ε, −lr)  see decoderKernels.ts: each lane rounded
//                                                                   op by op as tfjs's Adam (IEEE f32 ops, no FMA)
import { Code, F32, Frame, I32, V128, assemble, type FunctionDef } from './wasmAsm';

export interface RowKernels {
  layerNorm(x: number, gain: number, bias: number, y: number, rows: number, C: number, eps: number): void;
  layerNormGrad(dy: number, x: number, gain: number, dx: number, dgain: number, dbias: number, rows: number, C: number, eps: number): void;
  geluGrad(dy: number, x: number, s: number, dx: number, bytes: number, twoC: number, threeA: number): void;
  columnSum(x: number, out: number, rows: number, C: number): void;
  splitHeads(qkv: number, q: number, kT: number, v: number, B: number, T: number, H: number, hd: number): void;
  mergeHeads(qkv: number, q: number, kT: number, v: number, B: number, T: number, H: number, hd: number): void;
  adam(g: number, w: number, out: number, m: number, v: number, bytes: number, ...constants: number[]): void;
}

/** Pushes the sum of the four lanes of v128 local `v` as an f32. */
function laneSum(c: Code, v: number): void {
  c.get(v).f32x4ExtractLane(0);
  for (let lane = 1; lane < 4; lane++) c.get(v).f32x4ExtractLane(lane).f32Add();
}

/** `for (j = 0; j < limit; j += 16) body()`: one row, four floats at a time. */
function eachQuad(c: Code, j: number, limit: number, body: () => void): void {
  c.i32(0).set(j);
  c.forUp(j, limit, 16, body);
}

/** Pushes the v128 at address local `base` + local `j`. */
const load = (c: Code, base: number, j: number) => c.get(base).get(j).add().v128Load();

/** The registers a row's mean and 1/√(var + eps) go into, and the scratch they need. */
interface Stats {
  row: number; // address of the row
  rowBytes: number;
  j: number;
  acc: number;
  v: number;
  count: number; // C as f32
  eps: number;
  mean: number; // out: the mean in every lane
  rstd: number; // out: 1/√(var + eps) in every lane
}

/** Two passes over a row: its mean, then its biased variance about that mean. */
function rowStats(c: Code, s: Stats): void {
  c.v128Zero().set(s.acc);
  eachQuad(c, s.j, s.rowBytes, () => c.get(s.acc).get(s.row).get(s.j).add().v128Load().f32x4Add().set(s.acc));
  laneSum(c, s.acc);
  c.get(s.count).f32Div().f32x4Splat().set(s.mean);
  c.v128Zero().set(s.acc);
  eachQuad(c, s.j, s.rowBytes, () => {
    load(c, s.row, s.j).get(s.mean).f32x4Sub().set(s.v);
    c.get(s.acc).get(s.v).get(s.v).f32x4Mul().f32x4Add().set(s.acc);
  });
  c.f32(1);
  laneSum(c, s.acc);
  c.get(s.count).f32Div().get(s.eps).f32Add().f32Sqrt().f32Div().f32x4Splat().set(s.rstd);
}

function statsFrame(f: Frame, row: number, rowBytes: number, count: number, eps: number): Stats {
  return { row, rowBytes, count, eps, j: f.local(I32), acc: f.local(V128), v: f.local(V128), mean: f.local(V128), rstd: f.local(V128) };
}

function layerNorm(): FunctionDef {
  const f = new Frame([I32, I32, I32, I32, I32, I32, F32]);
  const [X, G, B, Y, ROWS, C, EPS] = [0, 1, 2, 3, 4, 5, 6];
  const [rowBytes, r, y, count] = [f.local(I32), f.local(I32), f.local(I32), f.local(F32)];
  const s = statsFrame(f, X, rowBytes, count, EPS); // X itself walks row by row
  const c = new Code();
  c.get(C).i32(4).mul().set(rowBytes);
  c.get(C).f32FromI32().set(count);
  c.get(Y).set(y);
  c.i32(0).set(r);
  c.forUp(r, ROWS, 1, () => {
    rowStats(c, s);
    eachQuad(c, s.j, rowBytes, () => {
      c.get(y).get(s.j).add();
      load(c, X, s.j).get(s.mean).f32x4Sub().get(s.rstd).f32x4Mul();
      load(c, G, s.j).f32x4Mul();
      load(c, B, s.j).f32x4Add();
      c.v128Store();
    });
    c.inc(X, () => c.get(rowBytes));
    c.inc(y, () => c.get(rowBytes));
  });
  return f.def('layerNorm', c);
}

function layerNormGrad(): FunctionDef {
  const f = new Frame([I32, I32, I32, I32, I32, I32, I32, I32, F32]);
  const [DY, X, G, DX, DG, DB, ROWS, C, EPS] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const [rowBytes, r, count] = [f.local(I32), f.local(I32), f.local(F32)];
  const s = statsFrame(f, X, rowBytes, count, EPS);
  const [xhat, d, gc, sumG, sumGX, meanG, meanGX] = [f.local(V128), f.local(V128), f.local(V128), f.local(V128), f.local(V128), f.local(V128), f.local(V128)];
  const c = new Code();
  c.get(C).i32(4).mul().set(rowBytes);
  c.get(C).f32FromI32().set(count);
  eachQuad(c, s.j, rowBytes, () => {
    c.get(DG).get(s.j).add().v128Zero().v128Store();
    c.get(DB).get(s.j).add().v128Zero().v128Store();
  });
  const xhatAt = () => load(c, X, s.j).get(s.mean).f32x4Sub().get(s.rstd).f32x4Mul().set(xhat);
  c.i32(0).set(r);
  c.forUp(r, ROWS, 1, () => {
    rowStats(c, s);
    c.v128Zero().set(sumG);
    c.v128Zero().set(sumGX);
    eachQuad(c, s.j, rowBytes, () => {
      xhatAt();
      load(c, DY, s.j).set(d);
      c.get(d);
      load(c, G, s.j).f32x4Mul().set(gc);
      c.get(sumG).get(gc).f32x4Add().set(sumG);
      c.get(sumGX).get(gc).get(xhat).f32x4Mul().f32x4Add().set(sumGX);
      c.get(DG).get(s.j).add();
      load(c, DG, s.j).get(d).get(xhat).f32x4Mul().f32x4Add().v128Store();
      c.get(DB).get(s.j).add();
      load(c, DB, s.j).get(d).f32x4Add().v128Store();
    });
    laneSum(c, sumG);
    c.get(count).f32Div().f32x4Splat().set(meanG);
    laneSum(c, sumGX);
    c.get(count).f32Div().f32x4Splat().set(meanGX);
    eachQuad(c, s.j, rowBytes, () => {
      xhatAt();
      c.get(DX).get(s.j).add();
      c.get(s.rstd);
      load(c, DY, s.j);
      load(c, G, s.j).f32x4Mul().get(meanG).f32x4Sub().get(xhat).get(meanGX).f32x4Mul().f32x4Sub();
      c.f32x4Mul().v128Store();
    });
    c.inc(X, () => c.get(rowBytes));
    c.inc(DY, () => c.get(rowBytes));
    c.inc(DX, () => c.get(rowBytes));
  });
  return f.def('layerNormGrad', c);
}

function geluGrad(): FunctionDef {
  const f = new Frame([I32, I32, I32, I32, I32, F32, F32]);
  const [DY, X, S, DX, BYTES, TWO_C, THREE_A] = [0, 1, 2, 3, 4, 5, 6];
  const [j, x, s, one, twoC, threeA] = [f.local(I32), f.local(V128), f.local(V128), f.local(V128), f.local(V128), f.local(V128)];
  const c = new Code();
  c.f32(1).f32x4Splat().set(one);
  c.get(TWO_C).f32x4Splat().set(twoC);
  c.get(THREE_A).f32x4Splat().set(threeA);
  eachQuad(c, j, BYTES, () => {
    load(c, X, j).set(x);
    load(c, S, j).set(s);
    c.get(DX).get(j).add();
    load(c, DY, j);
    // s + x·(s − s²)·2C·(1 + 3A·x²)
    c.get(s);
    c.get(x).get(s).get(s).get(s).f32x4Mul().f32x4Sub().f32x4Mul().get(twoC).f32x4Mul();
    c.get(one).get(threeA).get(x).f32x4Mul().get(x).f32x4Mul().f32x4Add().f32x4Mul();
    c.f32x4Add().f32x4Mul().v128Store();
  });
  return f.def('geluGrad', c);
}

function columnSum(): FunctionDef {
  const f = new Frame([I32, I32, I32, I32]);
  const [X, OUT, ROWS, C] = [0, 1, 2, 3];
  const [rowBytes, r, j] = [f.local(I32), f.local(I32), f.local(I32)];
  const c = new Code();
  c.get(C).i32(4).mul().set(rowBytes);
  eachQuad(c, j, rowBytes, () => c.get(OUT).get(j).add().v128Zero().v128Store());
  c.i32(0).set(r);
  c.forUp(r, ROWS, 1, () => {
    eachQuad(c, j, rowBytes, () => {
      c.get(OUT).get(j).add();
      load(c, OUT, j);
      load(c, X, j).f32x4Add().v128Store();
    });
    c.inc(X, () => c.get(rowBytes));
  });
  return f.def('columnSum', c);
}

/**
 * Copies between qkv (B·T, 3C) and the per-head q, kᵀ, v (headsKernels.ts has the layout), into the heads or, for
 * the gradient, back: q and v four floats at a time, kᵀ (strided by T) one at a time.
 */
function heads(toHeads: boolean): FunctionDef {
  const f = new Frame([I32, I32, I32, I32, I32, I32, I32, I32]);
  const [QKV, Q, KT, V, B, T, H, HD] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [b, t, h, d, src, head, kp, hd4, c4, t4] = Array.from({ length: 10 }, () => f.local(I32));
  const c = new Code();
  /** Copies `bytes` (4 or 16) from the address `from` pushes to the one `to` pushes, or the other way round. */
  const move = (wide: boolean, heads: () => void, packed: () => void) => {
    const [to, from] = toHeads ? [heads, packed] : [packed, heads];
    to();
    from();
    if (wide) c.v128Load().v128Store();
    else c.f32Load().f32Store();
  };
  c.get(HD).i32(4).mul().set(hd4);
  c.get(H).get(hd4).mul().set(c4);
  c.get(T).i32(4).mul().set(t4);
  c.i32(0).set(b);
  c.forUp(b, B, 1, () => {
    c.i32(0).set(t);
    c.forUp(t, T, 1, () => {
      c.i32(0).set(h);
      c.forUp(h, H, 1, () => {
        // src = qkv + (b·T + t)·3C·4 + h·hd·4;  head = ((b·H + h)·T + t)·hd·4;  kp = kT + (b·H + h)·hd·T·4 + t·4
        c.get(QKV).get(b).get(T).mul().get(t).add().get(c4).mul().i32(3).mul().add().get(h).get(hd4).mul().add().set(src);
        c.get(b).get(H).mul().get(h).add().get(T).mul().get(t).add().get(hd4).mul().set(head);
        c.get(KT).get(b).get(H).mul().get(h).add().get(HD).mul().get(t4).mul().add().get(t).i32(4).mul().add().set(kp);
        c.i32(0).set(d);
        c.forUp(d, hd4, 16, () => {
          move(true, () => c.get(Q).get(head).add().get(d).add(), () => c.get(src).get(d).add());
          move(true, () => c.get(V).get(head).add().get(d).add(), () => c.get(src).get(c4).add().get(c4).add().get(d).add());
        });
        c.i32(0).set(d);
        c.forUp(d, hd4, 4, () => {
          move(false, () => c.get(kp), () => c.get(src).get(c4).add().get(d).add());
          c.inc(kp, () => c.get(t4));
        });
      });
    });
  });
  return f.def(toHeads ? 'splitHeads' : 'mergeHeads', c);
}

/** One weight's Adam update over `bytes` (a multiple of 16) of g, w, m, v into out, four floats at a time. */
function adam(): FunctionDef {
  const f = new Frame([I32, I32, I32, I32, I32, I32, F32, F32, F32, F32, F32, F32, F32, F32, F32]);
  const [G, W, OUT, M, V, BYTES] = [0, 1, 2, 3, 4, 5];
  const j = f.local(I32);
  const splats = Array.from({ length: 9 }, () => f.local(V128)); // k, β1, β2, 1−β1, 1−β2, c1, c2, ε, −lr
  const [k, b1, b2, a1, a2, c1, c2, eps, negLr] = splats;
  const [gi, mi, vi] = [f.local(V128), f.local(V128), f.local(V128)];
  const c = new Code();
  splats.forEach((local, i) => c.get(6 + i).f32x4Splat().set(local));
  eachQuad(c, j, BYTES, () => {
    load(c, G, j).get(k).f32x4Mul().set(gi);
    load(c, M, j).get(b1).f32x4Mul().get(gi).get(a1).f32x4Mul().f32x4Add().set(mi);
    load(c, V, j).get(b2).f32x4Mul().get(gi).get(gi).f32x4Mul().get(a2).f32x4Mul().f32x4Add().set(vi);
    c.get(M).get(j).add().get(mi).v128Store();
    c.get(V).get(j).add().get(vi).v128Store();
    c.get(OUT).get(j).add(); // the address, then ((m / c1) / (√(v / c2) + ε))·(−lr) + w
    c.get(mi).get(c1).f32x4Div();
    c.get(vi).get(c2).f32x4Div().f32x4Sqrt().get(eps).f32x4Add();
    c.f32x4Div().get(negLr).f32x4Mul();
    load(c, W, j).f32x4Add();
    c.v128Store();
  });
  return f.def('adam', c);
}

const cache = new WeakMap<WebAssembly.Memory, RowKernels | null>();

/** The kernels bound to a heap (built once per memory), or null where WebAssembly SIMD is missing. */
export function rowKernelsFor(memory: WebAssembly.Memory): RowKernels | null {
  if (cache.has(memory)) return cache.get(memory)!;
  const shared = typeof SharedArrayBuffer === 'function' && memory.buffer instanceof SharedArrayBuffer;
  const bytes = assemble([layerNorm(), layerNormGrad(), geluGrad(), columnSum(), heads(true), heads(false), adam()], shared);
  const kernels = WebAssembly.validate(bytes) ? (new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports as unknown as RowKernels) : null;
  cache.set(memory, kernels);
  return kernels;
}
