// Reader for karpathy/llama2.c checkpoints in the legacy (v0) binary layout: seven little-endian int32s
// (dim, hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size, seq_len), then float32 weights in run.c's order.
// A positive vocab_size means the classifier shares the token embedding; a negative one means a separate classifier
// follows the two legacy RoPE tables (which we skip: RoPE is recomputed). Matrices are row-major (out, in).
import { readFileSync } from 'node:fs';

export interface LlamaConfig {
  dim: number; // C, model width
  hiddenDim: number; // F, SwiGLU inner width
  nLayers: number;
  nHeads: number; // H
  nKvHeads: number; // Hkv, H a multiple of it (grouped-query attention)
  vocabSize: number; // V
  seqLen: number; // longest context
}

/** Per-layer arrays are indexed by layer; every matrix is row-major (out, in) as in run.c. */
export interface LlamaWeights {
  tokenEmbedding: Float32Array; // (V, C)
  rmsAtt: Float32Array[]; // (C)
  wq: Float32Array[]; // (C, C)
  wk: Float32Array[]; // (Hkv·hs, C)
  wv: Float32Array[]; // (Hkv·hs, C)
  wo: Float32Array[]; // (C, C)
  rmsFfn: Float32Array[]; // (C)
  w1: Float32Array[]; // (F, C)
  w2: Float32Array[]; // (C, F)
  w3: Float32Array[]; // (F, C)
  rmsFinal: Float32Array; // (C)
  /** (V, C); the same array as tokenEmbedding when the classifier is shared. */
  classifier: Float32Array;
  sharedClassifier: boolean;
}

export interface Llama2cCheckpoint {
  config: LlamaConfig;
  weights: LlamaWeights;
}

const HEADER_INTS = 7;
const HEADER_BYTES = HEADER_INTS * 4;

/** Parses legacy llama2.c bytes; `fileName` only names the source in error messages. */
export function parseLlama2cCheckpoint(bytes: Uint8Array, fileName = '<buffer>'): Llama2cCheckpoint {
  if (bytes.byteLength < HEADER_BYTES) {
    throw new Error(`${fileName}: ${bytes.byteLength} bytes is too short for a llama2.c checkpoint header (${HEADER_BYTES} bytes).`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const h = Array.from({ length: HEADER_INTS }, (_, i) => view.getInt32(i * 4, true));
  const [dim, hiddenDim, nLayers, nHeads, nKvHeads, rawVocab, seqLen] = h;
  const vocabSize = Math.abs(rawVocab);
  const sharedClassifier = rawVocab > 0;
  const bad = (why: string) => new Error(`${fileName}: not a legacy llama2.c checkpoint (header ${h.join(', ')}): ${why}.`);
  if ([dim, hiddenDim, nLayers, nHeads, nKvHeads, seqLen].some((n) => n <= 0) || vocabSize === 0) throw bad('every size must be positive');
  if (dim > 1 << 16 || hiddenDim > 1 << 18 || nLayers > 1024 || vocabSize > 1 << 22 || seqLen > 1 << 20) throw bad('sizes are implausibly large');
  if (dim % nHeads !== 0) throw bad(`dim ${dim} is not a multiple of n_heads ${nHeads}`);
  if (nHeads % nKvHeads !== 0) throw bad(`n_heads ${nHeads} is not a multiple of n_kv_heads ${nKvHeads}`);
  const headSize = dim / nHeads;
  if (headSize % 2 !== 0) throw bad(`head size ${headSize} is odd, RoPE needs pairs`);
  const kvDim = nKvHeads * headSize;
  const config: LlamaConfig = { dim, hiddenDim, nLayers, nHeads, nKvHeads, vocabSize, seqLen };

  const ropeFloats = 2 * seqLen * (headSize / 2);
  const perLayer = dim + dim * dim + 2 * kvDim * dim + dim * dim + dim + 3 * hiddenDim * dim;
  const total = vocabSize * dim + nLayers * perLayer + dim + ropeFloats + (sharedClassifier ? 0 : vocabSize * dim);
  const expected = HEADER_BYTES + total * 4;
  if (bytes.byteLength < expected) {
    throw new Error(`${fileName}: truncated llama2.c checkpoint: ${bytes.byteLength} bytes, the header (${h.join(', ')}) needs ${expected}.`);
  }

  // Copy once into an aligned buffer, then hand out subarray views.
  const floats = new Float32Array(total);
  for (let i = 0; i < total; i++) floats[i] = view.getFloat32(HEADER_BYTES + i * 4, true);
  let offset = 0;
  const take = (n: number) => floats.subarray(offset, (offset += n));
  const perLayerTake = (n: number) => Array.from({ length: nLayers }, () => take(n));

  const tokenEmbedding = take(vocabSize * dim);
  const rmsAtt = perLayerTake(dim);
  const wq = perLayerTake(dim * dim);
  const wk = perLayerTake(kvDim * dim);
  const wv = perLayerTake(kvDim * dim);
  const wo = perLayerTake(dim * dim);
  const rmsFfn = perLayerTake(dim);
  const w1 = perLayerTake(hiddenDim * dim);
  const w2 = perLayerTake(dim * hiddenDim);
  const w3 = perLayerTake(hiddenDim * dim);
  const rmsFinal = take(dim);
  take(ropeFloats); // legacy freq_cis_real / freq_cis_imag, unused
  const classifier = sharedClassifier ? tokenEmbedding : take(vocabSize * dim);
  const weights: LlamaWeights = { tokenEmbedding, rmsAtt, wq, wk, wv, wo, rmsFfn, w1, w2, w3, rmsFinal, classifier, sharedClassifier };
  return { config, weights };
}

export function loadLlama2cCheckpoint(path: string): Llama2cCheckpoint {
  return parseLlama2cCheckpoint(readFileSync(path), path);
}
