import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTokenizer, tokenizerFromJson } from '../../../main/trainer/tokenizers';
import { tokenizerFromHfDocument } from '../../../main/trainer/tokenizers/hfTokenizerJson';
import { parsePreTokenizer } from '../../../main/trainer/tokenizers/hfPreTokenizers';

const special = (id: number, content: string) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });

/** GPT-2-style byte-level BPE over a 12-token vocabulary. */
const byteLevelDoc = () => ({
  version: '1.0',
  added_tokens: [special(11, '<|endoftext|>')],
  normalizer: null,
  pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
  post_processor: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true },
  decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
  model: {
    type: 'BPE',
    dropout: null,
    unk_token: null,
    vocab: { h: 0, e: 1, l: 2, o: 3, Ġ: 4, ll: 5, he: 6, hell: 7, hello: 8, Ġhello: 9, w: 10, '<|endoftext|>': 11 },
    merges: ['l l', 'h e', 'he ll', ['hell', 'o'], 'Ġ hello'], // both spellings of a merge rule
  },
});

/** Llama-style SentencePiece BPE: ▁ for spaces, byte fallback, <unk> fused. */
const sentencePieceDoc = (style: 'legacy' | 'metaspace') => ({
  version: '1.0',
  added_tokens: [special(0, '<unk>'), special(1, '<s>'), special(2, '</s>')],
  normalizer:
    style === 'legacy'
      ? { type: 'Sequence', normalizers: [{ type: 'Prepend', prepend: '▁' }, { type: 'Replace', pattern: { String: ' ' }, content: '▁' }] }
      : null,
  pre_tokenizer: style === 'metaspace' ? { type: 'Metaspace', replacement: '▁', prepend_scheme: 'first', split: true } : null,
  post_processor: {
    type: 'TemplateProcessing',
    single: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
    pair: [],
    special_tokens: { '<s>': { id: '<s>', ids: [1], tokens: ['<s>'] } },
  },
  decoder:
    style === 'legacy'
      ? { type: 'Sequence', decoders: [{ type: 'Replace', pattern: { String: '▁' }, content: ' ' }, { type: 'ByteFallback' }, { type: 'Fuse' }, { type: 'Strip', content: ' ', start: 1, stop: 0 }] }
      : { type: 'Sequence', decoders: [{ type: 'Metaspace', replacement: '▁', prepend_scheme: 'first', split: true }, { type: 'ByteFallback' }, { type: 'Fuse' }] },
  model: {
    type: 'BPE',
    dropout: null,
    unk_token: '<unk>',
    fuse_unk: true,
    byte_fallback: true,
    vocab: { '<unk>': 0, '<s>': 1, '</s>': 2, '<0xC3>': 3, '<0xA9>': 4, '▁': 5, a: 6, b: 7, '▁a': 8, ab: 9, '▁ab': 10 },
    merges: ['▁ a', 'a b', '▁a b'],
  },
});

/** BERT-style WordPiece. */
const wordPieceDoc = () => ({
  version: '1.0',
  added_tokens: [special(0, '[PAD]'), special(1, '[UNK]'), special(2, '[CLS]'), special(3, '[SEP]')],
  normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
  pre_tokenizer: { type: 'BertPreTokenizer' },
  post_processor: {
    type: 'TemplateProcessing',
    single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
    special_tokens: { '[CLS]': { id: '[CLS]', ids: [2], tokens: ['[CLS]'] }, '[SEP]': { id: '[SEP]', ids: [3], tokens: ['[SEP]'] } },
  },
  decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
  model: {
    type: 'WordPiece',
    unk_token: '[UNK]',
    continuing_subword_prefix: '##',
    max_input_chars_per_word: 9,
    vocab: { '[PAD]': 0, '[UNK]': 1, '[CLS]': 2, '[SEP]': 3, hello: 4, world: 5, un: 6, '##aff': 7, '##able': 8, '!': 9, cafe: 10, ',': 11, '##world': 12 },
  },
});

