import { afterAll, describe, expect, it } from 'vitest';
import type { types } from 'mediasoup';
import { WorkerPool } from '../../../server/sfu/worker-pool.ts';
import { mediaCodecs } from '../../../server/sfu/media-codecs.ts';
import { spreadShow } from './show-workers.ts';
import { addViewer } from './viewers.ts';

const codec = (mimeType: string, payloadType: number) => {
  const c = mediaCodecs.find((m) => m.mimeType === mimeType)!;
  return { mimeType, payloadType, clockRate: c.clockRate, channels: c.channels, parameters: c.parameters };
};

describe('spreadShow, with the product’s show routers and seats', () => {
  let pool: WorkerPool | undefined;
  afterAll(() => pool?.close());

  it("pipes the source's producers to every other worker and fills the workers evenly", async () => {
    pool = await WorkerPool.create(2);
    const origin = await pool.workers[0]!.createRouter({ mediaCodecs });
    const transport = await origin.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: true, comedia: true });
    const video = await transport.produce({ kind: 'video', rtpParameters: { codecs: [codec('video/H264', 102)], encodings: [{ ssrc: 1 }, { ssrc: 2 }, { ssrc: 3 }] } });
    const audio = await transport.produce({ kind: 'audio', rtpParameters: { codecs: [codec('audio/opus', 101)], encodings: [{ ssrc: 4 }] } });

    const show = spreadShow(pool, origin, [video, audio]);
    const placed: types.Worker[] = [];
    for (let i = 0; i < 5; i++) {
      const p = await show.place();
      placed.push(p.worker);
      expect(p.router === origin).toBe(p.worker === pool.workers[0]);
      // Consuming by the source's ids on the second worker's router works only if the producers reached it.
      await addViewer(p.router, { video, audio }, 9, i);
    }
    const on = (w: types.Worker) => placed.filter((x) => x === w).length;
    expect([on(pool.workers[0]!), on(pool.workers[1]!)]).toEqual([3, 2]);
  });
});
