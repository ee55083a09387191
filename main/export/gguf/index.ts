// A run's checkpoint as a GGUF file (version 3) that llama.cpp and Ollama load, with an Ollama Modelfile beside it.
// Reads the three checkpoint kinds Tunebench writes — a decoder family's (LoRA merged, the family's own names), the
// stories260K Llama's, and the scratch GPT-2's — maps them onto the decoder's canonical tensors through the family,
// and writes what convert_hf_to_gguf.py (and for Q4_K_M, llama-quantize) would write from the equivalent Hugging
// Face folder: metadata.ts (hyperparameters), vocab.ts (tokenizer), tensors.ts (names, layouts), plan.ts (types),
// quantize.ts (encodings), writer.ts (the container), modelfile.ts.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { badInput } from '../../../common/result';
import { CHECKPOINT_FORMAT } from '../../trainer/checkpointFiles';
import { DECODER_CHECKPOINT_FORMAT } from '../../trainer/decoder/checkpointFormat';
import { canonicalShapes } from '../../trainer/decoder/names';
import type { DecoderSpec } from '../../trainer/decoder/spec';
import { familyById, type Family, type FloatTensor, type HfConfig } from '../../trainer/families';
import { hfTokenizerJson, modelTokenizerFromJson } from '../../trainer/modelTokenizer';
import { readSafetensors } from '../../trainer/safetensors';
import { archKeys, archOf, generalKeys, type GgufQuant } from './metadata';
import { modelfile } from './modelfile';
import { planTypes } from './plan';
import { encodeAs, GGML_TYPE_NAME, type GgmlType } from './quantize';
import { readSentencePieces, TOKEN_TYPE } from './sentencePiece';
import { ggufTensors } from './tensors';
import { byteLevelVocabOf, folderVocab, sentencePieceVocab, type GgufVocab } from './vocab';
import { GGUF_ALIGNMENT, writeGguf, type GgufTensor, type GgufValue } from './writer';

export { GGUF_QUANTS, type GgufQuant } from './metadata';

export const GGUF_FILE = 'model.gguf';
export const MODELFILE = 'Modelfile';

export interface GgufExportInput {
  /** The run's checkpoint (safetensors). */
  checkpoint: string;
  /** The base model's folder (tokenizer files), or null for a model trained from scratch. */
  baseDir: string | null;
  quant: GgufQuant;
  /** An existing, empty folder to write model.gguf and Modelfile into. */
  outDir: string;
  /** general.name */
  name: string;
  /** The base model's name (general.base_model.0.name), when there is one. */
  baseName?: string;
}

export interface GgufExportOutput {
  arch: string;
  /** Tensors written in each ggml type. */
  types: Record<string, number>;
  bytes: number;
  warnings: string[];
}

interface Source {
  family: Family;
  spec: DecoderSpec;
  hfConfig: HfConfig;
  canonical: Map<string, FloatTensor>;
  vocab: GgufVocab;
  /** Texts that end a generation besides the EOS tokens (the Modelfile's stop parameters). */
  stops?: string[];
}

/** The checkpoint's tensors under the decoder's canonical names, in canonicalShapes' order; refuses an incomplete one. */
function canonicalOf(family: Family, spec: DecoderSpec, tensors: FloatTensor[], where: string): Map<string, FloatTensor> {
  const shapes = canonicalShapes(spec);
  const found = new Map<string, FloatTensor>();
  for (const t of tensors) for (const c of family.fromCheckpoint(t, spec)) if (shapes.has(c.name) && !found.has(c.name)) found.set(c.name, c);
  const ordered = new Map<string, FloatTensor>();
  for (const [name, shape] of shapes) {
    const t = found.get(name);
    if (!t) throw badInput(`${where} lacks the weight ${name} its config implies; it cannot be exported as GGUF.`);
    if (t.shape.join() !== shape.join()) throw badInput(`${where}: ${name} has shape [${t.shape}], its config implies [${shape}].`);
    ordered.set(name, t);
  }
  return ordered;
}

