import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../app.ts';
import { fromOrigin } from '../cluster/hls-edge-config.ts';
import { TestPatternSource } from '../demo/test-pattern-source.ts';
import { requireFfmpeg } from '../testing/ffmpeg.ts';
import { startScratchHlsEdge, type ScratchHlsEdge } from '../testing/hls-edge.ts';
import { parseMediaPlaylist, type ParsedPlaylist } from '../testing/hls-playlist-reader.ts';
import { adminSession, liveShow } from '../testing/http.ts';
import { percentile } from '../../scripts/bench/lib/server-process.ts';
import { testConfig } from '../testing/test-config.ts';

const VIEWERS = 50;
const WATCH_MS = 10_000;
const RENDITIONS = ['360p', '720p'];

/** A request as the origin tells it apart: its path and the LL-HLS delivery directives. */
function originKey(url: string): string {
  const u = new URL(url, 'http://origin');
  const directives = ['_HLS_msn', '_HLS_part', '_HLS_skip'].map((d) => `${d}=${u.searchParams.get(d) ?? ''}`);
  return `${u.pathname}?${directives.join('&')}`;
}

/**
 * Sits between the edge and the origin and counts every request that passes, by origin key: the
 * origin's side of the story, independent of what nginx reports about itself.
 */
async function countingPassThrough(origin: string): Promise<{ address: string; counts: Map<string, number>; close: () => Promise<void> }> {
  const counts = new Map<string, number>();
  const agent = new http.Agent({ keepAlive: true });
  const server = http.createServer((req, res) => {
    const key = originKey(req.url!);
    counts.set(key, (counts.get(key) ?? 0) + 1);
    const upstream = http.request(`${origin}${req.url}`, { method: req.method, headers: req.headers, agent }, (answer) => {
      res.writeHead(answer.statusCode!, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    // The edge gave up on a held request: release it at the origin too.
    res.on('close', () => res.writableFinished || upstream.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    counts,
    close: () => {
      agent.destroy();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    }
  };
}

interface Received {
  uri: string;
  seq: number;
  sha1: string;
  at: number;
}

interface ViewerRun {
  rendition: string;
  parts: Received[];
  failures: string[];
}

const partSeq = (uri: string) => Number(/^part-(\d+)\.m4s$/.exec(uri)?.[1]);
const sha1 = (bytes: ArrayBuffer) => createHash('sha1').update(Buffer.from(bytes)).digest('hex');

/**
 * What hls.js does in low-latency mode: a blocking reload for the part after the newest one it knows
 * (`_HLS_msn`/`_HLS_part`, a delta update), then every part the answer lists that it lacks. Each
 * viewer adds its own session argument, as players with session ids or cache busters do.
 */
async function watch(base: string, viewer: number, until: number): Promise<ViewerRun> {
  const rendition = RENDITIONS[viewer % RENDITIONS.length]!;
  const dir = `${base}/${rendition}/`;
  const session = `session=${viewer}`;
  const run: ViewerRun = { rendition, parts: [], failures: [] };
  const get = async (url: string): Promise<Response | null> => {
    const res = await fetch(url).catch((err: Error) => err);
    if (res instanceof Response && res.status === 200) return res;
    run.failures.push(`${url}: ${res instanceof Response ? res.status : res.message}`);
    return null;
  };
  const first = await get(`${dir}index.m3u8?${session}`);
  if (!first) return run;
  let playlist: ParsedPlaylist = parseMediaPlaylist(await first.text());
  // Start a few parts back from the newest, as a player starts PART-HOLD-BACK behind live.
  let lastSeq = partSeq(playlist.segments.flatMap((s) => s.parts).at(-1)!.uri) - 3;
  while (Date.now() < until) {
    for (const part of playlist.segments.flatMap((s) => s.parts).filter((p) => partSeq(p.uri) > lastSeq)) {
      const res = await get(`${dir}${part.uri}?${session}`);
      if (!res) return run;
      run.parts.push({ uri: part.uri, seq: partSeq(part.uri), sha1: sha1(await res.arrayBuffer()), at: Date.now() });
      lastSeq = partSeq(part.uri);
    }
    const last = playlist.segments.at(-1)!;
    const [msn, index] = last.uri ? [last.msn + 1, 0] : [last.msn, last.parts.length];
    const res = await get(`${dir}index.m3u8?_HLS_msn=${msn}&_HLS_part=${index}&_HLS_skip=YES&${session}`);
    if (!res) return run;
    playlist = parseMediaPlaylist(await res.text());
  }
  return run;
}

requireFfmpeg();

describe('the LL-HLS edge in front of a live show', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hawker-hls-edge-'));
  let app: RunningApp;
  let source: TestPatternSource;
  let showId: string;
  let counter: Awaited<ReturnType<typeof countingPassThrough>>;
  let edge: ScratchHlsEdge;

  beforeAll(async () => {
    app = await startApp(testConfig({ HLS_DIR: dir }), { webHandler: false });
    showId = (await liveShow(app.url, await adminSession(app.url), 'Edge night')).id;
    source = await TestPatternSource.attach(await app.rooms.get(showId), 'ffmpeg');
    counter = await countingPassThrough(app.url);
    edge = await startScratchHlsEdge({ upstreams: [counter.address], accessLog: true });
  }, 60_000);
  afterAll(async () => {
    await edge?.stop();
    await counter?.close();
    await source?.stop();
    await app?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it(`serves ${VIEWERS} viewers every part, asking the origin about once per part`, { timeout: 90_000 }, async () => {
    await expect.poll(() => app.hls.stream(showId)?.rendition('720p')?.playlist.liveState().lastCompleteMsn ?? -1, { timeout: 40_000, interval: 200 }).toBeGreaterThanOrEqual(1);
    const epoch = app.hls.stream(showId)!.epoch;
    const until = Date.now() + WATCH_MS;
    const runs = await Promise.all(Array.from({ length: VIEWERS }, (_, i) => watch(`${edge.url}/hls/${showId}/${epoch}`, i, until)));

    expect(runs.flatMap((r) => r.failures)).toEqual([]);
    // Every part from where each viewer started to where it stopped, none skipped, the origin's own bytes.
    const reference = new Map<string, string>();
    for (const run of runs) {
      expect(run.parts.length).toBeGreaterThanOrEqual(20);
      expect(run.parts.map((p) => p.seq)).toEqual(run.parts.map((_, i) => run.parts[0]!.seq + i));
      for (const p of run.parts) {
        const url = `${app.url}/hls/${showId}/${epoch}/${run.rendition}/${p.uri}`;
        if (!reference.has(url)) reference.set(url, sha1(await (await fetch(url)).arrayBuffer()));
        expect(p.sha1, url).toBe(reference.get(url));
      }
    }

    // Parts and blocking reloads: each asked of the origin at most twice, whatever fifty viewers did.
    const perPart = [...counter.counts].filter(([key]) => /\/part-\d+\.m4s\?|_HLS_msn=\d/.test(key));
    const parts = perPart.filter(([key]) => key.includes('/part-'));
    expect(parts.length).toBeGreaterThanOrEqual(RENDITIONS.length * 20);
    const overAsked = perPart.filter(([, n]) => n > 2);
    expect(overAsked.length, `asked of the origin more than twice: ${overAsked.slice(0, 5).join('; ')}…`).toBe(0);
    // The edge's log counts the same requests the origin saw: the bench counts with it.
    const log = edge.log();
    expect(log.filter(fromOrigin).length).toBe([...counter.counts.values()].reduce((a, b) => a + b, 0));

    // The viewers' first, plain reloads went past the cache: answered no-cache, they are never stored.
    expect(log.filter((e) => /index\.m3u8\?_HLS_msn=-/.test(e.key)).map((e) => e.cache)).toEqual(Array(VIEWERS).fill('BYPASS'));

    // How far behind the first viewer to have a part the others got it: nginx's lock is polled every 500 ms.
    const firstAt = new Map<string, number>();
    for (const run of runs) for (const p of run.parts) firstAt.set(run.rendition + p.uri, Math.min(firstAt.get(run.rendition + p.uri) ?? Infinity, p.at));
    const behind = runs.flatMap((run) => run.parts.map((p) => p.at - firstAt.get(run.rendition + p.uri)!)).sort((a, b) => a - b);
    const mean = (perPart.reduce((sum, [, n]) => sum + n, 0) / perPart.length).toFixed(2);
    console.log(
      `[hls-edge] ${VIEWERS} viewers, ${log.length} requests through the edge, ${parts.length} parts; origin requests per part or blocking reload: mean ${mean}, max ${Math.max(...perPart.map(([, n]) => n))}; ` +
        `a viewer had a part ${percentile(behind, 50)} ms (p50), ${percentile(behind, 95)} ms (p95) after the first viewer did`
    );
  });

  it("keeps the origin's errors out of the cache and passes its CORS header on", async () => {
    const epoch = app.hls.stream(showId)!.epoch;
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${edge.url}/hls/${showId}/${epoch}/360p/part-999999.m4s`);
      expect([res.status, res.headers.get('x-cache'), res.headers.get('cache-control')]).toEqual([404, 'MISS', 'no-store']);
    }
    const master = await fetch(`${edge.url}/hls/${showId}/master.m3u8`);
    expect([master.status, master.headers.get('x-cache'), master.headers.get('access-control-allow-origin')]).toEqual([200, 'BYPASS', '*']);
    expect((await fetch(`${edge.url}/api/shows`)).status).toBe(404);
  });
});
