import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensors, readSafetensors, writeSafetensors } from '../../../main/trainer/safetensors';

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
    expect(() => decodeSafetensors(bytes.subarray(0, 20), 'x.safetensors')).toThrow(/x.safetensors: header length/);
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
});
