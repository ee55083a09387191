import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CharTokenizer } from '../../../main/trainer/tokenizer';
import { loadTokenizer, tokenizerFromJson } from '../../../main/trainer/tokenizers';
import { CharTextTokenizer } from '../../../main/trainer/tokenizers/charAdapter';

const DATA = resolve(__dirname, '../../../../shared/data');
const TOK512 = resolve(DATA, 'models/stories260k/tok512.bin');
const STORIES = resolve(DATA, 'corpora/tinystories-subset/tinystories_valid_head.txt');
if (!existsSync(TOK512)) console.warn(`adapters.test: ${TOK512} not found; skipping the SentencePiece tests.`);
if (!existsSync(STORIES)) console.warn(`adapters.test: ${STORIES} not found; skipping the TinyStories comparison.`);

describe('CharTokenizer through TextTokenizer', () => {
  const json = CharTokenizer.fromTexts(['hello world']).toJson();
  const tok = loadTokenizer({ kind: 'char', json });

  it('encodes one id per character with <pad> and <unk> as specials', () => {
    expect(tok.kind).toBe('char');
    expect(tok.vocabSize).toBe(2 + 8);
    expect(tok.specials).toEqual({ pad: 0, unk: 1 });
    expect(tok.encode('hello')).toEqual([5, 4, 6, 6, 7]);
    expect(tok.decode(tok.encode('hello world'))).toBe('hello world');
    expect(tok.decode(tok.encode('hex'))).toBe('he\uFFFD');
  });

  it('round-trips through toJson', () => {
    const again = tokenizerFromJson(JSON.parse(JSON.stringify(tok.toJson())));
    expect(again.kind).toBe('char');
    expect(again.encode('world')).toEqual(tok.encode('world'));
  });

  it('writes a tokenizer.json with the same ids, <unk> for unseen characters and <pad> dropped', () => {
    const hf = tokenizerFromJson(JSON.parse(JSON.stringify(new CharTextTokenizer(CharTokenizer.fromJson(json)).toHfJson())));
    const text = 'hello <pad> wörld 🦀 '.repeat(5); // long enough for the heap merge path
    expect(hf.encode(text)).toEqual(tok.encode(text));
    expect(hf.decode([0, ...tok.encode('hex'), 0])).toBe('he\uFFFD');
    expect(hf.specials).toEqual({ pad: 0, unk: 1 });
  });
});

describe.skipIf(!existsSync(TOK512))('SentencePiece (tok512) through TextTokenizer', () => {
  // loaded in beforeAll: a skipped describe's body still runs while the tests are collected
  let tok: ReturnType<typeof loadTokenizer>;
  beforeAll(() => {
    tok = loadTokenizer({ kind: 'sentencepiece', file: TOK512, vocabSize: 512 });
  });

  it('encodes like run.c, without BOS, and decodes back', () => {
    expect(tok.kind).toBe('sentencepiece');
    expect(tok.vocabSize).toBe(512);
    expect(tok.specials).toEqual({ unk: 0, bos: 1, eos: 2 });
    const ids = tok.encode('Once upon a time, there was a little girl.');
    expect(ids[0]).not.toBe(1);
    expect(tok.decode(ids)).toBe('Once upon a time, there was a little girl.');
  });

  it('writes a tokenizer.json (BPE with byte fallback) that encodes and decodes the same', () => {
    const json = JSON.parse(JSON.stringify(tok.toJson()));
    expect(json.model).toMatchObject({ type: 'BPE', byte_fallback: true, unk_token: '<unk>' });
    const again = tokenizerFromJson(json);
    expect(again.kind).toBe('sentencepiece');
    expect(again.vocabSize).toBe(512);
    const texts = ['Hello  world\n héllo 😀 日本', ' leading space', 'Lily said, "Wow!" 123'];
    if (existsSync(STORIES)) texts.push(...readFileSync(STORIES, 'utf8').split('\n').slice(0, 200));
    for (const text of texts) {
      const ids = tok.encode(text);
      expect(again.encode(text)).toEqual(ids);
      expect(again.decode(ids)).toBe(tok.decode(ids));
    }
  });
});
