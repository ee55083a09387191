import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTokenizer, tokenizerFromJson, type TextTokenizer } from '../../../main/trainer/tokenizers';
import { gpt2BpeFromFiles } from '../../../main/trainer/tokenizers/gpt2Bpe';

// tests/unit/tokenizers → repository root (/work/main) → its parent holds shared/
const DATA = resolve(__dirname, '../../../../shared/data');
const GPT2_DIR = resolve(DATA, 'tokenizers/gpt2-bpe');
const SHAKESPEARE = resolve(DATA, 'corpora/tinyshakespeare/input.txt');
const present = existsSync(resolve(GPT2_DIR, 'encoder.json')) && existsSync(resolve(GPT2_DIR, 'vocab.bpe'));
if (!present) console.warn(`gpt2Bpe.test: GPT-2 tokenizer files not found under ${GPT2_DIR}; skipping the GPT-2 tests.`);
if (!existsSync(SHAKESPEARE)) console.warn(`gpt2Bpe.test: ${SHAKESPEARE} not found; skipping the corpus tests.`);

const ROUND_TRIP_TEXTS = [
  'Hello world',
  '  two leading spaces, three   inside and trailing   ',
  'line one\nline two\n\n\nafter blank lines\r\nwindows line\ttab\t\tend',
  "Don't, we'll, I'm, you're, they've, he'd — 'quoted' \"double\"",
  'Numbers 1234567 3.14159 -42 1e10 ½ ٣',
  'émigré café naïve Ångström façade',
  'combining: e\u0301 a\u0308 and NBSP\u00a0here, soft\u00adhyphen',
  '日本語のテキスト、中文文本，한국어 텍스트',
  'עברית وعربي Ελληνικά русский',
  'emoji 👋🌍 family 👨‍👩‍👧 flags 🇫🇷 skin 👍🏽 and lone 🦀',
  '<html><body class="x">code() { return a[i] + b; }</body></html>',
  '',
  ' ',
  '\n',
];

describe.skipIf(!present)('GPT-2 byte-level BPE', () => {
  let gpt2: TextTokenizer;
  beforeAll(() => {
    gpt2 = loadTokenizer({ kind: 'gpt2-bpe', dir: GPT2_DIR });
  });

  it('encodes as OpenAI GPT-2 does', () => {
    expect(gpt2.vocabSize).toBe(50257);
    expect(gpt2.encode('Hello world')).toEqual([15496, 995]);
    expect(gpt2.encode(' the')).toEqual([262]);
    expect(gpt2.encode('')).toEqual([]);
    expect(gpt2.encode(' ')).toEqual([220]);
    expect(gpt2.encode('\t')).toEqual([197]);
    expect(gpt2.encode('This is some text')).toEqual([1212, 318, 617, 2420]);
    expect(gpt2.encode('indivisible')).toEqual([521, 452, 12843]);
    expect(gpt2.encode('hello 👋 world 🌍')).toEqual([31373, 50169, 233, 995, 12520, 234, 235]);
    expect(gpt2.encode('toString constructor hasOwnProperty valueOf')).toEqual([1462, 10100, 23772, 468, 23858, 21746, 1988, 5189]);
  });

  it('treats <|endoftext|> as its special id and leaves it out when decoding', () => {
    expect(gpt2.specials).toEqual({ bos: 50256, eos: 50256 });
    expect(gpt2.encode('end.<|endoftext|>Start')).toEqual([437, 13, 50256, 10434]);
    expect(gpt2.decode([437, 13, 50256, 10434])).toBe('end.Start');
  });

  it('decodes what it encodes, byte for byte, for varied text', () => {
    for (const text of ROUND_TRIP_TEXTS) expect(gpt2.decode(gpt2.encode(text))).toBe(text);
  });

  it('decodes a token that splits a character into its bytes as U+FFFD', () => {
    const [first] = gpt2.encode('🦀'); // the crab's 4 bytes take more than one token
    expect(gpt2.encode('🦀').length).toBeGreaterThan(1);
    expect(gpt2.decode([first])).toContain('\uFFFD');
  });

  it('writes a tokenizer.json that loads back to the same ids', () => {
    const paragraph = ROUND_TRIP_TEXTS.join('\n') + ' <|endoftext|> The end.';
    const again = tokenizerFromJson(JSON.parse(JSON.stringify(gpt2.toJson())));
    expect(again.kind).toBe('bpe');
    expect(again.vocabSize).toBe(50257);
    expect(again.encode(paragraph)).toEqual(gpt2.encode(paragraph));
    expect(again.decode(gpt2.encode(paragraph))).toBe(gpt2.decode(gpt2.encode(paragraph)));
  });

  it('refuses a merges file with a malformed line, naming the line', () => {
    expect(() => gpt2BpeFromFiles('{"a":0,"b":1,"ab":2}', '#version: 0.2\na b\na b c\n')).toThrow(/vocab\.bpe:3:/);
  });

  describe.skipIf(!existsSync(SHAKESPEARE))('on tinyshakespeare', () => {
    it('round-trips the first 300 lines line by line', () => {
      const lines = readFileSync(SHAKESPEARE, 'utf8').split('\n').slice(0, 300);
      for (const line of lines) expect(gpt2.decode(gpt2.encode(line))).toBe(line);
    });

    it("gives the whole corpus the 338,025 tokens nanoGPT reports (301,966 train + 36,059 val)", () => {
      const text = readFileSync(SHAKESPEARE, 'utf8');
      const ids = gpt2.encode(text);
      expect(ids.length).toBe(338_025);
      expect(gpt2.decode(ids)).toBe(text);
    });
  });
});

describe('loadTokenizer for GPT-2', () => {
  it('names the missing file', () => {
    expect(() => loadTokenizer({ kind: 'gpt2-bpe', dir: '/nonexistent/gpt2' })).toThrow(/\/nonexistent\/gpt2\/encoder\.json.*not found/);
  });
});
