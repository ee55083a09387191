// Token embedding as a row gather, and its gradient as a scatter-add, instead of oneHot(ids)·table: the product costs
// N·V·C multiply-adds each way (plus a (N, V) one-hot) where these cost N·C. The wasm backend has no
// UnsortedSegmentSum, the kernel behind tf.gather's gradient, which is why this pair is a kernel of its own.
//   forward:  out[n] = table[ids[n]]            table (V, C), ids (N) int32 → (N, C)
//   backward: dtable[v] = Σ_{n: ids[n] = v} dy[n]                         → (V, C)
import type { GradConfig, KernelConfig, Tensor, TensorInfo } from '../tfjs';
import { engine, zerosLike } from '../tfjs';
import { compute, TYPED_BACKENDS } from './typedArrays';

export const EMBEDDING = 'TunebenchEmbedding';
const EMBEDDING_GRAD = 'TunebenchEmbeddingGrad';

const lookup: KernelConfig['kernelFunc'] = ({ inputs, backend }) => {
  const { table, ids } = inputs as { table: TensorInfo; ids: TensorInfo };
  const [V, C] = table.shape;
  return compute(backend, [table, ids], [[ids.shape[0], C]], ([t, idsIn], [out]) => {
    const idv = idsIn as unknown as Int32Array;
    for (let n = 0; n < idv.length; n++) {
      const id = idv[n];
      if (id < 0 || id >= V) throw new Error(`Token id ${id} is outside the vocabulary of ${V}.`);
      out.set(t.subarray(id * C, (id + 1) * C), n * C);
    }
  })[0];
};

const scatterAdd: KernelConfig['kernelFunc'] = ({ inputs, attrs, backend }) => {
  const { dy, ids } = inputs as { dy: TensorInfo; ids: TensorInfo };
  const V = attrs!.vocabSize as number;
  const C = dy.shape[1];
  return compute(backend, [dy, ids], [[V, C]], ([g, idsIn], [dt]) => {
    const idv = idsIn as unknown as Int32Array;
    dt.fill(0); // wasm outputs are uninitialised heap
    for (let n = 0; n < idv.length; n++) {
      const o = idv[n] * C;
      for (let c = 0; c < C; c++) dt[o + c] += g[n * C + c];
    }
  })[0];
};

export const embeddingKernels: KernelConfig[] = TYPED_BACKENDS.flatMap((backendName) => [
  { kernelName: EMBEDDING, backendName, kernelFunc: lookup },
  { kernelName: EMBEDDING_GRAD, backendName, kernelFunc: scatterAdd },
]);

export const embeddingGradient: GradConfig = {
  kernelName: EMBEDDING,
  inputsToSave: ['table', 'ids'],
  gradFunc: (dy, [table, ids]) => ({
    table: () => engine().runKernel(EMBEDDING_GRAD, { dy: dy as Tensor, ids }, { vocabSize: table.shape[0] }) as Tensor,
    ids: () => zerosLike(ids),
  }),
};
