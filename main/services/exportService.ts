// Exporting a run's model to <dataDir>/exports/<run>-<format>/. 'safetensors' is a Hugging Face-style folder
// (config.json + model.safetensors + tokenizer files; a LoRA run's adapters merged in); 'tfjs' is a TensorFlow.js
// weights manifest (model.json + weights.bin) carrying the same config and tokenizer as metadata; 'adapter' is a
// LoRA run's adapters alone, as PEFT saves them; 'gguf' is model.gguf (llama.cpp's format, F16, Q8_0 or Q4_K_M) with
// an Ollama Modelfile, to <run>-gguf-<quant>/ (main/export/gguf). Written to a temporary folder, then renamed, so a
// failed export leaves nothing half-written.
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExportResult, GgufQuant } from '../../common/evaluation';
import { badInput } from '../../common/result';
import { CHECKPOINT_FORMAT, loraFileFor } from '../trainer/checkpointFiles';
import { DECODER_CHECKPOINT_FORMAT } from '../trainer/decoder/checkpointFormat';
import { peftAdapter } from '../trainer/decoder/peft';
import { familyById, type HfConfig } from '../trainer/families';
import { loadSentencePieceModel } from '../trainer/llama/sentencePieceModel';
import { hfTokenizerJson, modelTokenizerFromJson } from '../trainer/modelTokenizer';
import { SentencePieceTextTokenizer } from '../trainer/tokenizers/sentencePieceAdapter';
import { readSafetensors, readSafetensorsHeader, writeSafetensors, type NamedArray } from '../trainer/safetensors';
import { writeGgufExport } from '../export/gguf';
import type { BaseFolders } from '../models/baseFolders';
import type { RunStore } from './runStore';

type Format = ExportResult['format'];

interface ExportPlan {
  config: Record<string, unknown>;
  tensors: NamedArray[];
  /** Extra files: name → contents, or a path to copy. */
  files: Record<string, string | { copyFrom: string }>;
}

export class ExportService {
  constructor(private readonly deps: { store: RunStore; dataDir: string; bases: BaseFolders }) {}

  /** `options.quant` applies to gguf (default f16). */
  export(runId: string, format: Format, options: { quant?: GgufQuant } = {}): ExportResult {
    const run = this.deps.store.summary(runId);
    const last = this.deps.store.checkpoints(runId).at(-1);
    if (!last) throw badInput(`Run ${runId} has no saved model to export (${run.status}); a run saves its model when it completes.`);
    if (!existsSync(last.path)) throw badInput(`The checkpoint ${last.path} of run ${runId} is missing on disk.`);
    if (format === 'gguf') return this.exportGguf(runId, run.config.base, last.path, options.quant ?? 'f16');
    const plan = format === 'adapter' ? this.adapterPlan(runId, last.path, run.config.base) : this.plan(last.path, run.config.base);
    const dir = join(this.deps.dataDir, 'exports', `${runId}-${format}`);
    const tmp = `${dir}.partial`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    try {
      if (format === 'safetensors') writeHfFolder(tmp, plan);
      else if (format === 'adapter') writeAdapterFolder(tmp, plan);
      else writeTfjsFolder(tmp, plan);
      rmSync(dir, { recursive: true, force: true });
      renameSync(tmp, dir);
    } catch (err) {
      rmSync(tmp, { recursive: true, force: true });
      throw err;
    }
    const files = readdirSync(dir).sort().map((name) => ({ name, bytes: statSync(join(dir, name)).size }));
    return { format, dir, files };
  }

  /** model.gguf + Modelfile in <run>-gguf-<quant>/; what could not be written as asked comes back as warnings. */
  private exportGguf(runId: string, base: string, checkpoint: string, quant: GgufQuant): ExportResult {
    const dir = join(this.deps.dataDir, 'exports', `${runId}-gguf-${quant}`);
    const tmp = `${dir}.partial`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    let warnings: string[];
    try {
      const baseDir = this.deps.bases.pathOf(base);
      warnings = writeGgufExport({ checkpoint, baseDir, quant, outDir: tmp, name: `${base} fine-tuned (${runId})`, baseName: base === 'scratch' ? undefined : base }).warnings;
      writeFiles(tmp, noticesOf(baseDir)); // the base's licence and notice files, as every export carries
      rmSync(dir, { recursive: true, force: true });
      renameSync(tmp, dir);
    } catch (err) {
      rmSync(tmp, { recursive: true, force: true });
      throw err;
    }
    const files = readdirSync(dir).sort().map((name) => ({ name, bytes: statSync(join(dir, name)).size }));
    return { format: 'gguf', dir, files, quant, warnings };
  }

