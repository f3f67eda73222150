import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logger } from '../log.ts';
import { hlsRouter } from './hls-router.ts';
import { DEFAULT_LADDER, DEFAULT_TIMING } from './encoder/ladder.ts';
import { LiveStream } from './encoder/live-stream.ts';
import { splitFmp4, videoFmp4 } from '../testing/ffmpeg.ts';
import { parseMediaPlaylist } from '../testing/hls-playlist-reader.ts';
import { serve } from '../testing/serve-router.ts';

/** Whether a promise has settled within `ms`. */
async function settledWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let done = false;
  void p.then(() => (done = true));
  await new Promise((r) => setTimeout(r, ms));
  return done;
}

describe('HLS HTTP routes', () => {
  let dir = '';
  // 0.5 s keyframe interval: fragments of 0.2, 0.2 and 0.1 s.
  const media = splitFmp4(videoFmp4(12));
  let stream: LiveStream;
  let server: Awaited<ReturnType<typeof serve>>;
  let fed = 0;
  let url: (p: string) => string;

  /** Delivers the next `n` fragments to every rendition, as FFmpeg's pipes would. */
  const feed = (n: number) => {
    for (const f of media.fragments.slice(fed, fed + n)) {
      for (const r of stream.renditions) r.playlist.addPart({ bytes: f.bytes, duration: f.duration, independent: f.independent });
    }
    fed += n;
  };
  const live = (r = '720p', query = '') => url(`/hls/show1/${stream.epoch}/${r}/index.m3u8${query}`);

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hawker-hls-router-'));
    stream = await LiveStream.create({
      showId: 'show1',
      ffmpegPath: 'ffmpeg',
      ladder: DEFAULT_LADDER,
      timing: DEFAULT_TIMING,
      recordingDir: path.join(dir, 'show1'),
      log: logger('test')
    });
    server = await serve(hlsRouter({ stream: (id) => (id === 'show1' ? stream : undefined), recordingDir: (id) => path.join(dir, id) }));
    url = (p) => server.base + p;
  });
  afterAll(async () => {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('holds the multivariant playlist while the stream starts, then lists every rendition', async () => {
    const pending = fetch(url('/hls/show1/master.m3u8'));
    expect(await settledWithin(pending, 200)).toBe(false);
    for (const r of stream.renditions) {
      r.tracks = media.init.tracks;
      r.playlist.setInit(media.init.bytes);
    }
    feed(24);
    const res = await pending;
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.apple.mpegurl');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const text = await res.text();
    expect(text).toContain(`\n${stream.epoch}/720p/index.m3u8\n`);
    expect(text).toContain(`\n${stream.epoch}/360p/index.m3u8\n`);
    expect(text).toMatch(/RESOLUTION=1280x720/);
    expect(text).toMatch(/CODECS="avc1\.[0-9a-f]{6}"/);
  });

  it('serves media playlists with sibling reports, and their media as immutable', async () => {
    const res = await fetch(live());
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const p = parseMediaPlaylist(await res.text());
    expect(p.partTarget).toBe(0.2);
    expect(p.serverControl).toMatchObject({ 'CAN-BLOCK-RELOAD': 'YES', 'PART-HOLD-BACK': '0.6' });
    expect(p.renditionReports).toEqual([{ URI: '../360p/index.m3u8', 'LAST-MSN': expect.any(String), 'LAST-PART': expect.any(String) }]);

    const seg = p.segments.find((s) => s.uri)!;
    const part = p.segments.at(-1)!.parts[0]!;
    for (const file of [seg.map!, seg.uri!, part.uri]) {
      const r = await fetch(url(`/hls/show1/${stream.epoch}/720p/${file}`));
      expect(r.status, file).toBe(200);
      expect(r.headers.get('content-type')).toBe('video/mp4');
      expect(r.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect((await r.arrayBuffer()).byteLength).toBeGreaterThan(0);
    }
  });

  it('holds a blocking reload until the part exists, and refuses requests far ahead', async () => {
    const { lastMsn, lastPart } = stream.renditions[0]!.playlist.liveState();
    const held = fetch(live('720p', `?_HLS_msn=${lastMsn}&_HLS_part=${lastPart + 1}`));
    expect(await settledWithin(held, 200)).toBe(false);
    feed(1);
    const res = await held;
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=2');
    const p = parseMediaPlaylist(await res.text());
    expect(p.segments.flatMap((s) => s.parts).length).toBeGreaterThan(0);
    expect(stream.renditions[0]!.playlist.liveState().nextPartSeq).toBe(Number(p.preloadHint!['URI']!.match(/\d+/)![0]));

    const now = stream.renditions[0]!.playlist.liveState();
    expect((await fetch(live('720p', `?_HLS_msn=${now.lastMsn + 3}`))).status).toBe(400);
    expect((await fetch(live('720p', `?_HLS_msn=${now.lastMsn}&_HLS_part=${now.lastPart + 30}`))).status).toBe(400);
    expect((await fetch(live('720p', '?_HLS_part=1'))).status).toBe(400);
    expect((await fetch(live('720p', '?_HLS_skip=YES'))).status).toBe(200);
  });

  it('holds the preload-hinted part until it is written', async () => {
    const hint = parseMediaPlaylist(await (await fetch(live('360p'))).text()).preloadHint!['URI']!;
    const held = fetch(url(`/hls/show1/${stream.epoch}/360p/${hint}`));
    expect(await settledWithin(held, 200)).toBe(false);
    feed(1);
    const res = await held;
    expect(res.status).toBe(200);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(media.fragments[fed - 1]!.bytes);
  });

  it('answers 404 for what does not exist, with CORS', async () => {
    const paths = [
      '/hls/nope/master.m3u8',
      '/hls/bad$id/master.m3u8',
      '/hls/show1/e0/720p/index.m3u8',
      `/hls/show1/${stream.epoch}/1080p/index.m3u8`,
      `/hls/show1/${stream.epoch}/720p/part-999999.m4s`,
      `/hls/show1/${stream.epoch}/720p/passwd`,
      '/hls/show1/vod/..%2F..%2Fetc/passwd',
      '/hls/show1/vod/720p/..%2F..%2Fx.m4s'
    ];
    for (const p of paths) {
      const res = await fetch(url(p));
      expect(res.status, p).toBe(404);
      expect(res.headers.get('access-control-allow-origin'), p).toBe('*');
    }
    const pre = await fetch(url('/hls/show1/master.m3u8'), { method: 'OPTIONS' });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-methods')).toBe('GET, HEAD');
  });

  it('ends with EXT-X-ENDLIST and serves the recording and its poster from disk', async () => {
    await stream.end();
    const ended = parseMediaPlaylist(await (await fetch(live())).text());
    expect(ended.endList).toBe(true);

    const master = await fetch(url('/hls/show1/vod/master.m3u8'));
    expect(master.status).toBe(200);
    expect(master.headers.get('content-type')).toBe('application/vnd.apple.mpegurl');
    expect(await master.text()).toContain('\n720p/vod.m3u8\n');
    const vod = parseMediaPlaylist(await (await fetch(url('/hls/show1/vod/720p/vod.m3u8'))).text());
    expect(vod.playlistType).toBe('VOD');
    expect(vod.endList).toBe(true);
    expect(vod.segments.length).toBeGreaterThanOrEqual(2);
    const seg = await fetch(url(`/hls/show1/vod/720p/${vod.segments[0]!.uri}`));
    expect(seg.status).toBe(200);
    expect(seg.headers.get('content-type')).toBe('video/mp4');
    expect(seg.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await fetch(url(`/hls/show1/vod/720p/${vod.segments[0]!.map}`))).status).toBe(200);

    const poster = await fetch(url('/hls/show1/poster.jpg'));
    expect(poster.status).toBe(200);
    expect(poster.headers.get('content-type')).toBe('image/jpeg');
    const jpeg = new Uint8Array(await poster.arrayBuffer());
    expect([jpeg[0], jpeg[1]]).toEqual([0xff, 0xd8]);
  });
});
