import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaptionCue } from '#shared/captions.ts';
import { startApp, type RunningApp } from '../app.ts';
import { TestPatternSource } from '../demo/test-pattern-source.ts';
import { RoomRegistry } from '../rooms/room-registry.ts';
import { WorkerPool } from '../sfu/worker-pool.ts';
import { requireFfmpeg } from '../testing/ffmpeg.ts';
import { adminSession, liveShow } from '../testing/http.ts';
import { parseAttributes, parseMediaPlaylist, type ParsedPlaylist } from '../testing/hls-playlist-reader.ts';
import { serve } from '../testing/serve-router.ts';
import { testConfig } from '../testing/test-config.ts';
import { DEFAULT_LADDER } from './encoder/ladder.ts';
import { Fmp4Parser } from './format/fmp4.ts';
import { HlsService } from './hls-service.ts';

requireFfmpeg();

const SHOW = 'cc-show';

/** A WebVTT document's map (seconds of media time on both sides) and cues. */
function readVtt(text: string) {
  const lines = text.split('\n');
  const map = /^X-TIMESTAMP-MAP=MPEGTS:(\d+),LOCAL:(\d+):(\d\d):(\d\d)\.(\d{3})$/.exec(lines[1] ?? '');
  const seconds = (h: string, m: string, s: string, ms: string) => Number(h) * 3600 + Number(m) * 60 + Number(s) + Number(ms) / 1000;
  const cues = [...text.matchAll(/^(\S+)\n(\d+):(\d\d):(\d\d)\.(\d{3}) --> (\d+):(\d\d):(\d\d)\.(\d{3})\n(.+)$/gm)].map((m) => ({
    id: m[1]!,
    start: seconds(m[2]!, m[3]!, m[4]!, m[5]!),
    end: seconds(m[6]!, m[7]!, m[8]!, m[9]!),
    text: m[10]!
  }));
  return { signature: lines[0], mpegts: map ? Number(map[1]) / 90000 : NaN, local: map ? seconds(map[2]!, map[3]!, map[4]!, map[5]!) : NaN, cues };
}

