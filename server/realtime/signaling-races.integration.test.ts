import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../app.ts';
import { testConfig } from '../testing/test-config.ts';
import { TestWsClient } from '../testing/ws-client.ts';
import { RawWsClient } from '../testing/raw-ws.ts';
import { actorWithRole, type Actor } from '../testing/role-sessions.ts';
import type { Room } from '../rooms/room.ts';
import type { RequestData } from '#shared/protocol.ts';

type Reply = { id: number; ok: boolean; error?: { code: string } };
const replies = (messages: unknown[]) => messages.filter((m): m is Reply => typeof m === 'object' && m !== null && 'id' in m);

/** A server-side audio producer in the room, so viewers have something to consume. */
async function addAudioSource(room: Room): Promise<void> {
  const plain = await room.router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: true, comedia: true });
  const producer = await plain.produce({
    kind: 'audio',
    rtpParameters: { codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }], encodings: [{ ssrc: 1111 }] }
  });
  room.addProducer(producer);
}

describe('media signalling of one connection runs in order and leaves no ghosts', () => {
  let app: RunningApp;
  let wsUrl: string;
  let host: Actor;
  const newShow = async () =>
    (await fetch(`${app.url}/api/shows`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: host.cookie },
      body: JSON.stringify({ title: 'Race show', scheduledAt: Date.now() })
    }).then((r) => r.json())).show.id as string;

  beforeAll(async () => {
    app = await startApp(testConfig({ SFU_MAX_CONSUMERS_PER_WORKER: '1' }), { webHandler: false });
    wsUrl = `${app.url.replace('http', 'ws')}/ws`;
    host = await actorWithRole(app, 'host@races.test', 'host');
  });
  afterAll(async () => {
    await app.close();
  });

  it('counts one peer for many joins sent in one TCP write', async () => {
    const showId = await newShow();
    const c = await RawWsClient.connect(wsUrl);
    c.sendBatch([1, 2, 3, 4, 5].map((id) => ({ id, method: 'join', data: { showId, role: 'viewer' } })));
    await c.waitFor((m) => replies(m).length === 5);
    expect(replies(c.messages).every((r) => r.ok)).toBe(true);
    const room = await app.rooms.find(showId)!;
    expect(room.peerCount).toBe(1);
    c.destroy();
    await expect.poll(() => room.peerCount).toBe(0);
  });

  it('closes the peer of a socket that went away while its join was pending', async () => {
    const showId = await newShow();
    const worker = app.pool.workers[0]!;
    const c = await RawWsClient.connect(wsUrl);
    // A paused worker holds the room's creation, so the join is still pending when the socket closes.
    process.kill(worker.pid, 'SIGSTOP');
    try {
      c.sendBatch([{ id: 1, method: 'join', data: { showId, role: 'viewer' } }]);
      await new Promise((r) => setTimeout(r, 100));
      c.destroy();
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      process.kill(worker.pid, 'SIGCONT');
    }
    const room = await app.rooms.get(showId);
    await new Promise((r) => setTimeout(r, 100));
    expect(room.peerCount).toBe(0);
  });

  it('gives a peer one receive transport however many are asked for at once', async () => {
    const showId = await newShow();
    const c = await RawWsClient.connect(wsUrl);
    c.sendBatch([
      { id: 1, method: 'join', data: { showId, role: 'viewer' } },
      ...[2, 3, 4, 5].map((id) => ({ id, method: 'createTransport', data: { direction: 'recv' } }))
    ]);
    await c.waitFor((m) => replies(m).length === 5);
    const transports = replies(c.messages).filter((r) => r.id > 1);
    expect(transports.filter((r) => r.ok)).toHaveLength(1);
    expect(transports.filter((r) => !r.ok).map((r) => r.error?.code)).toEqual(['conflict', 'conflict', 'conflict']);
    const room = await app.rooms.find(showId)!;
    const peer = [...room.peers()][0]!;
    expect(peer.transports.size).toBe(1);
    c.destroy();
  });

  it('refuses WebRTC media to viewers beyond capacity but never the show’s host', async () => {
    const showId = await newShow();
    const room = await app.rooms.get(showId);
    await addAudioSource(room);
    const caps = JSON.parse(JSON.stringify(room.router.rtpCapabilities)) as RequestData<'consume'>['rtpCapabilities'];
    const [first, second, third] = await Promise.all([1, 2, 3].map(() => TestWsClient.connect(wsUrl)));
    for (const v of [first!, second!]) {
      await v.request('join', { showId, role: 'viewer' });
      await v.request('createTransport', { direction: 'recv' });
    }
    expect((await first!.request('consume', { rtpCapabilities: caps })).consumers).toHaveLength(1);
    // The worker now carries as many consumers as it may (1).
    expect(await second!.call('consume', { rtpCapabilities: caps })).toMatchObject({ ok: false, error: { code: 'at_capacity' } });
    expect(await third!.request('join', { showId, role: 'viewer' })).toMatchObject({ mediaMode: 'hls' });
    expect(await third!.call('createTransport', { direction: 'recv' })).toMatchObject({ ok: false, error: { code: 'at_capacity' } });

    const studio = await TestWsClient.connect(wsUrl, { cookie: host.cookie });
    await studio.request('join', { showId, role: 'host' });
    expect(await studio.call('createTransport', { direction: 'send' })).toMatchObject({ ok: true });
    for (const c of [first!, second!, third!, studio]) c.close();
  });
});
