// The GGUF tokenizer keys of each family's tokenizer files (tests/helpers/familyTokenizers.ts: the real files'
// structure at a small vocabulary), the pre-tokenizer names llama.cpp knows, and the Modelfile's template.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { translateChatTemplate, modelfile } from '../../../main/export/gguf/modelfile';
import { TOKEN_TYPE } from '../../../main/export/gguf/sentencePiece';
import { bpePreName, folderVocab } from '../../../main/export/gguf/vocab';
import type { GgufValue } from '../../../main/export/gguf/writer';
import { familyTokenizer, GPT2_BPE_DIR, writeFamilyTokenizer, type Family } from '../../helpers/familyTokenizers';

const ready = existsSync(GPT2_BPE_DIR);
if (!ready) console.warn(`ggufVocab.test: ${GPT2_BPE_DIR} is absent (the tokenizer fixtures are built from it); skipping.`);

const V = 700;
const ROWS = 768; // embeddings padded past the tokenizer, as real configs are

function vocabOf(family: Family, rows = ROWS, variant: 'base' | 'instruct' = 'instruct') {
  const tok = familyTokenizer(family, V, { variant });
  const dir = writeFamilyTokenizer(mkdtempSync(join(tmpdir(), `tb-vocab-${family}-`)), tok);
  const modelFamily = family === 'smollm2' || family === 'llama2' || family === 'llama3' ? 'llama' : family;
  return { tok, vocab: folderVocab(dir, rows, modelFamily, {}) };
}
const value = (keys: Map<string, GgufValue>, key: string) => keys.get(key)?.value;

