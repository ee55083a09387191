// Reading a SentencePiece tokenizer.model (the ModelProto protobuf that Hugging Face Llama folders carry) into the
// same tokenizer as llama2.c's tokenizer.bin: pieces with '▁' as a space, BOS/EOS as llama2.c writes them
// ("\n<s>\n", "\n</s>\n"), byte pieces kept as <0xXX>. Only the fields needed are read: ModelProto.pieces (1), each
// SentencePiece's piece (1), score (2) and type (3); everything else is skipped by wire type.
import { readFileSync } from 'node:fs';
import { badInput } from '../../../common/result';
import { BOS_ID, EOS_ID, SentencePieceTokenizer } from './sentencePieceTokenizer';

interface Piece {
  piece: string;
  score: number;
}

class ProtoReader {
  private at = 0;
  constructor(
    private readonly bytes: Uint8Array,
    private readonly source: string,
  ) {}

  get done(): boolean {
    return this.at >= this.bytes.length;
  }

  varint(): number {
    let value = 0;
    let shift = 0;
    for (;;) {
      if (this.at >= this.bytes.length) throw badInput(`${this.source}: truncated protobuf (a varint runs past the end).`);
      const b = this.bytes[this.at++];
      value += (b & 0x7f) * 2 ** shift;
      if (!(b & 0x80)) return value;
      shift += 7;
    }
  }

  take(n: number): Uint8Array {
    if (this.at + n > this.bytes.length) throw badInput(`${this.source}: truncated protobuf (a field of ${n} bytes runs past the end).`);
    const out = this.bytes.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }

  /** Next field as [number, wire type]; the value is read by the caller or skipped. */
  tag(): [number, number] {
    const key = this.varint();
    return [Math.floor(key / 8), key & 7];
  }

  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.take(8);
    else if (wire === 2) this.take(this.varint());
    else if (wire === 5) this.take(4);
    else throw badInput(`${this.source}: not a SentencePiece model (protobuf wire type ${wire}).`);
  }
}

function readPiece(bytes: Uint8Array, source: string): Piece {
  const r = new ProtoReader(bytes, source);
  const out: Piece = { piece: '', score: 0 };
  while (!r.done) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === 2) out.piece = new TextDecoder().decode(r.take(r.varint()));
    else if (field === 2 && wire === 5) {
      const b = r.take(4);
      out.score = new DataView(b.buffer, b.byteOffset, 4).getFloat32(0, true);
    }
    else r.skip(wire);
  }
  return out;
}

export function parseSentencePieceModel(bytes: Uint8Array, source = 'tokenizer.model'): SentencePieceTokenizer {
  const r = new ProtoReader(bytes, source);
  const pieces: Piece[] = [];
  while (!r.done) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === 2) pieces.push(readPiece(r.take(r.varint()), source));
    else r.skip(wire);
  }
  if (pieces.length < 3) throw badInput(`${source}: not a SentencePiece model (it has ${pieces.length} pieces).`);
  const encoder = new TextEncoder();
  const asBytes = pieces.map(({ piece }, id) => encoder.encode(id === BOS_ID ? '\n<s>\n' : id === EOS_ID ? '\n</s>\n' : piece.replaceAll('\u2581', ' ')));
  const maxTokenLength = asBytes.reduce((n, p) => Math.max(n, p.length), 0);
  return new SentencePieceTokenizer(asBytes, Float32Array.from(pieces, (p) => p.score), maxTokenLength);
}

export const loadSentencePieceModel = (path: string): SentencePieceTokenizer => parseSentencePieceModel(readFileSync(path), path);
