/**
 * Glass-to-glass latency: a host page publishes a canvas carrying timestamps through
 * the real studio (mediasoup-client → SFU); N buyer pages in the real room decode the
 * timestamps from pixels, over WebRTC or (--mode hls) over SFU → FFmpeg → LL-HLS → hls.js.
 * Meanwhile the host pushes a notice every 2 s; the overlay sync figure is how far the
 * frame on each viewer's screen when the notice appeared was from the moment it was pushed
 * (positive: the notice came after its moment in the video).
 *   npm run bench:latency -- --viewers 20 --seconds 15
 *   npm run bench:hls -- --viewers 5
 */
import os from 'node:os';
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { chromiumArgs } from '../../playwright.config.ts';
import { numericArgs, percentile, resourceMeter, startServer } from './lib/server-process.ts';
import { cpuMeter, printCpu } from './lib/cpu-meter.ts';
import { timestampCamera, timestampReader } from './lib/timestamp-frames.ts';

const args = numericArgs({ viewers: 10, seconds: 15, mode: 'webrtc' });
const hls = args.mode === 'hls';
if (hls && !process.argv.includes('--viewers')) args.viewers = 5;

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const latencies = (page: Page) => page.evaluate(() => (window as unknown as { __latencies: number[] }).__latencies.splice(0));
const behindLive = (page: Page) => page.evaluate(() => (window as unknown as { __behindLive: number[] }).__behindLive.splice(0));
/** Times playback stopped to wait for data since the last call. */
const stalls = (page: Page) => page.evaluate(() => {
  const w = window as unknown as { __stalls: number };
  const n = w.__stalls;
  w.__stalls = 0;
  return n;
});
const notices = (page: Page) =>
  page.evaluate(() => (window as unknown as { __notices: { text: string; frameCapturedAt: number }[] }).__notices.splice(0));
const NOTICE_EVERY_MS = 2000;
/**
 * The host's and viewers' browsers stand in for other people's machines but share these cores with
 * the server. Chromium sets its own renderers' priority, so lowering the browsers does not hold:
 * the server (and the mediasoup workers and FFmpeg it starts) runs above them instead.
 */
const SERVER_NICENESS = -10;

