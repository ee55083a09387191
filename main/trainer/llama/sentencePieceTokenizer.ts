// SentencePiece-style BPE with byte fallback, as stored in llama2.c's tokenizer.bin (e.g. tok512.bin): int32
// max_token_length, then per token: float32 score, int32 byte length, the piece's bytes. Ids 0 <unk>, 1 BOS, 2 EOS,
// 3–258 the byte fallbacks <0x00>…<0xFF>, then merged pieces. encode/decode follow run.c exactly.
import { readFileSync } from 'node:fs';

export const UNK_ID = 0;
export const BOS_ID = 1;
export const EOS_ID = 2;
const BYTE_FALLBACK_OFFSET = 3; // id of <0x00>

const BYTE_PIECE = /^<0x([0-9A-Fa-f]{2})>$/;

/** Bytes as a latin1 string: one char per byte, so UTF-8 pieces compare byte for byte like run.c's strcmp. */
function bytesKey(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

export class SentencePieceTokenizer {
  readonly bosId = BOS_ID;
  readonly eosId = EOS_ID;
  private readonly ids = new Map<string, number>();

  constructor(
    /** id → piece bytes */
    readonly pieces: readonly Uint8Array[],
    readonly scores: Float32Array,
    readonly maxTokenLength: number,
  ) {
    if (pieces.length !== scores.length) throw new Error(`${pieces.length} pieces but ${scores.length} scores.`);
    // First id wins for duplicate pieces, as run.c's sorted bsearch would find one of them.
    pieces.forEach((p, id) => {
      const key = bytesKey(p);
      if (!this.ids.has(key)) this.ids.set(key, id);
    });
  }

  get vocabSize(): number {
    return this.pieces.length;
  }

  /** Parses tokenizer.bin bytes for `vocabSize` tokens (llama2.c stores no count; it comes from the model). */
  static parse(bytes: Uint8Array, vocabSize: number, fileName = '<buffer>'): SentencePieceTokenizer {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const need = (at: number, n: number, what: string) => {
      if (at + n > bytes.byteLength) throw new Error(`${fileName}: truncated llama2.c tokenizer: ${what} at byte ${at} runs past the end (${bytes.byteLength} bytes).`);
    };
    need(0, 4, 'max_token_length');
    const maxTokenLength = view.getInt32(0, true);
    if (maxTokenLength <= 0 || maxTokenLength > 1 << 16) throw new Error(`${fileName}: not a llama2.c tokenizer (max_token_length ${maxTokenLength}).`);
    const pieces: Uint8Array[] = [];
    const scores = new Float32Array(vocabSize);
    let at = 4;
    for (let id = 0; id < vocabSize; id++) {
      need(at, 8, `token ${id}'s score and length`);
      scores[id] = view.getFloat32(at, true);
      const len = view.getInt32(at + 4, true);
      if (len < 0 || len > maxTokenLength) throw new Error(`${fileName}: token ${id} has length ${len} (max_token_length ${maxTokenLength}).`);
      at += 8;
      need(at, len, `token ${id}'s ${len} bytes`);
      pieces.push(bytes.slice(at, at + len));
      at += len;
    }
    return new SentencePieceTokenizer(pieces, scores, maxTokenLength);
  }

  static load(path: string, vocabSize: number): SentencePieceTokenizer {
    return SentencePieceTokenizer.parse(readFileSync(path), vocabSize, path);
  }

  /** The piece as text (UTF-8, lossy for lone bytes); for display. */
  piece(id: number): string {
    return new TextDecoder().decode(this.pieces[id]);
  }

  /**
   * run.c's encode: a dummy-prefix space when the text is non-empty, one token per UTF-8 code point (or its bytes as
   * <0xXX> fallbacks when the code point is not a piece), then repeatedly merge the adjacent pair whose concatenation
   * is the highest-scoring piece, until no pair merges.
   */
  encode(text: string, opts: { bos?: boolean; eos?: boolean } = {}): number[] {
    const bytes = new TextEncoder().encode(text);
    const tokens: number[] = [];
    if (opts.bos) tokens.push(BOS_ID);
    if (bytes.length > 0) {
      const space = this.ids.get(' ');
      if (space !== undefined) tokens.push(space);
    }
    // Group each lead byte with up to three following continuation bytes (10xxxxxx), like run.c.
    for (let i = 0; i < bytes.length; ) {
      let end = i + 1;
      while (end < bytes.length && (bytes[end] & 0xc0) === 0x80 && end - i < 4) end++;
      const id = this.ids.get(bytesKey(bytes.subarray(i, end)));
      if (id !== undefined) tokens.push(id);
      else for (let j = i; j < end; j++) tokens.push(bytes[j] + BYTE_FALLBACK_OFFSET);
      i = end;
    }
    const start = opts.bos ? 1 : 0;
    for (;;) {
      let bestScore = -1e10;
      let bestId = -1;
      let bestIdx = -1;
      for (let i = start; i < tokens.length - 1; i++) {
        const merged = this.ids.get(bytesKey(this.pieces[tokens[i]]) + bytesKey(this.pieces[tokens[i + 1]]));
        if (merged !== undefined && this.scores[merged] > bestScore) {
          bestScore = this.scores[merged];
          bestId = merged;
          bestIdx = i;
        }
      }
      if (bestIdx === -1) break;
      tokens.splice(bestIdx, 2, bestId);
    }
    if (opts.eos) tokens.push(EOS_ID);
    return tokens;
  }

  /**
   * How many bytes of encode's input `id` stands for: its piece's length (the dummy-prefix space included), 1 for a
   * <0xXX> byte fallback, 0 for BOS and EOS. Summed over encode(text) it gives each token's end offset in the bytes.
   */
  inputBytes(id: number): number {
    if (id === BOS_ID || id === EOS_ID) return 0;
    return BYTE_PIECE.test(bytesKey(this.pieces[id])) ? 1 : this.pieces[id].length;
  }

  /** The bytes run.c prints for `id` following `prevId`: leading space dropped after BOS, <0xXX> as its byte. */
  pieceBytes(prevId: number, id: number): Uint8Array {
    let piece = this.pieces[id];
    if (prevId === BOS_ID && piece[0] === 0x20) piece = piece.subarray(1);
    const byte = BYTE_PIECE.exec(bytesKey(piece));
    return byte ? Uint8Array.of(parseInt(byte[1], 16)) : piece;
  }

  /**
   * Token ids → text. BOS and EOS print nothing; the token right after a BOS loses its leading space (the dummy
   * prefix), as does the first token when `prevId` (default BOS) says the text starts a sequence.
   */
  decode(ids: readonly number[], prevId: number = BOS_ID): string {
    const out: number[] = [];
    let prev = prevId;
    for (const id of ids) {
      if (id < 0 || id >= this.pieces.length) throw new Error(`Token id ${id} is outside the vocabulary (${this.pieces.length}).`);
      if (id !== BOS_ID && id !== EOS_ID) for (const b of this.pieceBytes(prev, id)) out.push(b);
      prev = id;
    }
    return new TextDecoder().decode(Uint8Array.from(out));
  }
}
