// A Hugging Face Llama folder's tokenizer.model (SentencePiece protobuf) reads into the same tokenizer as llama2.c's
// tokenizer.bin: stories260K ships both.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSentencePieceModel, parseSentencePieceModel } from '../../../main/trainer/llama/sentencePieceModel';
import { SentencePieceTokenizer } from '../../../main/trainer/llama/sentencePieceTokenizer';

// tests/unit/trainer → repository root → its parent holds shared/
const DIR = resolve(__dirname, '../../../../shared/data/models/stories260k');
const present = existsSync(`${DIR}/tok512.model`) && existsSync(`${DIR}/tok512.bin`);
if (!present) console.warn(`Skipping the tokenizer.model check: ${DIR} is absent.`);

describe('SentencePiece tokenizer.model', () => {
  it.skipIf(!present)('gives every piece and score of tok512.bin, and the same encodings', () => {
    const fromModel = loadSentencePieceModel(`${DIR}/tok512.model`);
    const fromBin = SentencePieceTokenizer.load(`${DIR}/tok512.bin`, 512);
    expect(fromModel.vocabSize).toBe(512);
    for (let id = 0; id < 512; id++) {
      expect(Buffer.from(fromModel.pieces[id]).equals(Buffer.from(fromBin.pieces[id]))).toBe(true);
      expect(fromModel.scores[id]).toBe(fromBin.scores[id]);
    }
    const text = 'Once upon a time, Lily saw a big red ball — ünïcödé too.';
    expect(fromModel.encode(text, { bos: true })).toEqual(fromBin.encode(text, { bos: true }));
  });

  it('refuses bytes that are not a SentencePiece model, in one sentence', () => {
    expect(() => parseSentencePieceModel(new Uint8Array([0x0a, 0x40, 1, 2]), 'x/tokenizer.model')).toThrow(/x\/tokenizer.model: truncated protobuf/);
  });
});