describe('tokenizer.json: byte-level BPE', () => {
  const tok = tokenizerFromHfDocument(byteLevelDoc());

  it('applies merges by rank within each pre-tokenised word', () => {
    expect(tok.kind).toBe('bpe');
    expect(tok.encode('hello hello')).toEqual([8, 9]); // "hello", "Ġhello"
    expect(tok.encode('ohell')).toEqual([3, 7]); // l+l, h+e, he+ll; "o" stays apart
    expect(tok.encode('hole')).toEqual([0, 3, 2, 1]); // no rule joins these
    expect(tok.encode('hex')).toEqual([6]); // "x" has no token and no unk: dropped, as Hugging Face does
  });

  it('matches added tokens before pre-tokenising and skips special ones when decoding', () => {
    expect(tok.encode('hello<|endoftext|> hello')).toEqual([8, 11, 9]);
    expect(tok.decode([8, 11, 9])).toBe('hello hello');
    expect(tok.specials).toEqual({ bos: 11, eos: 11 });
  });

  it('survives toJson and back, writing merges as "a b" strings every tokenizers version reads', () => {
    const json = JSON.parse(JSON.stringify(tok.toJson()));
    expect(json.model.merges).toEqual(['l l', 'h e', 'he ll', 'hell o', 'Ġ hello']);
    const again = tokenizerFromJson(json);
    expect(again.encode('hello<|endoftext|>ohell hole')).toEqual(tok.encode('hello<|endoftext|>ohell hole'));
  });
});

describe.each(['legacy', 'metaspace'] as const)('tokenizer.json: SentencePiece-style BPE (%s)', (style) => {
  const tok = tokenizerFromHfDocument(sentencePieceDoc(style));

  it('marks spaces with ▁, merges, and prepends <s>', () => {
    expect(tok.kind).toBe('sentencepiece');
    expect(tok.encode('ab ab')).toEqual([1, 10, 10]); // ▁ab ▁ab
    expect(tok.encode('ab ab', { addSpecialTokens: false })).toEqual([10, 10]);
    expect(tok.specials).toEqual({ unk: 0, bos: 1, eos: 2 });
  });

  it('falls back to bytes, and fuses unknown characters without byte tokens into one <unk>', () => {
    expect(tok.encode('é', { addSpecialTokens: false })).toEqual([5, 3, 4]); // ▁, then é's UTF-8 bytes C3 A9
    expect(tok.encode('cc', { addSpecialTokens: false })).toEqual([5, 0]);
  });

  it('decodes ▁ back to spaces and byte tokens back to characters', () => {
    expect(tok.decode([1, 10, 10])).toBe('ab ab');
    expect(tok.decode([5, 3, 4, 10])).toBe('é ab');
    expect(tok.decode([3])).toBe('\uFFFD'); // a lone lead byte
  });
});

describe('tokenizer.json: WordPiece (BERT)', () => {
  const tok = tokenizerFromHfDocument(wordPieceDoc());

  it('lowercases, splits punctuation and wraps in [CLS] … [SEP]', () => {
    expect(tok.kind).toBe('wordpiece');
    expect(tok.encode('Hello, World!')).toEqual([2, 4, 11, 5, 9, 3]);
    expect(tok.encode('Hello, World!', { addSpecialTokens: false })).toEqual([4, 11, 5, 9]);
    expect(tok.specials).toEqual({ pad: 0, unk: 1, cls: 2, sep: 3 });
  });

  it('splits words into ## pieces, strips accents, and gives [UNK] for unmatched or over-long words', () => {
    expect(tok.encode('unaffable')).toEqual([2, 6, 7, 8, 3]);
    expect(tok.encode('Café')).toEqual([2, 10, 3]);
    expect(tok.encode('unaffablex')).toEqual([2, 1, 3]); // "##x" is not a piece: the whole word is unknown
    expect(tok.encode('helloworld')).toEqual([2, 1, 3]); // 10 characters > max_input_chars_per_word 9
    expect(tok.encode('hello 你好')).toEqual([2, 4, 1, 1, 3]); // each CJK character is its own word
  });

  it('decodes by joining ## pieces and tidying spaces before punctuation', () => {
    expect(tok.decode([2, 4, 11, 5, 9, 3])).toBe('hello, world!');
    expect(tok.decode([6, 7, 8])).toBe('unaffable');
  });

  it('survives toJson and back, and loads from a file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tunebench-tok-')), 'tokenizer.json');
    writeFileSync(file, JSON.stringify(tok.toJson()));
    const again = loadTokenizer({ kind: 'hf', file });
    expect(again.encode('Hello, unaffable World!')).toEqual(tok.encode('Hello, unaffable World!'));
  });
});

