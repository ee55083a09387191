// The pieces of a SentencePiece tokenizer.model exactly as stored (ModelProto.pieces: piece, score, type), which
// llama.cpp's "llama" tokenizer takes as they are: convert_hf_to_gguf.py's _create_vocab_sentencepiece reads the
// same three fields through sentencepiece's IdToPiece / GetScore / IsUnknown-IsControl-IsUnused-IsByte. The
// trainer's reader (trainer/llama/sentencePieceModel.ts) rewrites pieces for run.c, so this one is separate.
import { readFileSync } from 'node:fs';
import { badInput } from '../../../common/result';

/** SentencePiece's ModelProto.SentencePiece.Type, numbered as GGUF's token types are. */
export const TOKEN_TYPE = { NORMAL: 1, UNKNOWN: 2, CONTROL: 3, USER_DEFINED: 4, UNUSED: 5, BYTE: 6 } as const;

export interface SentencePiece {
  piece: string;
  score: number;
  type: number;
}

class Reader {
  at = 0;
  constructor(
    readonly bytes: Uint8Array,
    readonly source: string,
  ) {}
  get done(): boolean {
    return this.at >= this.bytes.length;
  }
  varint(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      if (this.at >= this.bytes.length) throw badInput(`${this.source}: truncated protobuf.`);
      const b = this.bytes[this.at++];
      value += (b & 0x7f) * scale;
      if (!(b & 0x80)) return value;
      scale *= 128;
    }
  }
  take(n: number): Uint8Array {
    if (this.at + n > this.bytes.length) throw badInput(`${this.source}: truncated protobuf.`);
    const out = this.bytes.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.take(8);
    else if (wire === 2) this.take(this.varint());
    else if (wire === 5) this.take(4);
    else throw badInput(`${this.source}: not a SentencePiece model (protobuf wire type ${wire}).`);
  }
}

const decoder = new TextDecoder();

export function parseSentencePieces(bytes: Uint8Array, source = 'tokenizer.model'): SentencePiece[] {
  const r = new Reader(bytes, source);
  const pieces: SentencePiece[] = [];
  while (!r.done) {
    const key = r.varint();
    const field = Math.floor(key / 8);
    const wire = key & 7;
    if (field !== 1 || wire !== 2) {
      r.skip(wire);
      continue;
    }
    const p = new Reader(r.take(r.varint()), source);
    const piece: SentencePiece = { piece: '', score: 0, type: TOKEN_TYPE.NORMAL };
    while (!p.done) {
      const k = p.varint();
      const f = Math.floor(k / 8);
      const w = k & 7;
      if (f === 1 && w === 2) piece.piece = decoder.decode(p.take(p.varint()));
      else if (f === 2 && w === 5) {
        const b = p.take(4);
        piece.score = new DataView(b.buffer, b.byteOffset, 4).getFloat32(0, true);
      } else if (f === 3 && w === 0) piece.type = p.varint();
      else p.skip(w);
    }
    pieces.push(piece);
  }
  if (pieces.length < 3) throw badInput(`${source}: not a SentencePiece model (it has ${pieces.length} pieces).`);
  return pieces;
}

export const readSentencePieces = (path: string): SentencePiece[] => parseSentencePieces(readFileSync(path), path);