  /** A LoRA run's adapters as PEFT saves them: adapter_config.json + adapter_model.safetensors. */
  private adapterPlan(runId: string, checkpoint: string, base: string): ExportPlan {
    const file = loraFileFor(checkpoint);
    if (!existsSync(file)) throw badInput(`Run ${runId} was not trained with LoRA, so it has no adapter; export it as safetensors (the whole model) instead.`);
    const { tensors, metadata } = readSafetensors(file);
    const baseDir = this.deps.bases.pathOf(base);
    const notices = noticesOf(baseDir);
    if (metadata.family) {
      // a decoder family's adapters (canonical names) in PEFT's names for that family's checkpoint
      const family = familyById(metadata.family);
      const hfConfig = JSON.parse(readSafetensorsHeader(checkpoint).metadata.hf_config) as HfConfig;
      const peft = peftAdapter(tensors, family, family.toSpec(hfConfig, checkpoint), { rank: Number(metadata.rank), alpha: Number(metadata.alpha), base: String(hfConfig._name_or_path ?? hubName(base)) });
      return { config: peft.config, tensors: peft.tensors, files: notices };
    }
    const adapterConfig = JSON.parse(metadata.adapter_config ?? '{}') as Record<string, unknown>;
    return { config: { ...adapterConfig, base_model_name_or_path: base }, tensors, files: notices };
  }

  private plan(checkpoint: string, base: string): ExportPlan {
    const { tensors, metadata } = readSafetensors(checkpoint);
    const meta = (key: string) => (metadata[key] ? JSON.parse(metadata[key]) : null);
    const labels: string[] = meta('labels') ?? [];
    const labelMaps = labels.length ? { id2label: Object.fromEntries(labels.map((l, i) => [i, l])), label2id: Object.fromEntries(labels.map((l, i) => [l, i])) } : {};
    if (metadata.format === CHECKPOINT_FORMAT) {
      const shape = meta('model') as { task: string; vocabSize: number; nLayer: number; nHead: number; dModel: number; contextLength: number };
      const classify = shape.task === 'classify';
      return {
        config: {
          architectures: [classify ? 'GPT2ForSequenceClassification' : 'GPT2LMHeadModel'],
          model_type: 'gpt2',
          vocab_size: shape.vocabSize,
          n_positions: shape.contextLength,
          n_embd: shape.dModel,
          n_layer: shape.nLayer,
          n_head: shape.nHead,
          n_inner: 4 * shape.dModel,
          activation_function: 'gelu_new',
          layer_norm_epsilon: 1e-5,
          tie_word_embeddings: true,
          ...labelMaps,
          tunebench: { format: metadata.format, step: Number(metadata.step), classifier: classify ? 'classifier.weight/bias over the masked mean of hidden states' : null },
        },
        // HF's GPT2 modules live under "transformer."; the classification head keeps its own name
        tensors: tensors.map((t) => ({ ...t, name: t.name.startsWith('classifier.') ? t.name : `transformer.${t.name}` })),
        files: { 'tokenizer.json': JSON.stringify(hfTokenizerJson(modelTokenizerFromJson(meta('tokenizer'))), null, 2) },
      };
    }
    const baseDir = this.deps.bases.pathOf(base);
    const notices = noticesOf(baseDir);
    if (metadata.format === DECODER_CHECKPOINT_FORMAT && baseDir) {
      // the base's own layout: its config.json (float32 now), the checkpoint's tensors, its tokenizer files
      const hfConfig = JSON.parse(metadata.hf_config) as HfConfig;
      const companions = BASE_COMPANIONS.filter((f) => existsSync(join(baseDir, f)));
      return {
        config: { ...hfConfig, torch_dtype: 'float32', ...('dtype' in hfConfig ? { dtype: 'float32' } : {}) },
        tensors,
        files: { ...Object.fromEntries(companions.map((f) => [f, { copyFrom: join(baseDir, f) }])), ...notices },
      };
    }
    if (metadata.format === 'tunebench-llama-v1' && baseDir) {
      const tokenizerModel = join(baseDir, existsSync(join(baseDir, 'tokenizer.model')) ? 'tokenizer.model' : 'tok512.model');
      return {
        config: { ...meta('llama'), tunebench: { format: metadata.format, step: Number(metadata.step), base, trained: meta('config') } },
        tensors,
        files: {
          'tokenizer.model': { copyFrom: tokenizerModel },
          // the same vocabulary as a tokenizer.json (SentencePiece-style BPE with byte fallback) for HF's fast tokenizers
          'tokenizer.json': JSON.stringify(new SentencePieceTextTokenizer(loadSentencePieceModel(tokenizerModel)).toJson()),
          'tokenizer_config.json': JSON.stringify({ tokenizer_class: 'LlamaTokenizer', add_bos_token: true, add_eos_token: false }),
          ...notices,
        },
      };
    }
    if (metadata.format === 'tunebench-fewshot-v1') {
      return {
        config: { model_type: 'tunebench-fewshot', base, ...labelMaps, trained: meta('config'), tunebench: { format: metadata.format, step: Number(metadata.step) } },
        tensors,
        files: { 'vocab.txt': { copyFrom: join(baseDir!, 'vocab.txt') }, ...notices },
      };
    }
    throw badInput(`${checkpoint} is not a checkpoint Tunebench can export (format '${metadata.format ?? 'none'}').`);
  }
}

