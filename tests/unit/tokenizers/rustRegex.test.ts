// Llama 3 / Qwen pre-tokenisation and the Rust-regex translation. Expected pieces are what Hugging Face tokenizers
// 0.23 (Rust, Oniguruma) gives for the same pattern and text.
import { describe, expect, it } from 'vitest';
import { translateRustRegex } from '../../../main/trainer/tokenizers/hfJson';
import { parseNormalizer } from '../../../main/trainer/tokenizers/hfNormalizers';
import { parsePreTokenizer } from '../../../main/trainer/tokenizers/hfPreTokenizers';
import { LLAMA3_PATTERN, QWEN2_PATTERN } from '../../helpers/familyTokenizers';

const place = { file: 'tokenizer.json', path: 'pre_tokenizer' };
const split = (pattern: string, behavior = 'Isolated', invert = false) => {
  const pre = parsePreTokenizer({ type: 'Split', pattern: { Regex: pattern }, behavior, invert }, place);
  return (text: string) => pre(text, true);
};

describe('Llama 3 and Qwen split regexes', () => {
  const llama3 = split(LLAMA3_PATTERN);
  const qwen = split(QWEN2_PATTERN);
  const both = (text: string, pieces: string[]) => {
    expect(llama3(text)).toEqual(pieces);
    expect(qwen(text)).toEqual(pieces);
  };

  it('splits contractions in any case, as (?i:…) does', () => {
    both("I'm sure they'LL say it's HE'D've", ['I', "'m", ' sure', ' they', "'LL", ' say', ' it', "'s", ' HE', "'D", "'ve"]);
    both("IT'\u017fT", ['IT', "'\u017f", 'T']); // ſ folds to s in Rust's case-insensitive match
  });

  it('cuts numbers in threes for Llama 3 and into digits for Qwen', () => {
    const text = 'In 2024, 1234567 people paid $12,345.67';
    expect(llama3(text)).toEqual(['In', ' ', '202', '4', ',', ' ', '123', '456', '7', ' people', ' paid', ' $', '12', ',', '345', '.', '67']);
    expect(qwen(text)).toEqual(['In', ' ', '2', '0', '2', '4', ',', ' ', '1', '2', '3', '4', '5', '6', '7', ' people', ' paid', ' $', '1', '2', ',', '3', '4', '5', '.', '6', '7']);
  });

  it('keeps CRLF runs together, trailing spaces as one piece, and tabs apart', () => {
    both('line one\r\nline two\r\n\r\n  next', ['line', ' one', '\r\n', 'line', ' two', '\r\n\r\n', ' ', ' next']);
    both('trailing spaces   ', ['trailing', ' spaces', '   ']);
    both('a  b\t\tc \n', ['a', ' ', ' b', '\t', '\tc', ' \n']);
  });

  it('groups emoji with their leading space and CJK punctuation with the following letters', () => {
    both('I \u2764\ufe0f \u{1F999} \u{1F468}\u200d\u{1F469}\u200d\u{1F467}!', ['I', ' \u2764\ufe0f', ' \u{1F999}', ' \u{1F468}\u200d\u{1F469}\u200d\u{1F467}!']);
    both('你好，世界！日本語のテキスト', ['你好', '，世界', '！日本語のテキスト']);
  });

  it('treats U+0085 as whitespace and U+FEFF as not, like Unicode White_Space (JavaScript\'s \\s is the other way round)', () => {
    both('a\ufeff\ufeffb x\u0085\u00852', ['a', '\ufeff\ufeff', 'b', ' x', '\u0085', '\u0085', '2']);
  });
});

describe('Rust regex → JavaScript', () => {
  it('translates the escapes and groups real tokenizer.json files use', () => {
    expect(translateRustRegex("(?i:'s|'k)")).toBe("(?:'[sS\u017f]|'[kK\u212a])");
    expect(translateRustRegex('\\s+(?!\\S)')).toBe('\\p{White_Space}+(?!\\P{White_Space})');
    expect(translateRustRegex('[^\\s\\p{L}]\\d\\pN\\x{2581}\\A\\z\\\'')).toBe("[^\\p{White_Space}\\p{L}]\\p{Nd}\\p{N}\\u{2581}^$'");
    expect(new RegExp(translateRustRegex('\\w+'), 'u').exec('héllo_wörld ١٢')?.[0]).toBe('héllo_wörld');
  });

  it('refuses what it cannot express, and the tokenizer names the pattern', () => {
    expect(() => translateRustRegex('(?i)abc')).toThrow();
    expect(() => split('(?>a)b')('')).toThrow(/pre_tokenizer\.pattern uses syntax JavaScript cannot run/);
  });
});

describe('Split options and neighbouring components', () => {
  it('inverts: the text between matches is the delimiter', () => {
    expect(split('\\d+', 'Isolated', true)('a12b345c')).toEqual(['a', '12', 'b', '345', 'c']);
    expect(split('\\d+', 'Removed', true)('a12b345c')).toEqual(['12', '345']);
    expect(split('\\d+', 'MergedWithPrevious', true)('a12b345c')).toEqual(['a', '12b', '345c']);
    expect(split('\\d+', 'MergedWithNext', true)('a12b345c')).toEqual(['a12', 'b345', 'c']);
    expect(split('\\d+', 'Contiguous', true)('12ab34')).toEqual(['12', 'ab', '34']);
  });

  it('lets an empty match split where it is', () => {
    expect(split('x*')('abxxc')).toEqual(['a', 'b', 'xx', 'c']);
  });

  it('splits every Unicode number for Digits (individual_digits), ½ and Ⅻ included', () => {
    const digits = parsePreTokenizer({ type: 'Digits', individual_digits: true }, place);
    expect(digits('a12\u00bd\u216b3', true)).toEqual(['a', '1', '2', '\u00bd', '\u216b', '3']);
  });

  it('strips White_Space only (U+FEFF stays), and Metaspace gives nothing for nothing', () => {
    const strip = parseNormalizer({ type: 'Strip', strip_left: true, strip_right: true }, { file: 'tokenizer.json', path: 'normalizer' });
    expect(strip('\ufeff \u0085x\u0085 \ufeff')).toBe('\ufeff \u0085x\u0085 \ufeff');
    expect(strip(' \u0085x\u3000 ')).toBe('x');
    const metaspace = parsePreTokenizer({ type: 'Metaspace', replacement: '▁', prepend_scheme: 'first', split: false }, place);
    expect(metaspace('', true)).toEqual([]);
  });
});
