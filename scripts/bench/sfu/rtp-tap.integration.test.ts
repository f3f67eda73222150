import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { tapBinary } from './tap-binary.ts';
import { recordReader, type TapRecord } from './tap-records.ts';

function rtp(seq: number, ssrc: number, second = 0x80 | 100): Buffer {
  const b = Buffer.alloc(100);
  b[0] = 0x80;
  b[1] = second;
  b.writeUInt16BE(seq, 2);
  b.writeUInt32BE(seq * 3000, 4);
  b.writeUInt32BE(ssrc, 8);
  return b;
}

describe('rtp-tap', () => {
  const tap = spawn(tapBinary(), [], { stdio: ['pipe', 'pipe', 'inherit', 'pipe'] });
  const sender = dgram.createSocket('udp4');
  afterAll(() => {
    tap.stdin!.end();
    sender.close();
  });

  it('opens sockets and reports every RTP header with its socket and a kernel arrival time, skipping RTCP', async () => {
    const seen: TapRecord[] = [];
    tap.stdout!.on('data', recordReader((r) => seen.push({ ...r })));
    tap.stdin!.write('open 2\n');
    const [line] = (await once(tap.stdio[3] as Readable, 'data')) as [Buffer];
    const ports = line.toString().trim().split(' ').map(Number);
    expect(ports).toHaveLength(2);

    const before = Date.now();
    const send = (b: Buffer, port: number) => new Promise((r) => sender.send(b, port, '127.0.0.1', r));
    await send(rtp(1, 11), ports[0]!);
    await send(rtp(2, 22), ports[1]!);
    await send(rtp(0, 33, 200), ports[1]!); // a Sender Report
    await send(Buffer.from('not rtp'), ports[0]!);
    await send(rtp(3, 11), ports[0]!);
    await expect.poll(() => seen.length).toBe(3);

    expect(seen.map(({ ssrc, seq, timestamp, payloadType, socket }) => ({ ssrc, seq, timestamp, payloadType, socket }))).toEqual(
      expect.arrayContaining([
        { ssrc: 11, seq: 1, timestamp: 3000, payloadType: 100, socket: 0 },
        { ssrc: 22, seq: 2, timestamp: 6000, payloadType: 100, socket: 1 },
        { ssrc: 11, seq: 3, timestamp: 9000, payloadType: 100, socket: 0 }
      ])
    );
    for (const r of seen) expect(Math.abs(r.arrivalMs - before)).toBeLessThan(5000);
  });
});