function readSource(checkpoint: string, baseDir: string | null): Source {
  const { tensors, metadata } = readSafetensors(checkpoint);
  const json = (key: string): unknown => {
    try {
      return JSON.parse(metadata[key]);
    } catch {
      throw badInput(`${checkpoint}: its ${key} metadata is missing or not JSON.`);
    }
  };
  if (metadata.format === DECODER_CHECKPOINT_FORMAT) {
    const family = familyById(metadata.family);
    const hfConfig = json('hf_config') as HfConfig;
    const spec = family.toSpec(hfConfig, checkpoint);
    if (!baseDir || !existsSync(baseDir)) throw badInput(`The base model folder of ${checkpoint} is missing, and its tokenizer with it; re-import the base to export GGUF.`);
    const canonical = canonicalOf(family, spec, tensors, checkpoint);
    return { family, spec, hfConfig, canonical, vocab: folderVocab(baseDir, spec.vocabSize, family.id, hfConfig) };
  }
  if (metadata.format === 'tunebench-llama-v1') {
    const family = familyById('llama');
    const hfConfig = json('llama') as HfConfig;
    const spec = family.toSpec(hfConfig, checkpoint);
    const model = baseDir && ['tokenizer.model', 'tok512.model'].map((f) => join(baseDir, f)).find((f) => existsSync(f));
    if (!model) throw badInput(`The SentencePiece model of ${checkpoint}'s base (tokenizer.model or tok512.model) is missing.`);
    const pieces = readSentencePieces(model);
    const unk = pieces.findIndex((p) => p.type === TOKEN_TYPE.UNKNOWN);
    const id = (key: string) => (Number.isInteger(hfConfig[key]) ? (hfConfig[key] as number) : null);
    const eos = id('eos_token_id');
    // LlamaTokenizer's defaults, which Tunebench's Hugging Face export of this model writes: BOS added, EOS not
    const vocab = sentencePieceVocab(pieces, spec.vocabSize, { bosId: id('bos_token_id'), eosIds: eos === null ? [] : [eos], unkId: unk < 0 ? null : unk, padId: null, addBos: true, addEos: false, chatTemplate: null });
    // llama2.c's stories begin with BOS and have no EOS: run.c (and Tunebench) stop a continuation at the next BOS
    const stops = vocab.tokens[1] === '<s>' ? ['<s>'] : [];
    return { family, spec, hfConfig, canonical: canonicalOf(family, spec, tensors, checkpoint), vocab, stops };
  }
  if (metadata.format === CHECKPOINT_FORMAT) {
    const shape = json('model') as { task: string; vocabSize: number; nLayer: number; nHead: number; dModel: number; contextLength: number };
    if (shape.task === 'classify') throw badInput('A classifier has no GGUF form: GGUF holds text generators. Export it as safetensors instead.');
    const tokenizer = json('tokenizer') as { type?: string };
    if (tokenizer.type !== 'bpe') throw badInput('This model reads characters one by one, which no llama.cpp tokenizer does; train it with tokenizer=bpe to export GGUF, or export safetensors.');
    const family = familyById('gpt2');
    const hfConfig: HfConfig = { model_type: 'gpt2', vocab_size: shape.vocabSize, n_positions: shape.contextLength, n_embd: shape.dModel, n_layer: shape.nLayer, n_head: shape.nHead, n_inner: 4 * shape.dModel, activation_function: 'gelu_new', layer_norm_epsilon: 1e-5 };
    const spec = family.toSpec(hfConfig, checkpoint);
    const doc = hfTokenizerJson(modelTokenizerFromJson(tokenizer as Parameters<typeof modelTokenizerFromJson>[0])) as Record<string, unknown>;
    const vocab = byteLevelVocabOf(doc, `${checkpoint} (its tokenizer)`, spec.vocabSize, { bosId: null, eosIds: [], unkId: null, padId: null, addBos: false, addEos: false, chatTemplate: null });
    return { family, spec, hfConfig, canonical: canonicalOf(family, spec, tensors, checkpoint), vocab };
  }
  throw badInput(`${checkpoint} is not a text generator Tunebench can export as GGUF (format '${metadata.format ?? 'none'}').`);
}

/** Writes model.gguf and Modelfile into input.outDir. */
export function writeGgufExport(input: GgufExportInput): GgufExportOutput {
  const source = readSource(input.checkpoint, input.baseDir);
  const { spec, hfConfig, vocab } = source;
  const arch = archOf(spec.family);
  const warnings = [...vocab.warnings];
  const tensors = ggufTensors(arch, spec, source.canonical, vocab.size);
  const { planned, warnings: planWarnings } = planTypes(tensors, input.quant, spec.layers);
  warnings.push(...planWarnings);

  const metadata = new Map<string, GgufValue>([
    ...generalKeys(arch, { name: input.name, quant: input.quant, baseName: input.baseName }, GGUF_ALIGNMENT),
    ...archKeys(arch, spec, hfConfig, input.quant, warnings),
    ...vocab.keys,
  ]);
  const files: GgufTensor[] = planned.map((t) => ({
    name: t.name,
    dims: [...t.shape].reverse(),
    type: t.type,
    encode: () => encodeAs(t.type, t.data),
  }));
  const bytes = writeGguf(join(input.outDir, GGUF_FILE), metadata, files);
  const types: Record<string, number> = {};
  for (const t of planned) types[GGML_TYPE_NAME[t.type as GgmlType]] = (types[GGML_TYPE_NAME[t.type as GgmlType]] ?? 0) + 1;
  writeFileSync(
    join(input.outDir, MODELFILE),
    modelfile({ gguf: GGUF_FILE, chatTemplate: vocab.chatTemplate, stops: [...vocab.eosTexts, ...(source.stops ?? [])], contextLength: spec.maxPositions, description: `${input.name} (${input.quant.toUpperCase()}), exported by Tunebench` }),
  );
  return { arch, types, bytes, warnings };
}
