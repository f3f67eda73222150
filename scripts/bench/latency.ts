/**
 * Glass-to-glass latency: the host's studio publishes a canvas carrying timestamps through the real
 * studio path (mediasoup-client → SFU); N viewers in a few Chromium pages, each on its own ws
 * connection running the room's own Viewer (or, with --mode hls, the room's hls.js player over
 * SFU → FFmpeg → LL-HLS), read the timestamps back from the pixels of small video tiles.
 * Over WebRTC the same canvas also goes browser to browser over one direct RTCPeerConnection in
 * the same run: the baseline the SFU's figure is divided by.
 * Each viewer page is one Chromium renderer (--per-page viewers each); WebRTC's own statistics show
 * where the time goes (the host's encoders, the receivers' jitter buffers).
 * With --edge (LL-HLS only) the same viewers watch once straight from the server and once through
 * the nginx caching edge in front of it (server/cluster/hls-edge-config.ts), in one run: what the
 * edge adds, and how often it asked the server for the same part.
 *   npm run bench:latency -- --viewers 20 --seconds 15
 *   npm run bench:hls -- --viewers 5
 * With --cluster N (WebRTC) the host publishes into node 1 of a local N-node cluster and the viewers
 * spread over the nodes: the viewers on node 1 are the single-node figure of the same run.
 *   npm run bench:hls -- --edge --viewers 5
 *   npm run bench:latency -- --cluster 3 --viewers 12
 */
import os from 'node:os';
import { chromium, type Browser } from '@playwright/test';
import { chromiumArgs, chromiumPath } from '../../playwright.config.ts';
import { originRequestsPerPart } from '../../server/cluster/hls-edge-config.ts';
import { startScratchHlsEdge } from '../../server/testing/hls-edge.ts';
import { numericArgs, resourceMeter, startServer, type ServerHandle } from './lib/server-process.ts';
import { baselineRatio, cpuMeter, printCpu } from './lib/cpu-meter.ts';
import { clusterResult } from './latency/cluster-run.ts';
import { connectBaseline, goLive, type Host } from './latency/host.ts';
import { openViewerPages } from './latency/viewer-pages.ts';
import { playlistFacts } from './latency/playlist-facts.ts';
import { pathStats } from './latency/peer-stats.ts';
import { behindLiveP50, latencyFigures, perViewerMinute } from './latency/summary.ts';

const args = numericArgs({ viewers: 10, seconds: 15, mode: 'webrtc', perPage: 25, cluster: 0, edge: false });
const hls = args.mode === 'hls';
const viaEdge = args.edge;
if (viaEdge && !hls) throw new Error('--edge is for LL-HLS: npm run bench:hls -- --edge');
if (args.cluster > 0 && hls) throw new Error('--cluster measures WebRTC: npm run bench:latency -- --cluster 3');
if (hls && !process.argv.includes('--viewers')) args.viewers = 5;
/** Frames decoded after joining are dropped while the jitter buffers and (LL-HLS) the players settle. */
const WARM_UP_MS = hls ? 5000 : 3000;
/**
 * The browsers share these cores with the server. Chromium sets its own renderers' priority, so
 * lowering the browsers does not hold: the server (with its workers and FFmpeg) runs above them instead.
 */
const SERVER_NICENESS = -10;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * N viewers joined, settled, then measured for --seconds with the CPU both sides used. An edge's nginx
 * (`edgePid`) is neither side: its CPU is measured apart.
 */
async function watch(browser: Browser, server: ServerHandle, host: Host, opts: { hlsBase?: string; edgePid?: number } = {}) {
  const viewers = await openViewerPages(browser, { url: server.url, showId: host.showId, viewers: args.viewers, perPage: args.perPage, mode: hls ? 'hls' : 'webrtc', hlsBase: opts.hlsBase });
  if (!hls) await connectBaseline(host.page, viewers.pages[0]!);
  console.log(`${args.viewers} viewers decoding${hls ? '' : ', and the direct baseline'}; warming up`);
  await sleep(WARM_UP_MS);
  await viewers.take();

  const cpu = cpuMeter(server.process.pid!, [], opts.edgePid === undefined ? [] : [opts.edgePid]);
  const memory = resourceMeter(server.process.pid!);
  const ffmpeg = resourceMeter(server.process.pid!, 'ffmpeg');
  const edgeCpu = opts.edgePid === undefined ? null : resourceMeter(opts.edgePid);
  await sleep(args.seconds * 1000);
  const measured = await viewers.take();
  const edgeCores = edgeCpu?.stop().cpuCores ?? 0;
  return { viewers, measured, cpuUsed: cpu.stop(), rssMb: memory.stop().rssMb, ffmpegCores: ffmpeg.stop().cpuCores, edgeCores: Number(edgeCores.toFixed(2)) };
}

