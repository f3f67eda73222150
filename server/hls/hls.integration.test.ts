import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { types } from 'mediasoup';
import { TestPatternSource } from '../demo/test-pattern-source.ts';
import { logger } from '../log.ts';
import { Room } from '../rooms/room.ts';
import { RoomRegistry } from '../rooms/room-registry.ts';
import { WorkerPool } from '../sfu/worker-pool.ts';
import { testConfig } from '../testing/test-config.ts';
import { hlsRouter } from './hls-router.ts';
import { HlsService } from './hls-service.ts';
import { DEFAULT_LADDER, DEFAULT_TIMING } from './encoder/ladder.ts';
import { LiveStream } from './encoder/live-stream.ts';
import { FFPROBE, requireFfmpeg } from '../testing/ffmpeg.ts';
import { parseMediaPlaylist, type ParsedPlaylist } from '../testing/hls-playlist-reader.ts';
import { serve } from '../testing/serve-router.ts';

const rtc = testConfig().mediasoup;

function probe(file: string): { codec_type: string; codec_name: string; width?: number; height?: number }[] {
  const out = execFileSync(FFPROBE, ['-v', 'error', '-show_entries', 'stream=codec_type,codec_name,width,height', '-of', 'json', file]);
  return (JSON.parse(out.toString()) as { streams: never[] }).streams;
}

function sourcesOf(room: Room): { video: types.Producer; audio: types.Producer | null } {
  const all = [...room.producers()];
  return { video: all.find((p) => p.kind === 'video')!, audio: all.find((p) => p.kind === 'audio') ?? null };
}

/** CPU seconds a process has used (user + system). */
function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

requireFfmpeg();

describe('LL-HLS from a live room', () => {
  let dir = '';
  let pool: WorkerPool;
  let room: Room;
  let source: TestPatternSource;
  let stream: LiveStream;
  let server: Awaited<ReturnType<typeof serve>>;
  let startedAt = 0;
  const firstPartAt: Record<string, number> = {};

  const url = (p: string) => server.base + p;
  const playlist = async (rendition: string, query = ''): Promise<ParsedPlaylist> => {
    const res = await fetch(url(`/hls/show-it/${stream.epoch}/${rendition}/index.m3u8${query}`));
    expect(res.status).toBe(200);
    return parseMediaPlaylist(await res.text());
  };
  const completeSegments = (name: string) => stream.rendition(name)!.playlist.listed().filter((s) => s.complete).length;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hawker-hls-it-'));
    pool = await WorkerPool.create(1);
    room = await Room.create({ showId: 'show-it', worker: pool.workers[0]!, rtc });
    source = await TestPatternSource.attach(room, 'ffmpeg');
    stream = await LiveStream.create({
      showId: 'show-it',
      ffmpegPath: 'ffmpeg',
      ladder: DEFAULT_LADDER,
      timing: DEFAULT_TIMING,
      recordingDir: path.join(dir, 'show-it'),
      stallMs: 3000,
      log: logger('hls-it')
    });
    for (const r of stream.renditions) {
      r.playlist.subscribe(() => (firstPartAt[r.rendition.name] ??= Date.now()));
    }
    server = await serve(hlsRouter({ stream: () => stream, recordingDir: (id) => path.join(dir, id) }));
    startedAt = Date.now();
    await stream.setSources(room.router, sourcesOf(room));
  });

  afterAll(async () => {
    await stream?.end();
    await source?.stop();
    room?.close('shutdown');
    await server?.close();
    pool?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('transcodes the room into a 720p and 360p H.264/AAC ladder of LL-HLS parts', { timeout: 60_000 }, async () => {
    await expect.poll(() => Math.min(completeSegments('720p'), completeSegments('360p')), { timeout: 40_000, interval: 200 }).toBeGreaterThanOrEqual(3);
    const cpu = cpuSeconds(stream.pid!);
    const cpuFrom = Date.now();

    const master = await (await fetch(url('/hls/show-it/master.m3u8'))).text();
    expect(master).toMatch(/CODECS="avc1\.[0-9a-f]{6},mp4a\.40\.2",RESOLUTION=1280x720/);
    expect(master).toMatch(/CODECS="avc1\.[0-9a-f]{6},mp4a\.40\.2",RESOLUTION=640x360/);

    const observed: string[] = [];
    for (const [name, width, height] of [['720p', 1280, 720], ['360p', 640, 360]] as const) {
      const p = await playlist(name);
      expect(p.partTarget).toBe(DEFAULT_TIMING.partSeconds); // never had to grow: no part overran
      const parts = p.segments.flatMap((s) => s.parts);
      expect(parts.length).toBeGreaterThan(5);
      for (const part of parts) expect(part.duration).toBeLessThanOrEqual(p.partTarget!);
      for (const s of p.segments) if (s.parts.length > 0) expect(s.parts[0]!.independent).toBe(true);
      const complete = p.segments.filter((s) => s.uri);
      for (const s of complete) expect(s.duration!).toBeLessThanOrEqual(p.targetDuration);
      observed.push(`${name}: parts ${[...new Set(parts.map((x) => x.duration))].join('/')} s, segments ${complete.map((s) => s.duration).join('/')} s`);

      const seg = complete.at(-1)!;
      const bytes = await Promise.all(
        [seg.map!, seg.uri!].map(async (f) => Buffer.from(await (await fetch(url(`/hls/show-it/${stream.epoch}/${name}/${f}`))).arrayBuffer()))
      );
      const file = path.join(dir, `${name}.mp4`);
      fs.writeFileSync(file, Buffer.concat(bytes));
      const streams = probe(file);
      expect(streams).toContainEqual(expect.objectContaining({ codec_type: 'video', codec_name: 'h264', width, height }));
      expect(streams).toContainEqual(expect.objectContaining({ codec_type: 'audio', codec_name: 'aac' }));
    }
    await new Promise((r) => setTimeout(r, 3000));
    const cpuShare = (cpuSeconds(stream.pid!) - cpu) / ((Date.now() - cpuFrom) / 1000);
    console.log(
      `[hls] first part after ${firstPartAt['720p']! - startedAt} ms; ffmpeg (2 renditions) ${(cpuShare * 100).toFixed(0)}% of a core; ${observed.join('; ')}`
    );
  });

  it('holds a blocking request for the next part and answers it when the part is written', async () => {
    const { lastMsn, lastPart } = stream.rendition('720p')!.playlist.liveState();
    const t0 = Date.now();
    const p = await playlist('720p', `?_HLS_msn=${lastMsn}&_HLS_part=${lastPart + 1}`);
    const heldMs = Date.now() - t0;
    const last = p.segments.at(-1)!;
    const newest = last.parts.length > 0 ? { msn: last.msn, part: last.parts.length - 1 } : { msn: last.msn + 1, part: -1 };
    expect(newest.msn > lastMsn || newest.part > lastPart).toBe(true);
    expect(heldMs).toBeLessThan(1000);
    expect(p.renditionReports[0]).toMatchObject({ URI: '../360p/index.m3u8' });
  });

  it('restarts a crashed or stalled FFmpeg, continuing the playlists after a discontinuity', { timeout: 60_000 }, async () => {
    for (const signal of ['SIGKILL', 'SIGSTOP'] as const) {
      const pid = stream.pid!;
      const restarts = stream.restarts;
      const before = stream.rendition('720p')!.playlist.liveState().nextPartSeq;
      const killedAt = Date.now();
      process.kill(pid, signal);
      await expect.poll(() => stream.restarts, { timeout: 15_000 }).toBe(restarts + 1);
      await expect.poll(() => stream.rendition('720p')!.playlist.liveState().nextPartSeq, { timeout: 15_000 }).toBeGreaterThan(before + 5);
      expect(stream.pid).not.toBe(pid);
      console.log(`[hls] ${signal}: parts flowing again ${Date.now() - killedAt} ms after`);
    }
    for (const name of ['720p', '360p']) {
      const p = await playlist(name);
      expect(p.segments.filter((s) => s.discontinuity).length, name).toBeGreaterThanOrEqual(1);
      const afterGap = p.segments.filter((s) => s.discontinuity).at(-1)!;
      expect(afterGap.parts[0]?.independent ?? true).toBe(true);
    }
  });
});

