import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tokenizerFromJson, trainBpe } from '../../../main/trainer/tokenizers';

const SHAKESPEARE = resolve(__dirname, '../../../../shared/data/corpora/tinyshakespeare/input.txt');
if (!existsSync(SHAKESPEARE)) console.warn(`trainBpe.test: ${SHAKESPEARE} not found; skipping the corpus test.`);

const CORPUS = [
  ...Array.from({ length: 40 }, (_, i) => `the cat sat on the mat number ${i}. the dog ate the bone.\n`),
  'Der Hund schläft. Le chien dort. 犬が寝ている。\n',
];

describe('trainBpe', () => {
  it('reaches the requested vocabulary size and is deterministic', () => {
    const a = trainBpe(CORPUS, { vocabSize: 300 });
    const b = trainBpe(CORPUS, { vocabSize: 300 });
    expect(a.kind).toBe('bpe');
    expect(a.vocabSize).toBe(300);
    expect(JSON.stringify(a.toJson())).toBe(JSON.stringify(b.toJson()));
  });

  it('makes frequent words single tokens', () => {
    const tok = trainBpe(CORPUS, { vocabSize: 300 });
    for (const word of ['the', ' the', ' cat', ' mat', ' bone']) expect(tok.encode(word)).toHaveLength(1);
    expect(tok.encode(' the cat sat on the mat').length).toBe(6);
  });

  it('round-trips any text, including characters never seen in training', () => {
    const tok = trainBpe(CORPUS, { vocabSize: 300 });
    for (const text of ['the cat sat', '  spaces\n\nnew lines\t', 'émoji 🦀 日本語 ½', '']) expect(tok.decode(tok.encode(text))).toBe(text);
  });

  it('stops early when every word is already one token', () => {
    const tok = trainBpe(['ab ab ab'], { vocabSize: 1000 });
    expect(tok.vocabSize).toBe(256 + 2); // "ab", then " ab" from "Ġ" + "ab"
    expect(tok.encode('ab ab')).toHaveLength(2);
  });

  it('gives special tokens the first ids and keeps them whole', () => {
    const tok = trainBpe(CORPUS, { vocabSize: 300, specials: ['<|endoftext|>', '<pad>'] });
    expect(tok.vocabSize).toBe(300);
    expect(tok.specials).toEqual({ bos: 0, eos: 0, pad: 1 });
    const ids = tok.encode('the cat<|endoftext|>the dog');
    expect(ids).toContain(0);
    expect(tok.decode(ids)).toBe('the catthe dog'); // special tokens decode to nothing
  });

  it('survives toJson and back as a tokenizer.json', () => {
    const tok = trainBpe(CORPUS, { vocabSize: 320, specials: ['<|endoftext|>'] });
    const json = JSON.parse(JSON.stringify(tok.toJson()));
    expect(json.model.type).toBe('BPE');
    expect(json.pre_tokenizer.type).toBe('ByteLevel');
    const again = tokenizerFromJson(json);
    const text = 'the cat sat on the mat number 41.<|endoftext|>Le chien dort 🦀';
    expect(again.encode(text)).toEqual(tok.encode(text));
    expect(again.vocabSize).toBe(320);
  });

  it('refuses a vocabulary smaller than the bytes plus the special tokens', () => {
    expect(() => trainBpe(CORPUS, { vocabSize: 257, specials: ['<a>', '<b>'] })).toThrow(/at least 256 bytes \+ 2 special tokens = 258/);
    expect(() => trainBpe(CORPUS, { vocabSize: 300, specials: ['x'] })).toThrow(/"x" would hide a byte token/);
  });

  it.skipIf(!existsSync(SHAKESPEARE))('learns Shakespeare words from 300 KB of tinyshakespeare', () => {
    const text = readFileSync(SHAKESPEARE, 'utf8').slice(0, 300_000);
    const tok = trainBpe(text.split('\n\n'), { vocabSize: 1000 });
    expect(tok.vocabSize).toBe(1000);
    for (const word of [' the', ' and', ' my', ' you', 'First', ' Citizen']) expect(tok.encode(word)).toHaveLength(1);
    const sample = text.slice(0, 5000);
    expect(tok.decode(tok.encode(sample))).toBe(sample);
    expect(tok.encode(sample).length).toBeLessThan(sample.length / 2.5); // ~3+ bytes per token at vocab 1000
  });
});
