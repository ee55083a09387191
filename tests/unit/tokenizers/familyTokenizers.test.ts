// tokenizer.json in the exact structure of each family (tests/helpers/familyTokenizers.ts) against what Hugging Face
// tokenizers (Rust) gives for the same files: tests/fixtures/tokenizers/hf-reference.json, written by hfReference.py.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tokenizerFromHfDocument } from '../../../main/trainer/tokenizers/hfTokenizerJson';
import { parseNormalizer } from '../../../main/trainer/tokenizers/hfNormalizers';
import { parsePreTokenizer } from '../../../main/trainer/tokenizers/hfPreTokenizers';
import { familyTokenizer, FAMILIES, GPT2_BPE_DIR, REFERENCE_VOCAB, referenceFixtures, SHARED_DATA, TRICKY_TEXTS } from '../../helpers/familyTokenizers';

const present = existsSync(GPT2_BPE_DIR);
if (!present) console.warn(`familyTokenizers.test: ${GPT2_BPE_DIR} (GPT-2's encoder.json and vocab.bpe) not found; skipping the family tokenizer tests.`);
const STORIES = resolve(SHARED_DATA, 'corpora/tinystories-subset/tinystories_valid_head.txt');

interface ReferenceRow {
  with: number[];
  without: number[];
  decodeSkip: string;
  decodeKeep: string;
  pieces: string[];
}
const reference = JSON.parse(readFileSync(resolve(__dirname, '../../fixtures/tokenizers/hf-reference.json'), 'utf8')) as {
  tokenizers: string;
  texts: string[];
  fixtures: Record<string, ReferenceRow[]>;
};

describe.skipIf(!present)('family tokenizer.json files as Hugging Face tokenizers reads them', () => {
  const fixtures = present ? referenceFixtures(REFERENCE_VOCAB) : {};

  it('has a reference for the texts and fixtures the helper makes', () => {
    expect(reference.texts).toEqual(TRICKY_TEXTS);
    expect(Object.keys(reference.fixtures).sort()).toEqual(Object.keys(fixtures).sort());
  });

  describe.each(Object.keys(reference.fixtures))('%s', (name) => {
    const doc = () => fixtures[name].files['tokenizer.json'] as Record<string, unknown>;

    it('encodes every tricky text to the same ids, with and without special tokens', () => {
      const tok = tokenizerFromHfDocument(doc());
      TRICKY_TEXTS.forEach((text, i) => {
        const want = reference.fixtures[name][i];
        expect(tok.encode(text), JSON.stringify(text)).toEqual(want.with);
        expect(tok.encode(text, { addSpecialTokens: false }), JSON.stringify(text)).toEqual(want.without);
      });
    });

    it('decodes them to the same text, skipping or keeping special tokens', () => {
      const tok = tokenizerFromHfDocument(doc());
      reference.fixtures[name].forEach((want, i) => {
        expect(tok.decode(want.with), JSON.stringify(TRICKY_TEXTS[i])).toBe(want.decodeSkip);
        expect(tok.decode(want.with, { skipSpecialTokens: false }), JSON.stringify(TRICKY_TEXTS[i])).toBe(want.decodeKeep);
      });
    });

    it('normalises and pre-tokenises into the same pieces', () => {
      const d = doc();
      const place = { file: name, path: 'x' };
      const normalize = d.normalizer ? parseNormalizer(d.normalizer, place) : (s: string) => s;
      const pre = d.pre_tokenizer ? parsePreTokenizer(d.pre_tokenizer, place) : (s: string) => [s];
      TRICKY_TEXTS.forEach((text, i) => expect(pre(normalize(text), true), JSON.stringify(text)).toEqual(reference.fixtures[name][i].pieces));
    });
  });
});

describe.skipIf(!present)('family tokenizers: structure and round trips', () => {
  it('uses exactly V ids, with merges that only build tokens of the vocabulary', () => {
    for (const family of FAMILIES) {
      for (const V of [512, 1024]) {
        const fixture = familyTokenizer(family, V);
        const tok = tokenizerFromHfDocument(fixture.files['tokenizer.json']);
        expect(tok.vocabSize, `${family} ${V}`).toBe(V);
        expect(fixture.vocabSize).toBe(V);
        const ids = new Set<number>();
        for (let id = 0; id < V; id++) if (tok.token(id) !== undefined) ids.add(id);
        expect(ids.size, `${family} ${V}: every id has a token`).toBe(V);
      }
    }
  });

  it('puts each special token where the family does, and matches it whole in text', () => {
    const V = 512;
    const where = (family: (typeof FAMILIES)[number], token: string) => familyTokenizer(family, V).expect.specials[token];
    expect(where('smollm2', '<|endoftext|>')).toBe(0); // SmolLM2's specials come first
    expect(where('llama3', '<|begin_of_text|>')).toBe(V - 11);
    expect(where('qwen2', '<|endoftext|>')).toBe(V - 22);
    expect(where('gemma3', '<bos>')).toBe(2);
    expect(where('llama2', '</s>')).toBe(2);
    for (const family of FAMILIES) {
      const fixture = familyTokenizer(family, V);
      const tok = tokenizerFromHfDocument(fixture.files['tokenizer.json']);
      for (const [content, id] of Object.entries({ ...fixture.expect.specials, ...fixture.expect.nonSpecial })) {
        expect(tok.encode(`x${content}y`, { addSpecialTokens: false }), `${family} ${content}`).toContain(id);
        expect(tok.encode(content, { addSpecialTokens: false }), `${family} ${content}`).toEqual([id]);
      }
    }
  });

  it.skipIf(!existsSync(STORIES))('round-trips TinyStories lines through every family (Qwen after NFC)', () => {
    const lines = readFileSync(STORIES, 'utf8').split('\n').slice(0, 300);
    for (const family of FAMILIES) {
      const tok = tokenizerFromHfDocument(familyTokenizer(family, 1024).files['tokenizer.json']);
      for (const line of lines) {
        const want = family.startsWith('qwen') ? line.normalize('NFC') : line;
        expect(tok.decode(tok.encode(line)), `${family}: ${line}`).toBe(want);
      }
    }
  });

  it('falls back to <0xNN> byte pieces in the SentencePiece-style families', () => {
    for (const family of ['llama2', 'gemma3'] as const) {
      const tok = tokenizerFromHfDocument(familyTokenizer(family, 512).files['tokenizer.json']);
      const ids = tok.encode('ü€', { addSpecialTokens: false });
      const tokens = ids.map((id) => tok.token(id));
      expect(tokens.filter((t) => t?.startsWith('<0x'))).toEqual(['<0xC3>', '<0xBC>', '<0xE2>', '<0x82>', '<0xAC>']);
      expect(tok.decode(ids)).toBe('ü€');
    }
  });
});
