// config.json as each family reads it: transformers' defaults where a field is absent, and one sentence naming the
// file and the field where a value cannot be run.
import { describe, expect, it } from 'vitest';
import { inverseFrequencies } from '../../../main/trainer/decoder/rope';
import { specParameters } from '../../../main/trainer/decoder/spec';
import { familyOfConfig } from '../../../main/trainer/families';

const FILE = '/m/config.json';
const llama = { model_type: 'llama', hidden_size: 64, intermediate_size: 128, num_hidden_layers: 2, num_attention_heads: 4, vocab_size: 100 };
const spec = (c: Record<string, unknown>) => familyOfConfig(c, FILE).toSpec(c, FILE);

describe('family configs', () => {
  it('reads a Llama with transformers defaults: GQA off, head_dim from the width, eps 1e-6, rope 10000, untied', () => {
    expect(spec(llama)).toMatchObject({ family: 'llama', kvHeads: 4, headDim: 16, normEps: 1e-6, rope: { theta: 10000, scaling: { type: 'default' } }, tiedHead: false, qkvBias: false });
  });

  it('counts parameters as the checkpoint holds them (a tied head is the embedding)', () => {
    const tied = spec({ ...llama, tie_word_embeddings: true });
    expect(specParameters(spec(llama)) - specParameters(tied)).toBe(100 * 64);
  });

  it('gives Qwen2 biases on q, k, v only, and Qwen3 per-head norms with head_dim 128 by default', () => {
    expect(spec({ ...llama, model_type: 'qwen2' })).toMatchObject({ qkvBias: true, oBias: false, qkNorm: false });
    expect(spec({ ...llama, model_type: 'qwen3' })).toMatchObject({ qkvBias: false, qkNorm: true, headDim: 128 });
  });

  it('lays out Gemma 3 layers as five sliding to one global, with the local RoPE base on the sliding ones', () => {
    const g = spec({ ...llama, model_type: 'gemma3_text', num_hidden_layers: 12, head_dim: 16, sliding_window: 512 });
    expect(g.layerKinds.filter((k) => k === 'full').length).toBe(2);
    expect(g.layerKinds[5]).toBe('full');
    expect(g).toMatchObject({ norm: 'rms1p', sandwichNorms: true, embeddingScale: 8, localRope: { theta: 10000 }, rope: { theta: 1_000_000 } });
  });

  it('stretches only the low frequencies with llama3 rope scaling, and leaves the high ones', () => {
    const base = inverseFrequencies({ theta: 500000, scaling: { type: 'default' } }, 64, 10);
    const scaled = inverseFrequencies({ theta: 500000, scaling: { type: 'llama3', factor: 32, lowFreqFactor: 1, highFreqFactor: 4, originalMaxPositions: 8192 } }, 64, 10);
    expect(scaled[0]).toBe(base[0]);
    expect(scaled[31]).toBeCloseTo(base[31] / 32, 12);
  });

  it('refuses what it cannot run in one sentence naming the file and the field', () => {
    expect(() => spec({ ...llama, model_type: 'mamba' })).toThrow(/\/m\/config\.json: model_type 'mamba' is not a family Tunebench runs/);
    expect(() => spec({ ...llama, rope_scaling: { rope_type: 'yarn', factor: 4 } })).toThrow(/config\.json: 'rope_scaling' has rope_type 'yarn'/);
    expect(() => spec({ ...llama, num_attention_heads: 3, num_key_value_heads: 2 })).toThrow(/num_attention_heads 3 is not a multiple of num_key_value_heads 2/);
    expect(() => spec({ ...llama, num_hidden_layers: 1e9 })).toThrow(/'num_hidden_layers' is 1000000000/);
    expect(() => spec({ ...llama, hidden_act: 'relu' })).toThrow(/'hidden_act' is "relu"/);
    expect(() => spec({ ...llama, architectures: ['LlamaForSequenceClassification'] })).toThrow(/architectures LlamaForSequenceClassification/);
  });
});