describe.skipIf(!ready)('GGUF tokenizer keys from the family tokenizer files', () => {
  const byteLevel: [Family, string][] = [
    ['gpt2', 'gpt-2'],
    ['smollm2', 'smollm'],
    ['llama3', 'llama-bpe'],
    ['qwen2', 'qwen2'],
    ['qwen3', 'qwen2'],
  ];
  for (const [family, pre] of byteLevel) {
    it(`${family}: gpt2 model, pre ${pre}, tokens in id order padded to the embedding, merges, special ids`, () => {
      const { tok, vocab } = vocabOf(family);
      const k = vocab.keys;
      expect(value(k, 'tokenizer.ggml.model')).toBe('gpt2');
      expect(value(k, 'tokenizer.ggml.pre')).toBe(pre);
      expect(bpePreName(tok.files['tokenizer.json'] as Record<string, unknown>)).toBe(pre);
      const tokens = value(k, 'tokenizer.ggml.tokens') as string[];
      const types = value(k, 'tokenizer.ggml.token_type') as Int32Array;
      expect(tokens).toHaveLength(ROWS);
      expect(types).toHaveLength(ROWS);
      const json = tok.files['tokenizer.json'] as { model: { vocab: Record<string, number>; merges: unknown[] }; added_tokens: { id: number; content: string; special: boolean }[] };
      for (const [t, id] of Object.entries(json.model.vocab)) expect(tokens[id]).toBe(t);
      for (const a of json.added_tokens) {
        expect(tokens[a.id]).toBe(a.content);
        expect(types[a.id]).toBe(a.special || /^<\|.*\|>$/.test(a.content) ? TOKEN_TYPE.CONTROL : TOKEN_TYPE.USER_DEFINED);
      }
      expect(tokens[ROWS - 1]).toBe(`[PAD${ROWS - 1}]`);
      expect(types[ROWS - 1]).toBe(TOKEN_TYPE.UNUSED);
      expect(k.has('tokenizer.ggml.scores')).toBe(false);
      const merges = value(k, 'tokenizer.ggml.merges') as string[];
      expect(merges).toHaveLength(json.model.merges.length);
      expect(merges.every((m) => m.split(' ').length === 2)).toBe(true);
      const e = tok.expect;
      if (e.bosId !== null) expect(value(k, 'tokenizer.ggml.bos_token_id')).toBe(e.bosId);
      expect(value(k, 'tokenizer.ggml.eos_token_id')).toBe(e.eosIds[0]);
      expect(value(k, 'tokenizer.ggml.add_bos_token')).toBe(e.addBos);
      if (e.padId !== null) expect(value(k, 'tokenizer.ggml.padding_token_id')).toBe(e.padId);
      expect(vocab.eosTexts).toEqual(e.eosIds.map((id) => tokens[id]));
    });
  }

  it('llama2 (tokenizer.json, SentencePiece-style): llama model, merge-order scores, byte and control types, space prefix', () => {
    for (const style of ['legacy', 'metaspace'] as const) {
      const tok = familyTokenizer('llama2', V, { llama2Style: style });
      const dir = writeFamilyTokenizer(mkdtempSync(join(tmpdir(), 'tb-vocab-llama2-')), tok);
      const k = folderVocab(dir, V, 'llama', {}).keys;
      expect(value(k, 'tokenizer.ggml.model')).toBe('llama');
      expect(value(k, 'tokenizer.ggml.pre')).toBe('default');
      expect(value(k, 'tokenizer.ggml.add_space_prefix')).toBe(true);
      const tokens = value(k, 'tokenizer.ggml.tokens') as string[];
      const types = value(k, 'tokenizer.ggml.token_type') as Int32Array;
      const scores = value(k, 'tokenizer.ggml.scores') as Float32Array;
      expect(tokens.slice(0, 3)).toEqual(['<unk>', '<s>', '</s>']);
      expect([...types.slice(0, 4)]).toEqual([TOKEN_TYPE.UNKNOWN, TOKEN_TYPE.CONTROL, TOKEN_TYPE.CONTROL, TOKEN_TYPE.BYTE]);
      expect(tokens[3]).toBe('<0x00>');
      const json = tok.files['tokenizer.json'] as { model: { merges: (string | string[])[] } };
      const merges = json.model.merges.map((m) => (Array.isArray(m) ? m : m.split(' ')));
      // the first merges' pieces score highest, in merge order
      const firstScores = merges.slice(0, 20).map(([a, b]) => scores[tokens.indexOf(a + b)]);
      for (let i = 1; i < firstScores.length; i++) expect(firstScores[i]).toBeLessThanOrEqual(firstScores[i - 1]);
      expect(firstScores[0]).toBe(0);
      expect(value(k, 'tokenizer.ggml.bos_token_id')).toBe(1);
      expect(value(k, 'tokenizer.ggml.eos_token_id')).toBe(2);
      expect(value(k, 'tokenizer.ggml.unknown_token_id')).toBe(0);
      expect(value(k, 'tokenizer.ggml.add_bos_token')).toBe(true);
    }
  });

  it('gemma3 (tokenizer.json): llama model without a space prefix, cut to the real vocabulary like convert', () => {
    const { tok, vocab } = vocabOf('gemma3');
    expect(value(vocab.keys, 'tokenizer.ggml.model')).toBe('llama');
    expect(value(vocab.keys, 'tokenizer.ggml.add_space_prefix')).toBe(false);
    expect(vocab.size).toBe(tok.vocabSize); // not the 768 embedding rows
    expect(value(vocab.keys, 'tokenizer.ggml.bos_token_id')).toBe(2);
    expect(vocab.chatTemplate).toContain('<start_of_turn>');
    expect(translateChatTemplate(vocab.chatTemplate).template).toContain('<start_of_turn>model');
  });

  it('refuses a tokenizer with more ids than the embedding has rows', () => {
    expect(() => vocabOf('qwen2', 600)).toThrow(/beyond the model's 600 embedding rows/);
  });

  it('writes the chat template and translates ChatML and Llama 3 for the Modelfile', () => {
    const qwen = vocabOf('qwen2').vocab;
    expect(qwen.keys.get('tokenizer.chat_template')?.value).toBe(qwen.chatTemplate);
    expect(translateChatTemplate(qwen.chatTemplate).template).toContain('<|im_start|>assistant');
    const llama3 = vocabOf('llama3').vocab;
    expect(translateChatTemplate(llama3.chatTemplate).template).toContain('<|start_header_id|>assistant<|end_header_id|>');
    const text = modelfile({ gguf: 'model.gguf', chatTemplate: qwen.chatTemplate, stops: qwen.eosTexts, contextLength: 32768, description: 'x' });
    expect(text).toMatch(/^FROM \.\/model\.gguf$/m);
    expect(text).toMatch(/^TEMPLATE """/m);
    for (const stop of qwen.eosTexts) expect(text).toContain(`PARAMETER stop ${JSON.stringify(stop)}`);
    expect(text).toMatch(/^PARAMETER num_ctx 8192$/m);
    const odd = translateChatTemplate('{% for m in messages %}[{{ m.role }}] {{ m.content }}{% endfor %}');
    expect(odd.template).toBeNull();
    expect(odd.note).toMatch(/not one this export translates/);
  });
});