describe('tokenizer.json: what is refused', () => {
  const withPart = (key: string, value: unknown) => ({ ...wordPieceDoc(), [key]: value });

  it('names the unsupported component', () => {
    expect(() => tokenizerFromHfDocument({ ...wordPieceDoc(), model: { type: 'Unigram', vocab: [] } }, 't5.json')).toThrow(
      't5.json: the model "Unigram" at model is not supported by Tunebench\'s tokenizer.',
    );
    expect(() => tokenizerFromHfDocument(withPart('normalizer', { type: 'Precompiled', precompiled_charsmap: '' }))).toThrow(/normalizer "Precompiled"/);
    expect(() => tokenizerFromHfDocument(withPart('pre_tokenizer', { type: 'CharDelimiterSplit', delimiter: '-' }))).toThrow(/pre-tokenizer "CharDelimiterSplit"/);
    expect(() => tokenizerFromHfDocument(withPart('decoder', { type: 'Sequence', decoders: [{ type: 'CTC' }] }))).toThrow(/decoder "CTC" at decoder\.decoders\[0\]/);
  });

  it('names a merge rule that uses a token outside the vocabulary', () => {
    const doc = byteLevelDoc();
    doc.model.merges.push('h z');
    expect(() => tokenizerFromHfDocument(doc)).toThrow(/merge rule 5 \("h z"\)/);
  });

  it('rejects documents that are not tokenizers, and missing files', () => {
    expect(() => tokenizerFromJson({ hello: 1 })).toThrow(/Not a tokenizer document/);
    expect(() => loadTokenizer({ kind: 'hf', file: '/nonexistent/tokenizer.json' })).toThrow(/no such tokenizer\.json/);
  });
});

describe('tokenizer.json: Split pre-tokenizer', () => {
  const place = { file: 'tokenizer.json', path: 'pre_tokenizer' };
  const split = (regex: string, behavior: string, text: string) =>
    parsePreTokenizer({ type: 'Split', pattern: { Regex: regex }, behavior, invert: false }, place)(text, true);

  it("runs Rust's case-insensitive groups (?i:…) as Llama 3's pattern uses them", () => {
    expect(split("(?i:'s|'ll)|\\p{L}+", 'Isolated', "IT'S y'all HE'LL")).toEqual(['IT', "'S", ' ', 'y', "'", 'all', ' ', 'HE', "'LL"]);
  });

  it('places the matches as each behaviour says', () => {
    expect(split('\\s+', 'Removed', 'a b  c')).toEqual(['a', 'b', 'c']);
    expect(split('-', 'MergedWithPrevious', 'a-b--c')).toEqual(['a-', 'b-', '-', 'c']);
    expect(split('-', 'MergedWithNext', 'a-b--c')).toEqual(['a', '-b', '-', '-c']);
    expect(split('-', 'Contiguous', 'a-b--c')).toEqual(['a', '-', 'b', '--', 'c']);
  });

  it('names a pattern JavaScript cannot run', () => {
    expect(() => split('(?<=a)b(?P<x>c)', 'Isolated', '')).toThrow(/pre_tokenizer\.pattern uses syntax JavaScript cannot run/);
  });
});