type Watched = Awaited<ReturnType<typeof watch>>;
type Figures = ReturnType<typeof latencyFigures>;

/** A line per viewer and the figures over every frame of every viewer measured. */
function summarise({ measured }: Watched): { all: Figures; fellBack: number } {
  for (const [i, v] of measured.viewers.entries()) {
    const f = latencyFigures(v.latencies);
    console.log(`viewer ${String(i + 1).padStart(3)} (${v.state}): ${v.latencies.length} frames, p50 ${f.p50_ms} ms, p95 ${f.p95_ms} ms${hls ? `, ${v.stalls} stalls, ${v.seeks} jumps` : ''}`);
  }
  const fellBack = measured.viewers.filter((v) => v.fellBack).length;
  if (fellBack > 0) console.log(`${fellBack} viewers fell back to LL-HLS (no WebRTC video within the room's deadline): left out of the figures`);
  const off = measured.viewers.filter((v) => !v.fellBack && v.latencies.length === 0).length;
  if (off > 0) console.log(`WARNING: ${off} viewers decoded nothing while measured`);
  const frames = measured.viewers.flatMap((v) => (v.fellBack ? [] : v.latencies));
  const all = latencyFigures(frames);
  console.log(`glass to glass over ${frames.length} frames: p50 ${all.p50_ms} ms, p95 ${all.p95_ms} ms, max ${all.max_ms} ms`);
  return { all, fellBack };
}

/** LL-HLS playback: stalls and jumps per viewer-minute and hls.js's own distance behind live. */
function playback({ measured }: Watched) {
  const stalls = perViewerMinute(measured.viewers, args.seconds);
  const seeks = perViewerMinute(measured.viewers, args.seconds, 'seeks');
  const behind = behindLiveP50(measured.viewers);
  console.log(`playback stopped to wait for data ${stalls} times per viewer-minute, and the player jumped ${seeks} times; hls.js's own "behind live" p50 ${behind} ms`);
  return { stalls, seeks, behind };
}

/**
 * Prints the CPU both sides used and lays out a mode's result in the order reports show its fields: the
 * viewers and the glass-to-glass p50 and p95, the mode's `headline` figures, the CPU, then the mode's `rest`.
 */
function resultOf(run: Watched, all: Figures, headline: Record<string, unknown>, rest: Record<string, unknown>): Record<string, unknown> {
  printCpu(run.cpuUsed);
  return { viewers: args.viewers, p50_ms: all.p50_ms, p95_ms: all.p95_ms, ...headline, ...run.cpuUsed, ...rest };
}

async function hlsResult(server: ServerHandle, host: Host, run: Watched, all: Figures): Promise<Record<string, unknown>> {
  const playlist = await playlistFacts(server.url, host.showId);
  const { stalls, seeks, behind } = playback(run);
  console.log(`LL-HLS: PART-TARGET ${playlist.partTarget} s, parts ${playlist.parts.join('/')} s, segments ${playlist.segments.join('/')} s, ${playlist.renditions} renditions`);
  console.log(`FFmpeg: ${run.ffmpegCores.toFixed(2)} cores in all`);
  console.log(`server peak RSS ${run.rssMb} MB`);
  return resultOf(run, all, { stalls_per_viewer_minute: stalls, behind_live_p50_ms: behind }, {
    seeks_per_viewer_minute: seeks,
    max_ms: all.max_ms,
    ffmpeg_cpu: Number(run.ffmpegCores.toFixed(2)),
    part_target_s: playlist.partTarget,
    server_rss_mb: run.rssMb,
    samples_ms: all.samples_ms
  });
}

