/** The 24-byte records rtp-tap.c writes, one per RTP packet. */
export interface TapRecord {
  ssrc: number;
  timestamp: number;
  seq: number;
  payloadType: number;
  socket: number;
  arrivalMs: number;
}

export const RECORD_BYTES = 24;

/**
 * Splits the tap's output stream into records; a chunk may end inside a record, whose start is
 * kept for the next chunk. One reused object per call keeps a busy sink from allocating per packet.
 */
export function recordReader(onRecord: (r: Readonly<TapRecord>) => void): (chunk: Buffer) => void {
  let rest: Buffer = Buffer.alloc(0);
  const r: TapRecord = { ssrc: 0, timestamp: 0, seq: 0, payloadType: 0, socket: 0, arrivalMs: 0 };
  return (chunk) => {
    const buf = rest.length ? Buffer.concat([rest, chunk]) : chunk;
    const whole = buf.length - (buf.length % RECORD_BYTES);
    for (let o = 0; o < whole; o += RECORD_BYTES) {
      r.ssrc = buf.readUInt32LE(o);
      r.timestamp = buf.readUInt32LE(o + 4);
      r.seq = buf.readUInt16LE(o + 8);
      r.payloadType = buf[o + 10]!;
      r.socket = buf.readUInt32LE(o + 12);
      r.arrivalMs = buf.readDoubleLE(o + 16);
      onRecord(r);
    }
    rest = Buffer.from(buf.subarray(whole));
  };
}
