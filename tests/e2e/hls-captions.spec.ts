import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { test, expect, type Page } from '@playwright/test';
import type { CaptionCue } from '#shared/captions.ts';
import { TestPatternSource } from '../../server/demo/test-pattern-source.ts';
import { DEFAULT_LADDER } from '../../server/hls/encoder/ladder.ts';
import { HlsService } from '../../server/hls/hls-service.ts';
import { RoomRegistry } from '../../server/rooms/room-registry.ts';
import { WorkerPool } from '../../server/sfu/worker-pool.ts';
import { serve } from '../../server/testing/serve-router.ts';
import { testConfig } from '../../server/testing/test-config.ts';

// The packager on its own, beside a bare hls.js page, so the test decides what is said and when.
const SHOW = 'hls-cc';
const page = (src: string) => `<!doctype html><meta charset="utf-8"><video id="v" muted autoplay playsinline width="640" height="360"></video>
<script src="/hls.js"></script>
<script>
  const video = document.getElementById('v');
  const hls = new Hls({ lowLatencyMode: true });
  window.hls = hls;
  window.activations = [];
  video.textTracks.addEventListener('addtrack', ({ track }) => {
    track.addEventListener('cuechange', () => {
      for (const cue of Array.from(track.activeCues ?? [])) {
        if (window.activations.some((a) => a.id === cue.id)) continue;
        const playingDate = hls.playingDate?.getTime() ?? null;
        // The date at the cue's start: cuechange comes at the browser's next timeupdate, a little after.
        const startDate = playingDate === null ? null : playingDate - (video.currentTime - cue.startTime) * 1000;
        window.activations.push({ id: cue.id, text: cue.text, kind: track.kind, playingDate, startDate, lagMs: (video.currentTime - cue.startTime) * 1000 });
      }
    });
  });
  hls.loadSource('${src}');
  hls.attachMedia(video);
</script>`;

interface Activation {
  id: string;
  text: string;
  kind: string;
  /** EXT-X-PROGRAM-DATE-TIME of the playback position when the cue became active… */
  playingDate: number | null;
  /** …and of the cue's start on the video's timeline. */
  startDate: number | null;
  /** How far past its start playback was when the page heard of it. */
  lagMs: number;
}

const activations = (p: Page) => p.evaluate(() => (window as unknown as { activations: Activation[] }).activations);
const currentTime = (p: Page) => p.evaluate(() => document.querySelector('video')!.currentTime);

/** The viewer turns captions on; hls.js then shows the track (the room's player hides it and draws its own overlay). */
async function captionsOn(p: Page): Promise<void> {
  await expect.poll(() => p.evaluate(() => (window as unknown as { hls: { subtitleTracks: { name: string; lang: string }[] } }).hls.subtitleTracks.map((t) => `${t.name}/${t.lang}`))).toEqual(['English/en']);
  await p.evaluate(() => ((window as unknown as { hls: { subtitleTrack: number } }).hls.subtitleTrack = 0));
  const tracks = () => p.evaluate(() => [...document.querySelector('video')!.textTracks].map((t) => `${t.kind}:${t.label}:${t.language}:${t.mode}`));
  await expect.poll(tracks).toContain('subtitles:English:en:showing');
}

