// A small WebAssembly assembler: just enough of the binary format (https://webassembly.github.io/spec/core/binary/)
// to build kernels in TypeScript at run time, with no compiler toolchain and no binary in the repository. A module
// has one imported memory (the tfjs wasm backend's heap, so kernels read and write tensors where they lie) and
// functions over i32/v128 locals. Only the instructions our kernels use are here.

export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;
export type ValType = typeof I32 | typeof F32 | typeof V128;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    const done = (n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

const utf8 = (s: string): number[] => [...new TextEncoder().encode(s)];
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];

/** Instruction stream of one function body. Methods append and return `this`, so code reads top to bottom. */
export class Code {
  readonly bytes: number[] = [];
  private depth = 0;

  private op(...bytes: number[]): this {
    this.bytes.push(...bytes);
    return this;
  }
  private simd(opcode: number, ...rest: number[]): this {
    return this.op(0xfd, ...uleb(opcode), ...rest);
  }

  get(local: number) { return this.op(0x20, ...uleb(local)); }
  set(local: number) { return this.op(0x21, ...uleb(local)); }
  i32(value: number) { return this.op(0x41, ...sleb(value | 0)); }
  add() { return this.op(0x6a); }
  mul() { return this.op(0x6c); }
  ltU() { return this.op(0x49); }
  eqz() { return this.op(0x45); }
  /** f32.load at the address on the stack plus `offset` bytes. */
  f32Load(offset = 0) { return this.op(0x2a, 2, ...uleb(offset)); }
  /** f32.store of the value on the stack at the address below it plus `offset` bytes. */
  f32Store(offset = 0) { return this.op(0x38, 2, ...uleb(offset)); }
  f32(value: number) { return this.op(0x43, ...new Uint8Array(new Float32Array([value]).buffer)); }
  f32Add() { return this.op(0x92); }
  f32Div() { return this.op(0x95); }
  f32Sqrt() { return this.op(0x91); }
  /** f32.convert_i32_s */
  f32FromI32() { return this.op(0xb2); }
  v128Load(offset = 0) { return this.simd(0x00, 4, ...uleb(offset)); }
  v128Store(offset = 0) { return this.simd(0x0b, 4, ...uleb(offset)); }
  v128Zero() { return this.simd(0x0c, ...new Array<number>(16).fill(0)); }
  f32x4Splat() { return this.simd(0x13); }
  f32x4ExtractLane(lane: number) { return this.simd(0x1f, lane); }
  f32x4Add() { return this.simd(0xe4); }
  f32x4Sub() { return this.simd(0xe5); }
  f32x4Mul() { return this.simd(0xe6); }
  f32x4Div() { return this.simd(0xe7); }
  f32x4Sqrt() { return this.simd(0xe3); }
  /** relaxed-SIMD f32x4.relaxed_madd: a·b + c (stack: a, b, c), a fused multiply-add where the CPU has one. */
  f32x4RelaxedMadd() { return this.simd(0x105); }

  /** `local += value` (i32). */
  inc(local: number, value: number | (() => void)) {
    this.get(local);
    if (typeof value === 'number') this.i32(value);
    else value();
    return this.add().set(local);
  }

  /**
   * `for (; counter < limit; counter += step) body()` with the counter already set: a block around a loop that
   * leaves when the counter reaches the limit (checked before the first pass too).
   */
  forUp(counter: number, limit: number, step: number | (() => void), body: () => void) {
    this.op(0x02, 0x40); // block
    this.op(0x03, 0x40); // loop
    this.depth += 2;
    this.get(counter).get(limit).ltU().eqz().op(0x0d, 1); // br_if to the block's end
    body();
    this.inc(counter, step);
    this.op(0x0c, 0); // br to the loop's start
    this.op(0x0b, 0x0b); // end loop, end block
    this.depth -= 2;
    return this;
  }

  end(): number[] {
    if (this.depth !== 0) throw new Error('wasmAsm: unbalanced blocks');
    return [...this.bytes, 0x0b];
  }
}

export interface FunctionDef {
  name: string;
  params: ValType[];
  /** Extra locals after the parameters, in order. */
  locals: ValType[];
  body: Code;
}

/** A function's parameters and the locals it numbers after them, handed out one by one. */
export class Frame {
  readonly locals: ValType[] = [];
  constructor(private readonly params: ValType[]) {}
  local(type: ValType): number {
    this.locals.push(type);
    return this.params.length + this.locals.length - 1;
  }
  def(name: string, body: Code): FunctionDef {
    return { name, params: this.params, locals: this.locals, body };
  }
}

/** A module importing `env.memory` (shared when the heap is shared) and exporting the given functions. */
export function assemble(functions: FunctionDef[], sharedMemory: boolean): Uint8Array<ArrayBuffer> {
  const types = functions.map((f) => [0x60, ...vec(f.params.map((p) => [p])), 0]);
  const memoryType = sharedMemory ? [0x03, ...uleb(1), ...uleb(65536)] : [0x00, ...uleb(1)];
  const name = (s: string) => [...uleb(utf8(s).length), ...utf8(s)];
  const imports = [[...name('env'), ...name('memory'), 0x02, ...memoryType]];
  const exports = functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]);
  const bodies = functions.map((f) => {
    const locals = vec(f.locals.map((t) => [1, t])); // one entry per local keeps the encoder simple
    const code = [...locals, ...f.body.end()];
    return [...uleb(code.length), ...code];
  });
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(2, vec(imports)),
    ...section(3, vec(functions.map((_, i) => uleb(i)))),
    ...section(7, vec(exports)),
    ...section(10, vec(bodies)),
  ]);
}
