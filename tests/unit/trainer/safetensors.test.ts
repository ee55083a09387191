import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { TunebenchError } from '../../../common/result';
import { decodeSafetensors, encodeSafetensors, readSafetensors, readSafetensorsHeader, writeSafetensors } from '../../../main/trainer/safetensors';

const dir = mkdtempSync(join(tmpdir(), 'tunebench-safetensors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('safetensors', () => {
  const tensors = [
    { name: 'wte.weight', shape: [3, 2], data: Float32Array.from([1, 2, 3, 4, 5, 6]) },
    { name: 'ln_f.bias', shape: [5], data: Float32Array.from([0.5, -1, 1e-8, 3.25, -0]) },
  ];

  it('round-trips float32 tensors and string metadata through a file', () => {
    const path = join(dir, 'a.safetensors');
    const bytes = writeSafetensors(path, tensors, { step: '150', config: '{"nLayer":2}' });
    expect(readFileSync(path).length).toBe(bytes);
    expect(readdirSync(dir)).toEqual(['a.safetensors']); // the temp file was renamed away
    const back = readSafetensors(path);
    expect(back.metadata).toEqual({ step: '150', config: '{"nLayer":2}' });
    expect(back.tensors.map((t) => t.name)).toEqual(['wte.weight', 'ln_f.bias']);
    expect(back.tensors[0].shape).toEqual([3, 2]);
    expect(Array.from(back.tensors[1].data)).toEqual(Array.from(tensors[1].data));
  });

  it('writes the layout the format specifies: u64 header length, 8-byte aligned JSON, offsets from the data start', () => {
    const bytes = Buffer.concat(encodeSafetensors(tensors, {}));
    const headerLength = Number(bytes.readBigUInt64LE(0));
    expect(headerLength % 8).toBe(0);
    const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8'));
    expect(header['wte.weight']).toEqual({ dtype: 'F32', shape: [3, 2], data_offsets: [0, 24] });
    expect(header['ln_f.bias'].data_offsets).toEqual([24, 44]);
    expect(bytes.length).toBe(8 + headerLength + 44);
    expect(bytes.readFloatLE(8 + headerLength + 24)).toBe(0.5);
  });

  it('rejects truncated files and other dtypes with a message naming the problem', () => {
    const bytes = Buffer.concat(encodeSafetensors(tensors, {}));
    expect(() => decodeSafetensors(bytes.subarray(0, 20), 'x.safetensors')).toThrow(/x.safetensors is not a valid safetensors file: its header length \d+ runs past the end of the file \(20 bytes\)/);
    const header = JSON.stringify({ t: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } });
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(header.length));
    expect(() => decodeSafetensors(Buffer.concat([len, Buffer.from(header), Buffer.alloc(8)]))).toThrow(/dtype I64/);
  });

  it('reads half-precision tensors (F16, BF16) as float32, as Hugging Face checkpoints often store them', () => {
    const file = (dtype: string, halves: number[]) => {
      const header = JSON.stringify({ t: { dtype, shape: [halves.length], data_offsets: [0, 2 * halves.length] } });
      const len = Buffer.alloc(8);
      len.writeBigUInt64LE(BigInt(header.length));
      const data = Buffer.alloc(2 * halves.length);
      halves.forEach((h, i) => data.writeUInt16LE(h, 2 * i));
      return Buffer.concat([len, Buffer.from(header), data]);
    };
    // F16: 1.0, -2.0, 0.5, 65504 (largest), 2^-24 (smallest subnormal)
    expect(Array.from(decodeSafetensors(file('F16', [0x3c00, 0xc000, 0x3800, 0x7bff, 0x0001])).tensors[0].data)).toEqual([1, -2, 0.5, 65504, 2 ** -24]);
    // BF16: the top 16 bits of float32 1.0 and -3.0
    expect(Array.from(decodeSafetensors(file('BF16', [0x3f80, 0xc040])).tensors[0].data)).toEqual([1, -3]);
  });

  it('refuses a shape that does not match the data', () => {
    expect(() => encodeSafetensors([{ name: 'x', shape: [2, 2], data: new Float32Array(3) }])).toThrow(/shape \[2,2\]/);
  });

  describe('refuses hostile files as bad input naming the file, reading the header or the whole file', () => {
    const withHeader = (header: string | Buffer, length?: bigint, data = Buffer.alloc(16)) => {
      const body = Buffer.isBuffer(header) ? header : Buffer.from(header);
      const len = Buffer.alloc(8);
      len.writeBigUInt64LE(length ?? BigInt(body.length));
      return Buffer.concat([len, body, data]);
    };
    const entry = (e: object) => JSON.stringify({ t: e });
    const cases: [string, Buffer, RegExp][] = [
      ['a header length of 2^62', withHeader('{}', 2n ** 62n), /header length 4611686018427387904 runs past the end of the file/],
      ['a header length of 2^64 - 1', withHeader('{}', 2n ** 64n - 1n), /header length 18446744073709551615 runs past/],
      ['fewer than 8 bytes', Buffer.from([1, 2, 3]), /has 3 bytes, under the 8/],
      ['an empty header', withHeader(''), /header is empty/],
      ['a header that is not JSON', withHeader('this is not json at all'), /header is not JSON/],
      ['a header that is not UTF-8', withHeader(Buffer.from([0x7b, 0xff, 0xfe, 0x7d])), /header is not JSON/],
      ['a JSON array', withHeader('[1,2,3]'), /header is not a JSON object/],
      ['JSON null', withHeader('null'), /header is not a JSON object/],
      ['a JSON number', withHeader('42'), /header is not a JSON object/],
      ['a tensor that is a string', withHeader(JSON.stringify({ t: 'x' })), /tensor "t" is not an object/],
      ['an unknown dtype', withHeader(entry({ dtype: 'F33', shape: [1], data_offsets: [0, 4] })), /dtype "F33"/],
      ['a missing dtype', withHeader(entry({ shape: [1], data_offsets: [0, 4] })), /dtype undefined/],
      ['a negative dimension', withHeader(entry({ dtype: 'F32', shape: [-1], data_offsets: [0, 4] })), /shape \[-1\]/],
      ['a fractional dimension', withHeader(entry({ dtype: 'F32', shape: [1.5], data_offsets: [0, 4] })), /shape \[1\.5\]/],
      ['a shape that is not a list', withHeader(entry({ dtype: 'F32', shape: 'big', data_offsets: [0, 4] })), /shape "big"/],
      ['offsets past the data', withHeader(entry({ dtype: 'F32', shape: [1024], data_offsets: [0, 4096] })), /ends at byte 4096 of the data, past its end \(16 bytes\)/],
      ['offsets of 2^62', withHeader(entry({ dtype: 'F32', shape: [1], data_offsets: [2 ** 62, 2 ** 62 + 4] })), /data_offsets/],
      ['reversed offsets', withHeader(entry({ dtype: 'F32', shape: [1], data_offsets: [8, 4] })), /begin ≤ end/],
      ['one offset', withHeader(entry({ dtype: 'F32', shape: [1], data_offsets: [4] })), /data_offsets \[4\]/],
      ['a size that does not match the shape', withHeader(entry({ dtype: 'F32', shape: [3], data_offsets: [0, 8] })), /shape \[3\] of F32 \(12 bytes\) but data_offsets \[0, 8\] \(8 bytes\)/],
      ['a huge shape', withHeader(entry({ dtype: 'F32', shape: [2 ** 40, 2 ** 40], data_offsets: [0, 4] })), /but data_offsets/],
      ['metadata that is not strings', withHeader(JSON.stringify({ __metadata__: { step: 3 } })), /__metadata__ is not an object of strings/],
    ];
    it.each(cases)('%s', (_what, bytes, message) => {
      const file = join(dir, 'hostile.safetensors');
      writeFileSync(file, bytes);
      for (const read of [() => readSafetensorsHeader(file), () => readSafetensors(file)]) {
        let error: unknown;
        try {
          read();
        } catch (err) {
          error = err;
        }
        expect(error).toBeInstanceOf(TunebenchError);
        expect((error as TunebenchError).kind).toBe('bad-input');
        expect((error as TunebenchError).message).toMatch(message);
        expect((error as TunebenchError).message.startsWith(file)).toBe(true);
      }
    });

    it('reads the header of a file whose tensors it cannot decode (I64), and refuses to decode them', () => {
      const file = join(dir, 'ints.safetensors');
      writeFileSync(file, withHeader(entry({ dtype: 'I64', shape: [2], data_offsets: [0, 16] })));
      expect(readSafetensorsHeader(file).tensors).toEqual([{ name: 't', dtype: 'I64', shape: [2] }]);
      expect(() => readSafetensors(file)).toThrow(/tensor t has dtype I64; F32, F16 and BF16 are supported/);
    });
  });
});