test.describe.serial('captions over LL-HLS in hls.js', () => {
  let pool: WorkerPool;
  let registry: RoomRegistry;
  let hls: HlsService;
  let server: Awaited<ReturnType<typeof serve>>;
  let source: TestPatternSource | undefined;
  let spoken: CaptionCue;
  let dir: string;

  test.beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hawker-e2e-hls-cc-'));
    pool = await WorkerPool.create(1);
    registry = new RoomRegistry({ pool, rtc: testConfig().mediasoup });
    hls = new HlsService({
      registry,
      ffmpegPath: 'ffmpeg',
      dir,
      ladder: [DEFAULT_LADDER[1]!],
      captionLanguage: async () => 'en'
    });
    const router = express.Router();
    router.use(hls.router());
    router.get('/live', (_req, res) => void res.type('html').send(page(`/hls/${SHOW}/master.m3u8`)));
    router.get('/replay', (_req, res) => void res.type('html').send(page(`/hls/${SHOW}/vod/master.m3u8`)));
    router.get('/hls.js', (_req, res) => res.sendFile(path.resolve('node_modules/hls.js/dist/hls.min.js')));
    server = await serve(router);
    source = await TestPatternSource.attach(await registry.get(SHOW), 'ffmpeg');
  });
  test.afterAll(async () => {
    await source?.stop();
    await hls?.close();
    await server?.close();
    pool?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('hls.js lists the subtitle track and shows a caption when the video reaches the words', async ({ page: viewer }) => {
    test.setTimeout(90_000);
    await expect.poll(() => hls.status(SHOW).live, { timeout: 30_000 }).toBe(true);
    await viewer.goto(`${server.base}/live`);
    await expect.poll(() => currentTime(viewer), { timeout: 30_000 }).toBeGreaterThan(1);
    await captionsOn(viewer);

    // Words a moment ahead of what the encoder has delivered, so they keep their own time.
    const startAt = Date.now() + 1500;
    spoken = { id: 'e2e-1', showId: SHOW, text: 'Two scarves for the price of one', final: true, language: 'en', startAt, endAt: startAt + 2500 };
    hls.caption(SHOW, spoken);
    await expect.poll(async () => (await activations(viewer)).map((a) => a.id), { timeout: 20_000 }).toContain('e2e-1');
    const shown = (await activations(viewer)).find((a) => a.id === 'e2e-1')!;
    expect(shown).toMatchObject({ text: spoken.text, kind: 'subtitles' });
    // Active when playback reaches the words' date on the stream's clock (EXT-X-PROGRAM-DATE-TIME), not when they arrived.
    const offsetMs = Math.round(shown.startDate! - startAt);
    expect(Math.abs(offsetMs)).toBeLessThan(100);
    expect(shown.lagMs).toBeLessThan(500);

    // Words this viewer has already watched go by, transcribed late: still shown, from where playback is.
    const late: CaptionCue = { ...spoken, id: 'e2e-late', text: 'Free shipping tonight', startAt: Date.now() - 4000, endAt: Date.now() - 2000 };
    hls.caption(SHOW, late);
    await expect.poll(async () => (await activations(viewer)).map((a) => a.id), { timeout: 20_000 }).toContain('e2e-late');
    const lateShown = (await activations(viewer)).find((a) => a.id === 'e2e-late')!;
    console.log(
      `[hls-captions] on time: starts ${offsetMs} ms from the words' date, seen ${Math.round(shown.lagMs)} ms after; ` +
        `late: starts at playback date ${Math.round(lateShown.startDate! - late.startAt)} ms after the words`
    );
    expect(lateShown.startDate!).toBeGreaterThan(late.endAt);
  });

  test('the replay keeps the captions at the moment the words were spoken', async ({ page: viewer }) => {
    test.setTimeout(60_000);
    (await registry.get(SHOW)).close('ended');
    await source!.stop();
    source = undefined;
    await expect.poll(() => hls.status(SHOW).vod, { timeout: 15_000 }).toBe(true);
    await viewer.goto(`${server.base}/replay`);
    await expect.poll(() => currentTime(viewer), { timeout: 20_000 }).toBeGreaterThan(0.2);
    await captionsOn(viewer);
    // Seek to just before the words, by the recording's dates.
    const firstDate = await viewer.evaluate(() => {
      const h = (window as unknown as { hls: { levels: { details?: { fragments: { programDateTime: number | null }[] } }[] } }).hls;
      return h.levels[0]!.details!.fragments[0]!.programDateTime!;
    });
    await viewer.evaluate((t) => (document.querySelector('video')!.currentTime = t), Math.max(0, (spoken.startAt - firstDate) / 1000 - 1));
    await expect.poll(async () => (await activations(viewer)).map((a) => a.id), { timeout: 20_000 }).toContain('e2e-1');
    const shown = (await activations(viewer)).find((a) => a.id === 'e2e-1')!;
    const replayOffset = Math.round(shown.startDate! - spoken.startAt);
    console.log(`[hls-captions] replay: starts ${replayOffset} ms from the words' date`);
    expect(Math.abs(replayOffset)).toBeLessThan(100);
  });
});
