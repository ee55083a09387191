// tfjs's backward pass frees nothing until it is over: every intermediate gradient (one per activation) and every
// tensor saved for a gradient stay alive until the last node is done, so a step's peak is about the forward's
// activations twice over. PyTorch frees each as soon as nothing needs it, and so does this: the same walk down the
// tape as tfjs-core's backpropagateGradients (tape.ts), which after each node releases the gradients of its outputs
// (every consumer of an output comes later on the tape, so its gradient is complete and used once that node is done)
// and the tensors saved for that node's gradient. Measured on a SmolLM2-135M-shaped Llama at 4 × 256 tokens, this is
// what lets a LoRA or full fine-tune of it fit WebAssembly's 4 GiB heap. Higher-order gradients keep tfjs's own walk.
import { getFilteredNodesXToY } from '@tensorflow/tfjs-core/dist/tape';
import type { Tensor } from './tfjs';
import * as tf from './tfjs';

interface TapeNode {
  kernelName: string;
  inputs: Record<string, Tensor>;
  outputs: Tensor[];
  gradient?: (dys: (Tensor | null)[]) => Record<string, () => Tensor>;
  saved?: Tensor[];
}

interface EngineInternals {
  state: { activeTape: TapeNode[] | null; gradientDepth: number };
  scopedRun<T>(start: () => void, end: () => void, f: () => T): T;
  startTape(): void;
  endTape(): void;
  tidy<T>(nameOrFn: string | (() => T), fn?: () => T): T;
  gradients(f: () => Tensor, xs: Tensor[], dy?: Tensor, allowNoGradients?: boolean): { value: Tensor; grads: Tensor[] };
  __tunebenchBackward?: boolean;
}

/** The walk: gradients accumulate in `map` (tensor id → gradient); what nothing needs any more is disposed. */
function backpropagate(map: Record<number, Tensor>, tape: TapeNode[], tidy: <T>(f: () => T) => T, keep: Set<Tensor>): void {
  const holders = new Map<Tensor, number>(); // map entries holding each gradient object
  const hold = (t: Tensor) => holders.set(t, (holders.get(t) ?? 0) + 1);
  const release = (t: Tensor) => {
    const n = (holders.get(t) ?? 0) - 1;
    if (n > 0) return void holders.set(t, n);
    holders.delete(t);
    if (!keep.has(t)) t.dispose();
  };
  for (const t of Object.values(map)) hold(t);
  for (let i = tape.length - 1; i >= 0; i--) {
    const node = tape[i];
    const dys = node.outputs.map((o) => map[o.id] ?? null);
    if (!node.gradient) throw new Error(`Cannot compute gradient: gradient function not found for ${node.kernelName}.`);
    const inputGradients = node.gradient(dys);
    for (const inputName in node.inputs) {
      if (!(inputName in inputGradients)) throw new Error(`Cannot backprop through input ${inputName}. Available gradients found: ${Object.keys(inputGradients)}.`);
      const dx = tidy(() => inputGradients[inputName]());
      if (dx.dtype !== 'float32') throw new Error(`Error in gradient for op ${node.kernelName}. The gradient of input ${inputName} must have 'float32' dtype, but has '${dx.dtype}'`);
      const x = node.inputs[inputName];
      if (!tf.util.arraysEqual(dx.shape, x.shape)) throw new Error(`Error in gradient for op ${node.kernelName}. The gradient of input '${inputName}' has shape '${dx.shape}', which does not match the shape of the input '${x.shape}'`);
      const current = map[x.id];
      if (current == null) {
        map[x.id] = dx;
        hold(dx);
      } else {
        const sum = tf.add(current, dx);
        map[x.id] = sum;
        hold(sum);
        release(current);
        if (!holders.has(dx) && !keep.has(dx)) dx.dispose();
      }
    }
    for (const o of node.outputs) {
      const g = map[o.id];
      if (g == null) continue;
      delete map[o.id];
      release(g);
    }
    for (const t of node.saved ?? []) if (!holders.has(t)) t.dispose();
  }
}

/** Installs the walk in tfjs's engine once per process (every tf.grads / variableGrads goes through it). */
export function installBackwardMemory(): void {
  const engine = tf.engine() as unknown as EngineInternals;
  if (engine.__tunebenchBackward) return;
  const original = engine.gradients.bind(engine);
  engine.gradients = (f, xs, dy, allowNoGradients = false) => {
    if (engine.state.gradientDepth > 0 || xs.length === 0 || (dy != null && dy.dtype !== 'float32')) return original(f, xs, dy, allowNoGradients);
    const y = engine.scopedRun(() => engine.startTape(), () => engine.endTape(), () => engine.tidy('forward', f));
    if (!(y instanceof tf.Tensor)) throw new Error('The result y returned by f() must be a tensor.');
    const tape = getFilteredNodesXToY(engine.state.activeTape as never, xs, y) as unknown as TapeNode[];
    if (!allowNoGradients && tape.length === 0) throw new Error('Cannot compute gradient of y=f(x) with respect to x. Make sure that the f you passed encloses all operations that lead from x to y.');
    return engine.tidy('backward', () => {
      const map: Record<number, Tensor> = { [y.id]: dy ?? tf.onesLike(y) };
      const keep = new Set<Tensor>([y, ...(dy ? [dy] : [])]);
      backpropagate(map, tape, (g) => engine.tidy(g), keep);
      const grads = xs.map((x) => map[x.id]);
      engine.state.activeTape!.forEach((node) => node.saved?.forEach((t) => t.dispose()));
      engine.state.activeTape = null;
      return { value: y, grads };
    });
  };
  engine.__tunebenchBackward = true;
}