async function webRtcResult(host: Host, run: Watched, { all, fellBack }: { all: Figures; fellBack: number }): Promise<Record<string, unknown>> {
  const { measured, viewers } = run;
  const p2p = latencyFigures(measured.baseline);
  console.log(`direct browser-to-browser baseline over ${measured.baseline.length} frames (${(measured.baseline.length / args.seconds).toFixed(0)} a second): p50 ${p2p.p50_ms} ms, p95 ${p2p.p95_ms} ms`);
  const ratio = baselineRatio('p95 through the SFU', all.p95_ms, p2p.p95_ms);
  // Averages since the streams began: the host's encoders and pacer, and each path's receivers.
  console.log(`host sending: ${JSON.stringify(await pathStats(host.page, 'outbound'))}`);
  console.log(`viewers receiving (page 1): ${JSON.stringify(await pathStats(viewers.pages[0]!, 'inbound', 'sfu'))}`);
  console.log(`baseline receiving: ${JSON.stringify(await pathStats(viewers.pages[0]!, 'inbound', 'baseline'))}`);
  console.log(`server peak RSS ${run.rssMb} MB`);
  return resultOf(run, all, { max_ms: all.max_ms, p2p_p95_ms: p2p.p95_ms, ratio_p95: ratio }, {
    fell_back: fellBack,
    p2p_p50_ms: p2p.p50_ms,
    p2p_max_ms: p2p.max_ms,
    server_rss_mb: run.rssMb,
    samples_ms: all.samples_ms,
    p2p_samples_ms: p2p.samples_ms
  });
}

/** The viewers that watched straight from the server leave; as many watch through an edge in front of it. */
async function edgeResult(browser: Browser, server: ServerHandle, host: Host, direct: Watched, straight: Figures): Promise<Record<string, unknown>> {
  const before = playback(direct);
  await direct.viewers.close();
  const edge = await startScratchHlsEdge({ upstreams: [new URL(server.url).host], accessLog: true });
  try {
    console.log(`through the edge at ${edge.url}:`);
    const run = await watch(browser, server, host, { hlsBase: edge.url, edgePid: edge.pid });
    const { all } = summarise(run);
    const { stalls, seeks, behind } = playback(run);
    const origin = originRequestsPerPart(edge.log());
    const added = all.p50_ms - straight.p50_ms;
    console.log(`the edge added ${added} ms at p50 (${straight.p50_ms} ms straight, ${all.p50_ms} ms through it) and ${all.p95_ms - straight.p95_ms} ms at p95`);
    console.log(`origin requests per part or blocking reload, over ${origin.keys}: mean ${origin.mean}, max ${origin.max} (${origin.worst})`);
    console.log(`server CPU ${direct.cpuUsed.server_cpu} cores straight, ${run.cpuUsed.server_cpu} cores through the edge; the edge (nginx) ${run.edgeCores} cores`);
    return resultOf(run, all, { direct_p50_ms: straight.p50_ms, added_p50_ms: added, origin_requests_per_part: origin.mean }, {
      direct_p95_ms: straight.p95_ms,
      origin_requests_per_part_max: origin.max,
      edge_cpu: run.edgeCores,
      direct_server_cpu: direct.cpuUsed.server_cpu,
      stalls_per_viewer_minute: stalls,
      direct_stalls_per_viewer_minute: before.stalls,
      seeks_per_viewer_minute: seeks,
      behind_live_p50_ms: behind,
      direct_behind_live_p50_ms: before.behind,
      max_ms: all.max_ms,
      samples_ms: all.samples_ms
    });
  } finally {
    await edge.stop();
  }
}

async function main(): Promise<void> {
  if (args.cluster > 0) return clusterMain();
  console.log(`latency bench (${hls ? 'LL-HLS' : 'WebRTC'}): ${args.viewers} viewers in ${Math.ceil(args.viewers / args.perPage)} page(s), ${args.seconds} s measured`);
  // WebRTC runs without the HLS transcode so it measures the SFU alone.
  const server = await startServer({ DEMO_SHOW: 'false', HLS_ENABLED: hls ? 'true' : 'false' }, { niceness: SERVER_NICENESS });
  let browser: Browser | null = null;
  try {
    console.log(`the server runs at niceness ${os.getPriority(server.process.pid!)}, the browsers at ${os.getPriority()}`);
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
    const host = await goLive(browser, server);
    console.log('host is live');
    if (viaEdge) console.log('straight from the server:');
    const run = await watch(browser, server, host);
    const summary = summarise(run);
    let result: Record<string, unknown>;
    if (viaEdge) result = await edgeResult(browser, server, host, run, summary.all);
    else if (hls) result = await hlsResult(server, host, run, summary.all);
    else result = await webRtcResult(host, run, summary);
    console.log(JSON.stringify(result));
  } finally {
    await browser?.close();
    await server.stop();
  }
}

async function clusterMain(): Promise<void> {
  console.log(`latency bench (WebRTC across ${args.cluster} nodes): ${args.viewers} viewers, ${args.seconds} s measured`);
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  try {
    const result = await clusterResult(browser, { nodes: args.cluster, viewers: args.viewers, perPage: args.perPage, seconds: args.seconds, warmUpMs: WARM_UP_MS });
    console.log(JSON.stringify(result));
  } finally {
    await browser.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
