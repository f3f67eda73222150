import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../app.ts';
import { TestPatternSource } from '../demo/test-pattern-source.ts';
import { adminSession, getJson, liveShow, postJson } from '../testing/http.ts';
import { testConfig } from '../testing/test-config.ts';
import { requireFfmpeg } from '../testing/ffmpeg.ts';
import { parseMediaPlaylist } from '../testing/hls-playlist-reader.ts';

async function put(url: string, body: unknown, cookie: string) {
  const res = await fetch(url, { method: 'PUT', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify(body) });
  return (await res.json()) as { overlay: { rev: number } };
}

requireFfmpeg();

describe('overlay changes as timed metadata in the LL-HLS stream', () => {
  let app: RunningApp;
  let source: TestPatternSource;
  let showId: string;
  let admin: string;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hawker-hls-meta-'));

  beforeAll(async () => {
    app = await startApp(testConfig({ HLS_DIR: dir }), { webHandler: false });
    admin = await adminSession(app.url);
    showId = (await liveShow(app.url, admin, 'Metadata night')).id;
    source = await TestPatternSource.attach(await app.rooms.get(showId), 'ffmpeg');
  });
  afterAll(async () => {
    await source?.stop();
    await app?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('marks each pin in every rendition at the moment it was made, each range ending at the next', { timeout: 60_000 }, async () => {
    await expect.poll(() => app.hls.status(showId).live, { timeout: 30_000 }).toBe(true);
    const products = await Promise.all(
      ['Linen shirt', 'Canvas tote'].map(async (title) => (await postJson(`${app.url}/api/products`, { title, currency: 'USD', price: 3000, stock: 4 }, admin)).json.product.id as string)
    );
    await fetch(`${app.url}/api/shows/${showId}/lineup`, { method: 'PUT', headers: { 'content-type': 'application/json', cookie: admin }, body: JSON.stringify({ productIds: products }) });
    const first = await put(`${app.url}/api/shows/${showId}/pins`, { productIds: [products[0]] }, admin);
    const second = await put(`${app.url}/api/shows/${showId}/pins`, { productIds: [products[1]] }, admin);
    expect(second.overlay.rev).toBeGreaterThan(first.overlay.rev);
    const timeline = (await getJson(`${app.url}/api/shows/${showId}/timeline`)).json.events as { at: number; type: string }[];
    const pins = timeline.filter((e) => e.type === 'pin');

    const stream = app.hls.stream(showId)!;
    for (const { rendition } of stream.renditions) {
      const text = await (await fetch(`${app.url}/hls/${showId}/${stream.epoch}/${rendition.name}/index.m3u8`)).text();
      const playlist = parseMediaPlaylist(text);
      expect(playlist.dateRanges, rendition.name).toEqual(
        [first, second].map(({ overlay }, i) => ({
          ID: `overlay-${overlay.rev}`,
          CLASS: 'com.hawker.overlay',
          'START-DATE': new Date(pins[i]!.at).toISOString(),
          'END-ON-NEXT': 'YES',
          'X-COM-HAWKER-REV': String(overlay.rev),
          'X-COM-HAWKER-KIND': 'pin'
        }))
      );
      // The marks sit on the stream's own clock: just past the newest media, which the encoder has yet to deliver.
      const newest = Date.parse(playlist.segments.at(-1)!.programDateTime!);
      expect(pins[1]!.at - newest).toBeGreaterThan(0);
      expect(pins[1]!.at - newest).toBeLessThan(2 * playlist.targetDuration * 1000 + 1000);
    }
  });
});
