// Token embedding as a row gather, and its gradient as a scatter-add, instead of oneHot(ids)·table: the product costs
// N·V·C multiply-adds each way (plus a (N, V) one-hot) where these cost N·C. The wasm backend has no
// UnsortedSegmentSum, the kernel behind tf.gather's gradient, which is why this pair is a kernel of its own.
//   forward:  out[n] = table[ids[n]]            table (V, C), ids (N) int32 → (N, C)
//   backward: dtable[v] = Σ_{n: ids[n] = v} dy[n]                         → (V, C)
// And the weighted sum of rows per bag (a few-shot classifier's word deltas), without the (N, K, C) gather between:
//   forward:  out[n] = Σ_k weights[n, k] · table[ids[n, k]]   ids (N, K) int32, weights (N, K) → (N, C)
//   backward: dtable[v] = Σ_{n, k: ids[n, k] = v} weights[n, k] · dy[n];  dweights[n, k] = dy[n] · table[ids[n, k]]
import type { GradConfig, KernelConfig, Tensor, TensorInfo } from '../tfjs';
import { engine, expandDims, mul, reshape, sum, zerosLike } from '../tfjs';
import { compute, TYPED_BACKENDS } from './typedArrays';

export const EMBEDDING = 'TunebenchEmbedding';
const EMBEDDING_GRAD = 'TunebenchEmbeddingGrad';
export const BAG_SUM = 'TunebenchBagSum';
const BAG_SUM_GRAD = 'TunebenchBagSumGrad';

function checkId(id: number, V: number): void {
  if (id < 0 || id >= V) throw new Error(`Token id ${id} is outside the vocabulary of ${V}.`);
}

const lookup: KernelConfig['kernelFunc'] = ({ inputs, backend }) => {
  const { table, ids } = inputs as { table: TensorInfo; ids: TensorInfo };
  const [V, C] = table.shape;
  return compute(backend, [table, ids], [[ids.shape[0], C]], ([t, idsIn], [out]) => {
    const idv = idsIn as unknown as Int32Array;
    for (let n = 0; n < idv.length; n++) {
      const id = idv[n];
      checkId(id, V);
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

const bagSum: KernelConfig['kernelFunc'] = ({ inputs, backend }) => {
  const { table, ids, weights } = inputs as { table: TensorInfo; ids: TensorInfo; weights: TensorInfo };
  const [V, C] = table.shape;
  const [N, K] = ids.shape;
  return compute(backend, [table, ids, weights], [[N, C]], ([t, idsIn, w], [out]) => {
    const idv = idsIn as unknown as Int32Array;
    out.fill(0);
    for (let n = 0; n < N; n++) {
      for (let k = 0; k < K; k++) {
        const wk = w[n * K + k];
        const id = idv[n * K + k];
        checkId(id, V);
        if (wk === 0) continue; // padding
        const o = id * C;
        for (let c = 0; c < C; c++) out[n * C + c] += wk * t[o + c];
      }
    }
  })[0];
};

const bagScatterAdd: KernelConfig['kernelFunc'] = ({ inputs, attrs, backend }) => {
  const { dy, ids, weights } = inputs as { dy: TensorInfo; ids: TensorInfo; weights: TensorInfo };
  const V = attrs!.vocabSize as number;
  const C = dy.shape[1];
  const [N, K] = ids.shape;
  return compute(backend, [dy, ids, weights], [[V, C]], ([g, idsIn, w], [dt]) => {
    const idv = idsIn as unknown as Int32Array;
    dt.fill(0);
    for (let n = 0; n < N; n++) {
      for (let k = 0; k < K; k++) {
        const wk = w[n * K + k];
        if (wk === 0) continue;
        const o = idv[n * K + k] * C;
        for (let c = 0; c < C; c++) dt[o + c] += wk * g[n * C + c];
      }
    }
  })[0];
};

export const embeddingKernels: KernelConfig[] = TYPED_BACKENDS.flatMap((backendName) => [
  { kernelName: EMBEDDING, backendName, kernelFunc: lookup },
  { kernelName: EMBEDDING_GRAD, backendName, kernelFunc: scatterAdd },
  { kernelName: BAG_SUM, backendName, kernelFunc: bagSum },
  { kernelName: BAG_SUM_GRAD, backendName, kernelFunc: bagScatterAdd },
]);

export const bagSumGradient: GradConfig = {
  kernelName: BAG_SUM,
  inputsToSave: ['table', 'ids', 'weights'],
  gradFunc: (dy, [table, ids, weights]) => ({
    table: () => engine().runKernel(BAG_SUM_GRAD, { dy: dy as Tensor, ids, weights }, { vocabSize: table.shape[0] }) as Tensor,
    ids: () => zerosLike(ids),
    weights: () => {
      const [N, K] = ids.shape;
      const rows = engine().runKernel(EMBEDDING, { table, ids: reshape(ids, [N * K]) }) as Tensor;
      return sum(mul(reshape(rows, [N, K, table.shape[1] as number]), expandDims(dy as Tensor, 1)), 2);
    },
  }),
};

export const embeddingGradient: GradConfig = {
  kernelName: EMBEDDING,
  inputsToSave: ['table', 'ids'],
  gradFunc: (dy, [table, ids]) => ({
    table: () => engine().runKernel(EMBEDDING_GRAD, { dy: dy as Tensor, ids }, { vocabSize: table.shape[0] }) as Tensor,
    ids: () => zerosLike(ids),
  }),
};
