// tokenizer.json `normalizer`s: text → text before pre-tokenisation. Supported: BertNormalizer, Lowercase, NFC, NFD,
// NFKC, NFKD, StripAccents, Strip, Prepend, Replace, ByteLevel, Sequence. Precompiled (SentencePiece's binary
// character map, used with Unigram models) is refused.
import { toByteLevel } from './byteLevel';
import { asObject, at, componentType, readArray, readBool, readPattern, readString, unsupported, type JsonPlace } from './hfJson';

export type Normalize = (text: string) => string;

/** Rust's char::is_whitespace (Unicode White_Space, all in the BMP); JavaScript's trim also strips U+FEFF. */
const WHITE_SPACE_CHAR = /\p{White_Space}/u;
const isWhiteSpace = (ch: string) => WHITE_SPACE_CHAR.test(ch);

const stripAccents = (s: string) => s.normalize('NFD').replace(/\p{Mn}/gu, '');

/** CJK Unified Ideographs and extensions, as BERT's _is_chinese_char lists them. */
const CJK = /[\u4E00-\u9FFF\u3400-\u4DBF\u{20000}-\u{2A6DF}\u{2A700}-\u{2B73F}\u{2B740}-\u{2B81F}\u{2B820}-\u{2CEAF}\uF900-\uFAFF\u{2F800}-\u{2FA1F}]/gu;

/** BERT's clean_text: drop NUL, U+FFFD and "other" characters (Cc Cf Co Cn, not \t \n \r); whitespace becomes ' '. */
function cleanText(s: string): string {
  return s.replace(/[\0\uFFFD]|(?![\t\n\r])[\p{Cc}\p{Cf}\p{Co}\p{Cn}]/gu, '').replace(/\p{White_Space}/gu, ' ');
}

function bertNormalizer(obj: Record<string, unknown>): Normalize {
  const clean = readBool(obj, 'clean_text', true);
  const chinese = readBool(obj, 'handle_chinese_chars', true);
  const lowercase = readBool(obj, 'lowercase', true);
  const strip = typeof obj.strip_accents === 'boolean' ? obj.strip_accents : lowercase; // null follows lowercase
  return (text) => {
    let s = clean ? cleanText(text) : text;
    if (chinese) s = s.replace(CJK, (c) => ` ${c} `);
    if (strip) s = stripAccents(s);
    return lowercase ? s.toLowerCase() : s;
  };
}

export function parseNormalizer(json: unknown, place: JsonPlace): Normalize {
  const type = componentType(json, place);
  const obj = asObject(json, place);
  switch (type) {
    case 'BertNormalizer':
      return bertNormalizer(obj);
    case 'Lowercase':
      return (s) => s.toLowerCase();
    case 'NFC':
    case 'NFD':
    case 'NFKC':
    case 'NFKD':
      return (s) => s.normalize(type);
    case 'StripAccents':
      return stripAccents;
    case 'Strip': {
      const left = readBool(obj, 'strip_left', true);
      const right = readBool(obj, 'strip_right', true);
      return (s) => {
        let from = 0;
        let to = s.length;
        if (left) while (from < to && isWhiteSpace(s[from])) from++;
        if (right) while (to > from && isWhiteSpace(s[to - 1])) to--;
        return s.slice(from, to);
      };
    }
    case 'Prepend': {
      const prefix = readString(obj, 'prepend', place);
      return (s) => (s.length > 0 ? prefix + s : s);
    }
    case 'Replace': {
      const pattern = readPattern(obj.pattern, at(place, 'pattern'));
      const content = readString(obj, 'content', place);
      return (s) => s.replace(pattern, () => content);
    }
    case 'ByteLevel':
      return toByteLevel;
    case 'Sequence': {
      const steps = readArray(obj, 'normalizers', place).map((n, i) => parseNormalizer(n, at(at(place, 'normalizers'), i)));
      return (s) => steps.reduce((acc, step) => step(acc), s);
    }
    default:
      throw unsupported(place, 'normalizer', type);
  }
}