/** Part and segment durations the packager is publishing now (distinct values, seconds). */
async function fetchPlaylistFacts(base: string, showId: string) {
  const master = await (await fetch(`${base}/hls/${showId}/master.m3u8`)).text();
  const uris = master.split('\n').filter((l) => l && !l.startsWith('#'));
  const media = await (await fetch(new URL(uris[0]!, `${base}/hls/${showId}/`))).text();
  const distinct = (re: RegExp) => [...new Set([...media.matchAll(re)].map((m) => Number(m[1]).toFixed(3)))].map(Number);
  return {
    renditions: uris.length,
    partTarget: Number(/PART-TARGET=([\d.]+)/.exec(media)?.[1]),
    parts: distinct(/#EXT-X-PART:DURATION=([\d.]+)/g),
    segments: distinct(/#EXTINF:([\d.]+)/g)
  };
}

async function main(): Promise<void> {
  console.log(`latency bench (${hls ? 'LL-HLS' : 'WebRTC'}): ${args.viewers} viewers, ${args.seconds} s measured`);
  // WebRTC runs without the HLS transcode so it measures the SFU alone.
  const server = await startServer({ DEMO_SHOW: 'false', HLS_ENABLED: hls ? 'true' : 'false' }, { niceness: SERVER_NICENESS });
  let browser: Browser | null = null;
  try {
    console.log(`the server runs at niceness ${os.getPriority(server.process.pid!)}, the browsers at ${os.getPriority()}`);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs });
    const hostContext = await browser.newContext();
    await hostContext.addInitScript(timestampCamera);
    const signin = await hostContext.request.post(`${server.url}/api/auth/signin`, { data: server.admin });
    if (!signin.ok()) throw new Error(`sign-in failed: ${signin.status()}`);
    const created = await hostContext.request.post(`${server.url}/api/shows`, {
      data: { title: 'Latency bench', scheduledAt: Date.now() }
    });
    const showId = (await created.json()).show.id as string;

    const host = await hostContext.newPage();
    await host.goto(`${server.url}/studio/${showId}`);
    await host.getByTestId('go-live').click();
    await host.getByTestId('studio-status').filter({ hasText: /live/i }).waitFor();
    console.log('host is live');

    const viewers: { context: BrowserContext; page: Page }[] = [];
    for (let i = 0; i < args.viewers; i++) {
      // Phone-sized viewers: the server's layer choice sends them a small simulcast layer, as it would a real phone.
      const context = await browser.newContext({ viewport: { width: 390, height: 700 } });
      await context.addInitScript(timestampReader);
      const page = await context.newPage();
      await page.goto(`${server.url}/room/${showId}${hls ? '?mode=hls' : ''}`);
      viewers.push({ context, page });
    }
    await Promise.all(
      viewers.map(({ page }, i) =>
        waitFor(async () => (await page.evaluate(() => (window as unknown as { __latencies: number[] }).__latencies.length)) > 30, 60_000, 'decoded frames').catch(
          async (err: Error) => {
            const state = await page.evaluate(() => {
              const v = document.querySelector<HTMLVideoElement>('video[data-testid="room-video"], video[data-testid="hls-video"]');
              return { mode: document.querySelector('[data-testid="media-mode"]')?.textContent, currentTime: v?.currentTime, readyState: v?.readyState, size: `${v?.videoWidth}x${v?.videoHeight}` };
            });
            throw new Error(`viewer ${i + 1}: ${err.message} (${JSON.stringify(state)})`);
          }
        )
      )
    );
    console.log(`${viewers.length} viewers decoding; warming up`);
    await new Promise((r) => setTimeout(r, 3000));
    for (const { page } of viewers) {
      await latencies(page);
      await notices(page);
      await behindLive(page);
      await stalls(page);
    }

    const meter = resourceMeter(server.process.pid!);
    const cpu = cpuMeter(server.process.pid!);
    const ffmpegMeter = resourceMeter(server.process.pid!, 'ffmpeg');
    const measureUntil = Date.now() + args.seconds * 1000;
    for (let n = 1; Date.now() < measureUntil; n++) {
      await hostContext.request.put(`${server.url}/api/shows/${showId}/notice`, { data: { text: `sync ${n}` } });
      await new Promise((r) => setTimeout(r, Math.min(NOTICE_EVERY_MS, Math.max(0, measureUntil - Date.now()))));
    }
    // Let the last notices reach viewers behind live.
    await new Promise((r) => setTimeout(r, hls ? 4000 : 500));
    const usage = meter.stop();
    const cpuUsed = cpu.stop();
    const ffmpeg = ffmpegMeter.stop();
    const playlist = hls ? await fetchPlaylistFacts(server.url, showId) : null;

    const all: number[] = [];
    const behind: number[] = [];
    let stallCount = 0;
    for (const [i, { page }] of viewers.entries()) {
      const l = (await latencies(page)).sort((a, b) => a - b);
      all.push(...l);
      behind.push(...(await behindLive(page)));
      stallCount += await stalls(page);
      console.log(`viewer ${String(i + 1).padStart(2)}: ${l.length} frames, p50 ${percentile(l, 50)} ms, p95 ${percentile(l, 95)} ms`);
    }
    all.sort((a, b) => a - b);
    behind.sort((a, b) => a - b);
    const pushedAt = new Map(
      ((await (await hostContext.request.get(`${server.url}/api/shows/${showId}/timeline`)).json()).events as { at: number; type: string; payload: { text?: string } }[])
        .filter((e) => e.type === 'notice')
        .map((e) => [e.payload.text, e.at])
    );
    const sync: number[] = [];
    for (const { page } of viewers) {
      for (const n of await notices(page)) if (pushedAt.has(n.text)) sync.push(n.frameCapturedAt - pushedAt.get(n.text)!);
    }
    const syncAbs = sync.map(Math.abs).sort((a, b) => a - b);
    sync.sort((a, b) => a - b);
    const result = {
      viewers: args.viewers,
      frames: all.length,
      p50_ms: percentile(all, 50),
      p95_ms: percentile(all, 95),
      max_ms: all[all.length - 1] ?? NaN,
      stalls_per_viewer_minute: Number(((stallCount / args.viewers) * (60 / args.seconds)).toFixed(1)),
      overlay_sync_p50_ms: percentile(sync, 50),
      overlay_sync_abs_p95_ms: percentile(syncAbs, 95),
      ...(playlist
        ? {
            player_behind_live_edge_p50_ms: percentile(behind, 50),
            part_target_s: playlist.partTarget,
            parts_s: playlist.parts,
            segments_s: playlist.segments,
            cpu_per_rendition: Number((ffmpeg.cpuCores / playlist.renditions).toFixed(2))
          }
        : {}),
      ...cpuUsed,
      server_rss_mb: usage.rssMb
    };
    console.log(`glass-to-glass over ${all.length} frames: p50 ${result.p50_ms} ms, p95 ${result.p95_ms} ms, max ${result.max_ms} ms`);
    console.log(`playback stopped to wait for data ${stallCount} times (${result.stalls_per_viewer_minute} per viewer-minute)`);
    console.log(
      `overlay sync over ${sync.length} notices: frame on screen vs the moment pushed, p50 ${result.overlay_sync_p50_ms} ms, ` +
        `|error| p95 ${result.overlay_sync_abs_p95_ms} ms (min ${sync[0]}, max ${sync.at(-1)})`
    );
    if (playlist) {
      console.log(`LL-HLS: PART-TARGET ${playlist.partTarget} s, parts ${playlist.parts.join('/')} s, segments ${playlist.segments.join('/')} s, ${playlist.renditions} renditions`);
      console.log(`FFmpeg: ${ffmpeg.cpuCores.toFixed(2)} cores in all, ${result.cpu_per_rendition} per rendition`);
      console.log(`the room's "behind live" figure (hls.js's own estimate from the playlist): p50 ${result.player_behind_live_edge_p50_ms} ms`);
    }
    console.log(`server peak RSS ${result.server_rss_mb} MB`);
    printCpu(cpuUsed);
    console.log(JSON.stringify(result));
  } finally {
    await browser?.close();
    await server.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
