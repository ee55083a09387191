import { describe, expect, it } from 'vitest';
import { CharTokenizer, PAD, UNK } from '../../../main/trainer/tokenizer';

describe('CharTokenizer', () => {
  it('builds a sorted character vocabulary after <pad> and <unk>', () => {
    const tok = CharTokenizer.fromTexts(['hello', 'world']);
    expect(tok.vocab).toEqual([PAD, UNK, 'd', 'e', 'h', 'l', 'o', 'r', 'w']);
    expect(tok.size).toBe(9);
  });

  it('round-trips text made of known characters, including non-BMP ones', () => {
    const text = 'To be, or not to be 🎭\nthat is the question';
    const tok = CharTokenizer.fromTexts([text]);
    const ids = tok.encode(text);
    expect(ids.length).toBe(Array.from(text).length);
    expect(tok.decode(ids)).toBe(text);
  });

  it('maps unseen characters to <unk> and skips <pad> when decoding', () => {
    const tok = CharTokenizer.fromTexts(['abc']);
    const ids = tok.encode('abz');
    expect(ids[2]).toBe(tok.unkId);
    expect(tok.decode([tok.padId, ...ids, tok.padId])).toBe('ab\uFFFD');
  });

  it('survives a JSON round trip', () => {
    const tok = CharTokenizer.fromTexts(['the quick brown fox']);
    const again = CharTokenizer.fromJson(JSON.parse(JSON.stringify(tok.toJson())));
    expect(again.vocab).toEqual(tok.vocab);
    expect(Array.from(again.encode('fox'))).toEqual(Array.from(tok.encode('fox')));
    expect(() => CharTokenizer.fromJson({ type: 'char', vocab: ['a', 'b'] })).toThrow(/<pad>/);
  });
});
