import { describe, expect, it } from 'vitest';
import { RECORD_BYTES, recordReader, type TapRecord } from './tap-records.ts';

function record(r: TapRecord): Buffer {
  const b = Buffer.alloc(RECORD_BYTES);
  b.writeUInt32LE(r.ssrc, 0);
  b.writeUInt32LE(r.timestamp, 4);
  b.writeUInt16LE(r.seq, 8);
  b[10] = r.payloadType;
  b.writeUInt32LE(r.socket, 12);
  b.writeDoubleLE(r.arrivalMs, 16);
  return b;
}

describe('recordReader', () => {
  it('reads records split anywhere across chunks', () => {
    const a = { ssrc: 0xdeadbeef, timestamp: 4_000_000_000, seq: 65535, payloadType: 101, socket: 7, arrivalMs: 1234.5 };
    const b = { ssrc: 1, timestamp: 2, seq: 3, payloadType: 100, socket: 0, arrivalMs: 0.25 };
    const stream = Buffer.concat([record(a), record(b)]);
    for (const cut of [1, 10, RECORD_BYTES, RECORD_BYTES + 5, stream.length - 1]) {
      const seen: TapRecord[] = [];
      const read = recordReader((r) => seen.push({ ...r }));
      read(stream.subarray(0, cut));
      read(stream.subarray(cut));
      expect(seen).toEqual([a, b]);
    }
  });
});
