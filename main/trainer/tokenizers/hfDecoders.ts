// tokenizer.json `decoder`s: token strings → text. Each works on the token list and hands a list on, as Hugging Face's
// decode_chain does; the result is joined. Supported: ByteLevel, Metaspace, WordPiece, ByteFallback, Fuse, Strip,
// Replace, BPEDecoder, Sequence.
import { fromByteLevel } from './byteLevel';
import { metaspace } from './hfPreTokenizers';
import { asObject, at, componentType, readArray, readBool, readNumber, readPattern, readString, unsupported, type JsonPlace } from './hfJson';

export type DecodeChain = (tokens: string[]) => string[];

const BYTE_TOKEN = /^<0x([0-9A-Fa-f]{2})>$/;
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Runs of <0xXX> tokens become their UTF-8 text; an invalid run becomes one U+FFFD per byte, as Hugging Face does. */
function byteFallback(tokens: string[]): string[] {
  const out: string[] = [];
  let bytes: number[] = [];
  const flush = () => {
    if (bytes.length === 0) return;
    try {
      out.push(utf8.decode(Uint8Array.from(bytes)));
    } catch {
      out.push('\uFFFD'.repeat(bytes.length));
    }
    bytes = [];
  };
  for (const token of tokens) {
    const m = BYTE_TOKEN.exec(token);
    if (m) bytes.push(parseInt(m[1], 16));
    else {
      flush();
      out.push(token);
    }
  }
  flush();
  return out;
}

/** BERT's clean_up_tokenization: no space before punctuation and English contractions. */
function cleanup(s: string): string {
  return s
    .replaceAll(' .', '.')
    .replaceAll(' ?', '?')
    .replaceAll(' !', '!')
    .replaceAll(' ,', ',')
    .replaceAll(" ' ", "'")
    .replaceAll(" n't", "n't")
    .replaceAll(" 'm", "'m")
    .replaceAll(' do not', " don't")
    .replaceAll(" 's", "'s")
    .replaceAll(" 've", "'ve")
    .replaceAll(" 're", "'re");
}

export function parseDecoder(json: unknown, place: JsonPlace): DecodeChain {
  const type = componentType(json, place);
  const obj = asObject(json, place);
  switch (type) {
    case 'ByteLevel':
      return (tokens) => [fromByteLevel(tokens)];
    case 'Metaspace': {
      const { replacement, prepend } = metaspace(obj, place);
      return (tokens) =>
        tokens.map((t, i) => {
          const s = t.replaceAll(replacement, ' ');
          return i === 0 && prepend !== 'never' && s.startsWith(' ') ? s.slice(1) : s;
        });
    }
    case 'WordPiece': {
      const prefix = readString(obj, 'prefix', place, '##');
      const clean = readBool(obj, 'cleanup', true);
      return (tokens) =>
        tokens.map((t, i) => {
          const s = i === 0 ? t : t.startsWith(prefix) ? t.slice(prefix.length) : ' ' + t;
          return clean ? cleanup(s) : s;
        });
    }
    case 'ByteFallback':
      return byteFallback;
    case 'Fuse':
      return (tokens) => [tokens.join('')];
    case 'Strip': {
      const content = readString(obj, 'content', place, ' ');
      const start = readNumber(obj, 'start', place, 0);
      const stop = readNumber(obj, 'stop', place, 0);
      return (tokens) =>
        tokens.map((t) => {
          const chars = Array.from(t);
          let from = 0;
          while (from < start && chars[from] === content) from++;
          let to = chars.length;
          while (chars.length - to < stop && to > from && chars[to - 1] === content) to--;
          return chars.slice(from, to).join('');
        });
    }
    case 'Replace': {
      const pattern = readPattern(obj.pattern, at(place, 'pattern'));
      const content = readString(obj, 'content', place);
      return (tokens) => tokens.map((t) => t.replace(pattern, () => content));
    }
    case 'BPEDecoder': {
      const suffix = readString(obj, 'suffix', place, '</w>');
      return (tokens) => tokens.map((t, i) => t.replaceAll(suffix, i === tokens.length - 1 ? '' : ' '));
    }
    case 'Sequence': {
      const steps = readArray(obj, 'decoders', place).map((d, i) => parseDecoder(d, at(at(place, 'decoders'), i)));
      return (tokens) => steps.reduce((acc, step) => step(acc), tokens);
    }
    default:
      throw unsupported(place, 'decoder', type);
  }
}