describe('HLS service', () => {
  it('starts when a room gets producers, follows a new host, and writes the VOD when the room closes', { timeout: 60_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hawker-hls-svc-'));
    const pool = await WorkerPool.create(1);
    const registry = new RoomRegistry({ pool, rtc });
    const hls = new HlsService({ registry, ffmpegPath: 'ffmpeg', dir, ladder: [DEFAULT_LADDER[1]!] });
    const server = await serve(hls.router());
    try {
      expect(hls.status('svc-show')).toEqual({ live: false, renditions: [], latencySeconds: null, vod: false });
      expect((await fetch(`${server.base}/hls/svc-show/master.m3u8`)).status).toBe(404);

      const room = await registry.get('svc-show');
      const source = await TestPatternSource.attach(room, 'ffmpeg');
      await expect.poll(() => hls.status('svc-show').live, { timeout: 20_000 }).toBe(true);
      expect(hls.status('svc-show')).toMatchObject({ renditions: [{ name: '360p', width: 640, height: 360 }], latencySeconds: 0.8 });
      await expect.poll(() => hls.stream('svc-show')!.rendition('360p')!.playlist.liveState().lastCompleteMsn, { timeout: 20_000 }).toBeGreaterThanOrEqual(0);
      const master = await fetch(`${server.base}/hls/svc-show/master.m3u8`);
      expect(master.status).toBe(200);

      // A new host takes over: the stream follows the newest producers after a discontinuity.
      const playlist = hls.stream('svc-show')!.rendition('360p')!.playlist;
      const takeover = await TestPatternSource.attach(room, 'ffmpeg');
      await source.stop();
      const before = playlist.liveState().nextPartSeq;
      await expect.poll(() => playlist.liveState().nextPartSeq, { timeout: 20_000 }).toBeGreaterThan(before + 5);
      expect(playlist.listed().some((s) => s.discontinuity)).toBe(true);

      room.close('ended');
      await takeover.stop();
      await expect.poll(() => hls.status('svc-show').vod, { timeout: 10_000 }).toBe(true);
      expect(hls.status('svc-show').live).toBe(false);
      const live = await fetch(`${server.base}/hls/svc-show/${hls.stream('svc-show')!.epoch}/360p/index.m3u8`);
      expect(await live.text()).toContain('#EXT-X-ENDLIST');
      const vod = await fetch(`${server.base}/hls/svc-show/vod/360p/vod.m3u8`);
      expect(parseMediaPlaylist(await vod.text()).segments.length).toBeGreaterThanOrEqual(1);
      expect((await fetch(`${server.base}/hls/svc-show/poster.jpg`)).status).toBe(200);
    } finally {
      await hls.close();
      await server.close();
      pool.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
