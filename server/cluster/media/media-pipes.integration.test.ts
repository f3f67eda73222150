import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../app.ts';
import { TestPatternSource } from '../../demo/test-pattern-source.ts';
import { isPiped } from '../../rooms/show-routers.ts';
import { adminSession, liveShow } from '../../testing/http.ts';
import { startScratchRedis, type ScratchRedis } from '../../testing/redis.ts';
import { testConfig } from '../../testing/test-config.ts';
import { TestWsClient } from '../../testing/ws-client.ts';

/**
 * A show published on node A watched on node B: B pipes A's producers in over SRTP, follows A's changes,
 * serves A's LL-HLS, and lets the pipe go after its last viewer. The nodes share one Redis and one
 * SQLite file in WAL mode.
 */
describe('one show’s media on two nodes', () => {
  let redis: ScratchRedis;
  let dir: string;
  let a: RunningApp;
  let b: RunningApp;
  let showId: string;
  let source: TestPatternSource;
  const clients: TestWsClient[] = [];

  beforeAll(async () => {
    redis = await startScratchRedis();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hawker-media-pipes-'));
    const config = testConfig({ REDIS_URL: redis.url, DATABASE_PATH: path.join(dir, 'hawker.db'), HLS_DIR: path.join(dir, 'hls') });
    a = await startApp(config, { webHandler: false });
    b = await startApp(config, { webHandler: false });
    showId = (await liveShow(a.url, await adminSession(a.url), 'Piped show')).id;
    source = await TestPatternSource.attach(await a.rooms.get(showId), 'ffmpeg');
  }, 60_000);
  afterAll(async () => {
    for (const c of clients) c.close();
    await source?.stop();
    await a?.close();
    await b?.close();
    await redis?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const viewerOn = async (node: RunningApp) => {
    const c = await TestWsClient.connect(`${node.url.replace('http', 'ws')}/ws`);
    clients.push(c);
    const joined = await c.request('join', { showId, role: 'viewer' });
    await c.request('createTransport', { direction: 'recv' });
    return { c, joined };
  };
  const roomOn = async (node: RunningApp) => (await node.rooms.find(showId))!;
  const videoPackets = async (node: RunningApp) => {
    const video = [...(await roomOn(node)).producers()].find((p) => p.kind === 'video' && !p.closed);
    return video ? ((await video.getStats())[0]?.packetCount ?? 0) : 0;
  };

  it('pipes the origin’s producers in before a viewer’s join answers, with their ids, and they carry packets', async () => {
    const { c, joined } = await viewerOn(b);
    expect(joined.producerCount).toBe(2);
    const room = await roomOn(b);
    const local = [...(await roomOn(a)).localProducers()].map((p) => p.id).sort();
    expect([...room.producers()].map((p) => p.id).sort()).toEqual(local);
    expect([...room.producers()].every(isPiped)).toBe(true);
    const { consumers } = await c.request('consume', { rtpCapabilities: room.router.rtpCapabilities as never });
    expect(consumers.map((x) => x.kind).sort()).toEqual(['audio', 'video']);
    await expect.poll(() => videoPackets(b), { timeout: 10_000 }).toBeGreaterThan(50);
    // The origin encodes LL-HLS; B, holding only piped producers, does not.
    expect(b.hls.stream(showId)).toBeUndefined();
    // Operators see it (the metrics are the last app's started in this process: B's).
    const metrics = await (await fetch(`${b.url}/metrics`)).text();
    expect(metrics).toMatch(/hawker_media_pipes\{direction="in"\} 1/);
    expect(metrics).toMatch(/hawker_worker_viewers\{pid="\d+"\} 1/);
  });

  it('follows the origin: producers that end close on B, new ones reach B’s viewers', async () => {
    const { c } = await viewerOn(b);
    await c.request('consume', { rtpCapabilities: (await roomOn(b)).router.rtpCapabilities as never });
    await source.stop();
    await expect.poll(() => c.notifications.filter((n) => n.notification === 'consumerClosed').length, { timeout: 10_000 }).toBe(2);
    expect((await roomOn(b)).producerCount).toBe(0);

    source = await TestPatternSource.attach(await roomOn(a), 'ffmpeg');
    await expect.poll(() => c.notifications.filter((n) => n.notification === 'newProducer').length, { timeout: 10_000 }).toBe(2);
    const { consumers } = await c.request('consume', { rtpCapabilities: (await roomOn(b)).router.rtpCapabilities as never });
    expect(consumers.map((x) => x.producerId).sort()).toEqual([...(await roomOn(a)).localProducers()].map((p) => p.id).sort());
    await expect.poll(() => videoPackets(b), { timeout: 10_000 }).toBeGreaterThan(50);
  });

  it('serves the origin’s LL-HLS on B, cache headers and all', async () => {
    const master = await fetch(`${b.url}/hls/${showId}/master.m3u8`, { signal: AbortSignal.timeout(20_000) });
    expect(master.status).toBe(200);
    const text = await master.text();
    expect(text).toContain('#EXTM3U');
    const media = text.split('\n').find((l) => l.endsWith('.m3u8'))!;
    const viaB = await fetch(new URL(media, `${b.url}/hls/${showId}/`));
    const viaA = await fetch(new URL(media, `${a.url}/hls/${showId}/`));
    expect(viaB.status).toBe(200);
    expect(viaB.headers.get('cache-control')).toBe(viaA.headers.get('cache-control'));
    expect(await viaB.text()).toContain('#EXT-X-PART');
    // A show no node publishes is a plain 404, not a loop between nodes.
    expect((await fetch(`${b.url}/hls/no-such-show/master.m3u8`)).status).toBe(404);
  }, 30_000);

  it('sends players to the origin instead, where the deployment lets them reach it', async () => {
    const c = await startApp(testConfig({ REDIS_URL: redis.url, DATABASE_PATH: path.join(dir, 'hawker.db'), HLS_DIR: path.join(dir, 'hls'), HLS_REDIRECT_TO_ORIGIN: 'true' }), { webHandler: false });
    try {
      const res = await fetch(`${c.url}/hls/${showId}/master.m3u8?from=c`, { redirect: 'manual' });
      expect(res.status).toBe(307);
      expect(res.headers.get('location')).toBe(`${a.url}/hls/${showId}/master.m3u8?from=c`);
      expect(res.headers.get('cache-control')).toBe('no-store');
    } finally {
      await c.close();
    }
  }, 30_000);

  it('carries every simulcast layer, so each viewer on B gets the layer its viewport asks for', async () => {
    const roomA = await roomOn(a);
    const plain = await roomA.router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, comedia: true });
    const layered = await plain.produce({
      kind: 'video',
      rtpParameters: {
        codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90000 }],
        encodings: [{ ssrc: 1001 }, { ssrc: 1002 }, { ssrc: 1003 }]
      }
    });
    roomA.addProducer(layered);
    const { c } = await viewerOn(b);
    const { consumers } = await c.request('consume', { rtpCapabilities: (await roomOn(b)).router.rtpCapabilities as never });
    expect(consumers.map((x) => x.producerId)).toContain(layered.id);
    const peer = [...(await roomOn(b)).peers()].find((p) => [...p.consumers.values()].some((x) => x.producerId === layered.id))!;
    const consumer = [...peer.consumers.values()].find((x) => x.producerId === layered.id)!;
    expect(consumer.type).toBe('simulcast');
    const small = await c.request('setViewport', { width: 320, height: 180 });
    await expect.poll(() => consumer.preferredLayers?.spatialLayer).toBe(small.spatialLayer);
    const large = await c.request('setViewport', { width: 1280, height: 720 });
    expect(large.spatialLayer).toBeGreaterThan(small.spatialLayer);
    await expect.poll(() => consumer.preferredLayers?.spatialLayer).toBe(large.spatialLayer);
    plain.close();
    await expect.poll(() => consumer.closed).toBe(true);
  });

  it('keeps the pipe only while someone on B watches over WebRTC: LL-HLS viewers are served by the origin', async () => {
    const { c } = await viewerOn(b);
    expect(b.media!.pipes().in).toBe(1);
    // Every viewer on B now watches over LL-HLS (the earlier tests' viewers leave first).
    for (const other of clients.filter((x) => x !== c)) other.close();
    await c.request('reportMediaMode', { mode: 'hls' });
    await expect.poll(() => b.media!.pipes().in, { timeout: 10_000, interval: 250 }).toBe(0);
    await c.request('reportMediaMode', { mode: 'webrtc' });
    await expect.poll(() => b.media!.pipes().in, { timeout: 10_000, interval: 250 }).toBe(1);
    // The pipe counts once it opens; the origin's producers then come through it one after another.
    await expect.poll(async () => (await roomOn(b)).producerCount, { timeout: 10_000, interval: 250 }).toBe(2);
  }, 30_000);

  it('lets the pipe go a few seconds after B’s last viewer leaves', async () => {
    expect([a.media!.pipes().out, b.media!.pipes().in]).toEqual([1, 1]);
    for (const c of clients.splice(0)) c.close();
    await new Promise((r) => setTimeout(r, 3000));
    expect((await roomOn(b))?.producerCount).toBe(2);
    await expect.poll(async () => (await roomOn(b))?.producerCount ?? 0, { timeout: 15_000, interval: 500 }).toBe(0);
    expect(b.media!.pipes().in).toBe(0);
    // The origin closed its end too.
    await expect.poll(() => a.media!.pipes().out, { timeout: 5_000 }).toBe(0);
  }, 30_000);

  it('follows the show when its host moves to another node: B becomes the origin and A pipes from B', async () => {
    await source.stop();
    source = await TestPatternSource.attach(await b.rooms.get(showId), 'ffmpeg');
    const { c, joined } = await viewerOn(a);
    expect(joined.producerCount).toBe(2);
    expect([...(await roomOn(a)).producers()].every(isPiped)).toBe(true);
    const { consumers } = await c.request('consume', { rtpCapabilities: (await roomOn(a)).router.rtpCapabilities as never });
    expect(consumers.map((x) => x.producerId).sort()).toEqual([...(await roomOn(b)).localProducers()].map((p) => p.id).sort());
    await expect.poll(() => videoPackets(a), { timeout: 10_000 }).toBeGreaterThan(50);
  }, 30_000);
});
