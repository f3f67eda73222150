import { describe, expect, it } from 'vitest';
import { clientFrame, FrameReader, OPCODE, type FrameSink } from './ws-frames.ts';

function serverFrame(opcode: number, text: string): Buffer {
  const body = Buffer.from(text);
  const len = body.length;
  const head = len < 126 ? Buffer.from([0x80 | opcode, len]) : len < 65536 ? Buffer.from([0x80 | opcode, 126, len >> 8, len & 0xff]) : (() => {
    const h = Buffer.alloc(10);
    h[0] = 0x80 | opcode;
    h[1] = 127;
    h.writeBigUInt64BE(BigInt(len), 2);
    return h;
  })();
  return Buffer.concat([head, body]);
}

function collect() {
  const got: { opcode: number; text: string }[] = [];
  const events: string[] = [];
  const sink: FrameSink = {
    open: () => events.push('open'),
    frame: (opcode, buf, start, end) => got.push({ opcode, text: buf.toString('utf8', start, end) }),
    fail: (reason) => events.push(`fail: ${reason}`)
  };
  return { got, events, reader: new FrameReader(sink) };
}

const UPGRADED = Buffer.from('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n');

describe('bench ws frames', () => {
  it('reads the upgrade answer, then frames of every length class, split at any byte', () => {
    const texts = ['hi', 'x'.repeat(300), 'y'.repeat(70_000)];
    const stream = Buffer.concat([UPGRADED, ...texts.map((t) => serverFrame(OPCODE.text, t)), serverFrame(OPCODE.ping, 'p')]);
    for (const step of [17, 997, stream.length]) {
      const { got, events, reader } = collect();
      for (let i = 0; i < stream.length; i += step) reader.push(stream.subarray(i, i + step));
      expect(events).toEqual(['open']);
      expect(got.map((g) => [g.opcode, g.text.length])).toEqual([[1, 2], [1, 300], [1, 70_000], [9, 1]]);
    }
  });

  it('reports a refused upgrade and reads nothing after it', () => {
    const { got, events, reader } = collect();
    reader.push(Buffer.concat([Buffer.from('HTTP/1.1 403 Forbidden\r\n\r\n'), serverFrame(OPCODE.text, 'no')]));
    expect(events).toEqual(['fail: upgrade answered 403']);
    expect(got).toEqual([]);
  });

  it('masks client frames with a zero key, so the payload reads as sent', () => {
    for (const len of [5, 200, 70_000]) {
      const f = clientFrame(OPCODE.text, 'a'.repeat(len));
      expect(f[0]).toBe(0x81);
      expect(f[1]! & 0x80).toBe(0x80);
      const head = len < 126 ? 2 : len < 65536 ? 4 : 10;
      expect(f.readUInt32BE(head)).toBe(0);
      expect(f.subarray(head + 4).toString()).toBe('a'.repeat(len));
    }
  });
});