describe('captions as a WebVTT rendition of the LL-HLS stream', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hawker-hls-cc-'));
  let pool: WorkerPool;
  let hls: HlsService;
  let server: Awaited<ReturnType<typeof serve>>;
  let source: TestPatternSource;
  let registry: RoomRegistry;
  const url = (p: string) => server.base + p;
  const get = async (p: string) => {
    const res = await fetch(url(p));
    expect(res.status, p).toBe(200);
    return res;
  };
  const cue = (over: Partial<CaptionCue>): CaptionCue => ({ id: 'x', showId: SHOW, text: '', final: true, language: 'en', startAt: 0, endAt: 0, ...over });
  let late: CaptionCue;
  let openMsnForLate = -1;

  beforeAll(async () => {
    pool = await WorkerPool.create(1);
    registry = new RoomRegistry({ pool, rtc: testConfig().mediasoup });
    // The host turned captions on before going live.
    hls = new HlsService({ registry, ffmpegPath: 'ffmpeg', dir, ladder: [DEFAULT_LADDER[1]!], captionLanguage: async () => 'en' });
    server = await serve(hls.router());
    source = await TestPatternSource.attach(await registry.get(SHOW), 'ffmpeg');
  });
  afterAll(async () => {
    await source?.stop();
    await hls?.close();
    await server?.close();
    pool?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps a caption change made while the stream opens, over the settings it read', { timeout: 60_000 }, async () => {
    const opening = 'cc-opening';
    const rooms = new RoomRegistry({ pool, rtc: testConfig().mediasoup });
    let answer!: (language: string) => void;
    let asked!: () => void;
    const read = new Promise<void>((resolve) => (asked = resolve));
    const slow = new HlsService({
      registry: rooms,
      ffmpegPath: 'ffmpeg',
      dir,
      ladder: [DEFAULT_LADDER[1]!],
      captionLanguage: () => {
        asked();
        return new Promise<string>((resolve) => (answer = resolve));
      }
    });
    const pattern = await TestPatternSource.attach(await rooms.get(opening), 'ffmpeg');
    try {
      await read;
      // The host turns captions off while the stream still waits for the settings read before.
      slow.setCaptions(opening, null);
      answer('en');
      await expect.poll(() => slow.stream(opening), { timeout: 30_000, interval: 100 }).toBeDefined();
      expect(slow.stream(opening)!.captions.language).toBeNull();
    } finally {
      await pattern.stop();
      await slow.close();
    }
  });

  it('segments captions alongside the video: same numbers, durations and dates; late ones in the open segment', { timeout: 120_000 }, async () => {
    await expect.poll(() => hls.stream(SHOW)?.rendition('360p')!.playlist.liveState().lastCompleteMsn ?? -1, { timeout: 60_000, interval: 200 }).toBeGreaterThanOrEqual(1);
    const stream = hls.stream(SHOW)!;
    const video = stream.rendition('360p')!.playlist;

    const master = await (await get(`/hls/${SHOW}/master.m3u8`)).text();
    const media = master.split('\n').find((l) => l.startsWith('#EXT-X-MEDIA:'))!;
    expect(parseAttributes(media.slice('#EXT-X-MEDIA:'.length))).toEqual({
      TYPE: 'SUBTITLES',
      'GROUP-ID': 'cc',
      NAME: 'English',
      LANGUAGE: 'en',
      DEFAULT: 'NO',
      AUTOSELECT: 'YES',
      URI: `${stream.epoch}/subtitles/index.m3u8`
    });
    expect(master).toMatch(/#EXT-X-STREAM-INF:.*SUBTITLES="cc"\n/);

    // The words of a segment already out, transcribed now: too late for their own place.
    const published = video.listed().find((s) => s.complete)!;
    late = cue({ id: 'late-1', text: 'This scarf is pure wool', startAt: published.programDateTime + 300, endAt: published.programDateTime + 2300 });
    openMsnForLate = video.liveState().lastMsn;
    hls.caption(SHOW, late);
    hls.caption(SHOW, cue({ id: 'interim-1', text: 'This sc', final: false, startAt: Date.now(), endAt: Date.now() + 500 }));
    // Words still ahead of the encoded media keep their own time.
    const ahead = cue({ id: 'ahead-1', text: 'Only three left', startAt: Date.now() + 1500, endAt: Date.now() + 3500 });
    hls.caption(SHOW, ahead);
    const aheadOpenMsn = video.liveState().lastMsn;

    const waitFor = openMsnForLate + 2;
    await expect.poll(() => video.liveState().lastCompleteMsn, { timeout: 40_000, interval: 200 }).toBeGreaterThanOrEqual(waitFor);
    const blocking = `?_HLS_msn=${waitFor}&_HLS_part=0`;
    const subsRes = await get(`/hls/${SHOW}/${stream.epoch}/subtitles/index.m3u8${blocking}`);
    expect(subsRes.headers.get('content-type')).toBe('application/vnd.apple.mpegurl');
    expect(subsRes.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
    const subs = parseMediaPlaylist(await subsRes.text());
    const vid: ParsedPlaylist = parseMediaPlaylist(await (await get(`/hls/${SHOW}/${stream.epoch}/360p/index.m3u8${blocking}`)).text());
    const shape = (p: ParsedPlaylist) => p.segments.filter((s) => s.uri).map((s) => [s.msn, s.duration, s.programDateTime, s.discontinuity, s.parts.length]);
    expect(subs.mediaSequence).toBe(vid.mediaSequence);
    expect(shape(subs)).toEqual(shape(vid).slice(0, shape(subs).length));
    expect(shape(subs).length).toBeGreaterThanOrEqual(shape(vid).length - 1);
    expect(subs.partTarget).toBe(vid.partTarget);
    expect(subs.serverControl).toEqual(vid.serverControl);
    expect(subs.preloadHint?.URI).toMatch(/^part-\d+\.vtt$/);

    const found = new Map<string, { msn: number; start: number; end: number }>();
    for (const s of subs.segments.filter((x) => x.uri)) {
      const res = await get(`/hls/${SHOW}/${stream.epoch}/subtitles/${s.uri}`);
      expect(res.headers.get('content-type')).toBe('text/vtt; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      const vtt = readVtt(await res.text());
      expect(vtt.signature).toBe('WEBVTT');
      // The map is the identity on the video's media timeline, anchored at the segment's end…
      expect(vtt.mpegts).toBeCloseTo(vtt.local, 6);
      // …which is where the next video segment's fMP4 decode time starts (to the ms).
      expect(Math.abs(vtt.local - decodeEnd(s.msn))).toBeLessThanOrEqual(0.0011);
      // First appearance; a cue still on screen is repeated at the next segment's start.
      for (const c of vtt.cues) if (!found.has(c.id)) found.set(c.id, { msn: s.msn, start: c.start, end: c.end });
    }
    expect(found.has('interim-1')).toBe(false);
    const l = found.get('late-1')!;
    expect(l, 'the late caption is in the stream').toBeDefined();
    // In the next part: that of the segment open when it came, or of the next if that one had just filled up.
    expect([openMsnForLate, openMsnForLate + 1]).toContain(l.msn);
    const openSegment = video.listed().find((x) => x.msn === openMsnForLate)!;
    // Shown from media not yet published when it came, for as long as it was spoken.
    expect(l.start).toBeGreaterThanOrEqual(openSegment.mediaTime!);
    expect(l.end - l.start).toBeCloseTo(2, 3);
    // Captions off: new players are not offered the rendition; on again, they are.
    hls.setCaptions(SHOW, null);
    expect(await (await get(`/hls/${SHOW}/master.m3u8`)).text()).not.toContain('SUBTITLES');
    expect((await fetch(url(`/hls/${SHOW}/${stream.epoch}/subtitles/index.m3u8`))).status).toBe(404);
    hls.setCaptions(SHOW, 'en');
    expect(await (await get(`/hls/${SHOW}/master.m3u8`)).text()).toContain('SUBTITLES="cc"');

    const a = found.get('ahead-1')!;
    expect([aheadOpenMsn, aheadOpenMsn + 1]).toContain(a.msn);
    const inSegment = video.listed().find((x) => x.msn === a.msn)!;
    expect(a.start).toBeCloseTo(inSegment.mediaTime! + (ahead.startAt - inSegment.programDateTime) / 1000, 2);

    /** Where the video segment's last fMP4 fragment ends, by its own decode times. */
    function decodeEnd(msn: number): number {
      const seg = video.listed().find((x) => x.msn === msn)!;
      const events = new Fmp4Parser().push(Buffer.concat([video.resource(`init-${seg.initId}.mp4`)!, video.resource(`seg-${msn}.m4s`)!]));
      const last = events.findLast((e) => e.type === 'fragment');
      if (last?.type !== 'fragment') throw new Error(`segment ${msn} has no fragment`);
      return last.fragment.decodeTime / last.fragment.timescale + last.fragment.duration;
    }
  });

  it('keeps the captions in the replay, each at the moment its words were spoken', { timeout: 60_000 }, async () => {
    (await registry.get(SHOW)).close('ended');
    await source.stop();
    await expect.poll(() => hls.status(SHOW).vod, { timeout: 15_000 }).toBe(true);
    const master = await (await get(`/hls/${SHOW}/vod/master.m3u8`)).text();
    expect(master).toContain('#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="cc",NAME="English",LANGUAGE="en",DEFAULT=NO,AUTOSELECT=YES,URI="subtitles/vod.m3u8"');
    expect(master).toMatch(/SUBTITLES="cc"\n360p\/vod\.m3u8/);
    const subs = parseMediaPlaylist(await (await get(`/hls/${SHOW}/vod/subtitles/vod.m3u8`)).text());
    const vid = parseMediaPlaylist(await (await get(`/hls/${SHOW}/vod/360p/vod.m3u8`)).text());
    expect(subs.playlistType).toBe('VOD');
    expect(subs.endList).toBe(true);
    const shape = (p: ParsedPlaylist) => p.segments.map((s) => [s.msn, s.duration, s.programDateTime, s.discontinuity]);
    expect(shape(subs)).toEqual(shape(vid));
    expect(subs.segments.every((s) => s.uri?.endsWith('.vtt') && s.map === undefined)).toBe(true);

    const spokenIn = subs.segments.find((s) => {
      const from = Date.parse(s.programDateTime!);
      return late.startAt >= from && late.startAt < from + s.duration! * 1000;
    })!;
    const res = await get(`/hls/${SHOW}/vod/subtitles/${spokenIn.uri}`);
    expect(res.headers.get('content-type')).toBe('text/vtt; charset=utf-8');
    const vtt = readVtt(await res.text());
    const c = vtt.cues.find((x) => x.id === 'late-1')!;
    expect(c.text).toBe('This scarf is pure wool');
    // Where the words were, not where the live stream could first carry them.
    const segmentStart = vtt.local - spokenIn.duration!;
    expect(c.start).toBeCloseTo(segmentStart + (late.startAt - Date.parse(spokenIn.programDateTime!)) / 1000, 2);
    expect(spokenIn.msn).toBeLessThan(openMsnForLate);
  });
});

describe('captions reach the LL-HLS stream of a live show in the app', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hawker-hls-cc-app-'));
  let app: RunningApp;
  let source: TestPatternSource;
  afterAll(async () => {
    await source?.stop();
    await app?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('announces the subtitles while the host has captions on and carries the Captions domain’s finals', { timeout: 150_000 }, async () => {
    app = await startApp(testConfig({ HLS_DIR: dir, CAPTIONS_PROVIDER: 'pocketsphinx', CAPTIONS_MAX_STREAMS: '1' }), { webHandler: false });
    const admin = await adminSession(app.url);
    const showId = (await liveShow(app.url, admin, 'Captioned night')).id;
    const captions = (enabled: boolean) =>
      fetch(`${app.url}/api/shows/${showId}/captions`, { method: 'PUT', headers: { 'content-type': 'application/json', cookie: admin }, body: JSON.stringify({ enabled }) });
    expect((await captions(true)).status).toBe(200);
    source = await TestPatternSource.attach(await app.rooms.get(showId), 'ffmpeg');
    await expect.poll(() => app.hls.status(showId).live, { timeout: 60_000 }).toBe(true);
    const master = async () => (await fetch(`${app.url}/hls/${showId}/master.m3u8`)).text();
    expect(await master()).toContain('#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="cc",NAME="English",LANGUAGE="en"');

    const stream = app.hls.stream(showId)!;
    const startAt = Date.now() + 1000;
    await app.captions.final({ id: 'app-1', showId, text: 'Handmade in Jeju', final: true, language: 'en', startAt, endAt: startAt + 1500 });
    const subtitles = () => stream.captions.playlist.listed().filter((s) => s.complete).map((s) => new TextDecoder().decode(stream.captions.playlist.resource(`seg-${s.msn}.vtt`)));
    await expect.poll(() => subtitles().join(''), { timeout: 30_000 }).toContain('Handmade in Jeju');

    expect((await captions(false)).status).toBe(200);
    expect(await master()).not.toContain('SUBTITLES');
  });
});