/** A base id as PEFT names a base: a cached model's Hub name (hf:org/name@rev → org/name), else the id. */
const hubName = (base: string): string => (base.startsWith('hf:') ? base.slice(3).split('@')[0] : base);

/** Files of a base folder that an export of a model tuned from it carries over unchanged. */
const BASE_COMPANIONS = ['tokenizer.json', 'tokenizer.model', 'tokenizer_config.json', 'special_tokens_map.json', 'generation_config.json', 'chat_template.jinja'];

/** The base model's licence and notice files, copied beside an export of a model derived from it. */
function noticesOf(baseDir: string | null): ExportPlan['files'] {
  if (!baseDir) return {};
  return Object.fromEntries(readdirSync(baseDir).filter((f) => /^(NOTICE|LICENSE)/i.test(f)).map((f) => [f, { copyFrom: join(baseDir, f) }]));
}

function writeFiles(dir: string, files: ExportPlan['files']): void {
  for (const [name, content] of Object.entries(files)) {
    if (typeof content === 'string') writeFileSync(join(dir, name), content);
    else copyFileSync(content.copyFrom, join(dir, name));
  }
}

function writeHfFolder(dir: string, plan: ExportPlan): void {
  writeFileSync(join(dir, 'config.json'), JSON.stringify(plan.config, null, 2));
  writeSafetensors(join(dir, 'model.safetensors'), plan.tensors, { format: 'pt' });
  writeFiles(dir, plan.files);
}

function writeAdapterFolder(dir: string, plan: ExportPlan): void {
  writeFileSync(join(dir, 'adapter_config.json'), JSON.stringify(plan.config, null, 2));
  writeSafetensors(join(dir, 'adapter_model.safetensors'), plan.tensors, { format: 'pt' });
  writeFiles(dir, plan.files);
}

function writeTfjsFolder(dir: string, plan: ExportPlan): void {
  const weights = plan.tensors.map((t) => ({ name: t.name, shape: t.shape, dtype: 'float32' }));
  const bytes = Buffer.concat(plan.tensors.map((t) => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength)));
  writeFileSync(join(dir, 'weights.bin'), bytes);
  const textFiles = Object.fromEntries(Object.entries(plan.files).filter(([, c]) => typeof c === 'string'));
  const model = {
    format: 'tunebench-weights',
    generatedBy: 'Tunebench',
    modelTopology: null,
    weightsManifest: [{ paths: ['weights.bin'], weights }],
    userDefinedMetadata: { config: plan.config, ...textFiles },
  };
  writeFileSync(join(dir, 'model.json'), JSON.stringify(model));
  writeFiles(dir, Object.fromEntries(Object.entries(plan.files).filter(([, c]) => typeof c !== 'string')));
}
