import { describe, expect, it } from 'vitest';
import { BoxReader, concat, Mp4Error } from './boxes.ts';
import { Fmp4Parser, isSyncSample } from './fmp4.ts';

function box(type: string, payload: Uint8Array, largesize = false): Uint8Array {
  const header = largesize ? 16 : 8;
  const out = new Uint8Array(header + payload.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, largesize ? 1 : out.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  if (largesize) view.setBigUint64(8, BigInt(out.length));
  out.set(payload, header);
  return out;
}

describe('box reader', () => {
  it('reassembles boxes split at every byte, including 64-bit sizes', () => {
    const stream = concat([
      box('free', new Uint8Array([1, 2, 3])),
      box('mdat', new Uint8Array(40).fill(7), true),
      box('skip', new Uint8Array(0))
    ]);
    const reader = new BoxReader();
    const boxes = [...stream].flatMap((b) => reader.push(new Uint8Array([b])));
    expect(boxes.map((b) => [b.type, b.bytes.length, b.headerSize])).toEqual([
      ['free', 11, 8],
      ['mdat', 56, 16],
      ['skip', 8, 8]
    ]);
    expect(boxes[1]!.bytes.subarray(16).every((b) => b === 7)).toBe(true);
    expect(reader.pending).toBe(0);
  });

  it('rejects sizes a live stream cannot have', () => {
    const zero = new Uint8Array([0, 0, 0, 0, 0x6d, 0x64, 0x61, 0x74]);
    expect(() => new BoxReader().push(zero)).toThrow(Mp4Error);
    expect(() => new Fmp4Parser().push(box('mdat', new Uint8Array(4)))).toThrow(/not fragmented/);
  });

  it('reads sample flags as ISO 14496-12 defines them', () => {
    expect(isSyncSample(0x02000000)).toBe(true); // depends on nothing
    expect(isSyncSample(0x01010000)).toBe(false); // depends on others, non-sync
    expect(isSyncSample(0x00010000)).toBe(false); // only the non-sync bit
    expect(isSyncSample(0)).toBe(true);
  });
});
