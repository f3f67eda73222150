import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logger } from '../../log.ts';
import { DEFAULT_LADDER } from './ladder.ts';
import { MediaPlaylist } from '../format/media-playlist.ts';
import { Recorder } from './recorder.ts';
import { splitFmp4, videoFmp4 } from '../../testing/ffmpeg.ts';
import { parseMediaPlaylist } from '../../testing/hls-playlist-reader.ts';

const media = splitFmp4(videoFmp4(6));
const rendition = DEFAULT_LADDER[1]!;

/** One run of a show: a live playlist (3-segment window, so most segments leave it) recorded to `dir`. */
async function run(dir: string): Promise<void> {
  const playlist = new MediaPlaylist({ targetDuration: 1, partTarget: 0.2, windowSegments: 3 });
  const recorder = new Recorder({ dir, frameRate: 30, ffmpegPath: 'ffmpeg', log: logger('test') });
  await recorder.track(rendition, playlist);
  playlist.setInit(media.init.bytes);
  for (const f of media.fragments) playlist.addPart({ bytes: f.bytes, duration: f.duration, independent: f.independent });
  playlist.end();
  await recorder.finish();
}

describe('recording', () => {
  let dir = '';
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hawker-hls-rec-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const read = (...p: string[]) => fs.readFileSync(path.join(dir, ...p));

  it('keeps every segment, including those gone from the live window, and writes the VOD', async () => {
    await run(dir);
    const vod = parseMediaPlaylist(read('360p', 'vod.m3u8').toString());
    expect(vod.playlistType).toBe('VOD');
    expect(vod.endList).toBe(true);
    expect(vod.segments.length).toBe(6);
    expect(vod.segments.map((s) => s.uri)).toEqual(['seg-0.m4s', 'seg-1.m4s', 'seg-2.m4s', 'seg-3.m4s', 'seg-4.m4s', 'seg-5.m4s']);
    expect(vod.segments.reduce((t, s) => t + s.duration!, 0)).toBeCloseTo(6, 1);
    // Each file is what the live playlist served: its parts back to back.
    expect(read('360p', 'seg-0.m4s').length).toBe(media.fragments.filter((f) => f.decodeTime / f.timescale < 1 - 1e-6).reduce((n, f) => n + f.bytes.length, 0));
    expect(new Uint8Array(read('360p', 'init-0.mp4'))).toEqual(media.init.bytes);

    const master = read('master.m3u8').toString();
    expect(master).toMatch(/#EXT-X-STREAM-INF:BANDWIDTH=\d+,CODECS="avc1\.[0-9a-f]{6}",RESOLUTION=640x360,FRAME-RATE=30\.000\n360p\/vod\.m3u8\n/);
    expect([...read('poster.jpg').subarray(0, 2)]).toEqual([0xff, 0xd8]);
  });

  it('continues the numbering in a later run, marked discontinuous, past a torn index line', async () => {
    fs.appendFileSync(path.join(dir, '360p', 'index.jsonl'), '{"msn":');
    const poster = read('poster.jpg');
    await run(dir);
    const vod = parseMediaPlaylist(read('360p', 'vod.m3u8').toString());
    expect(vod.segments.length).toBe(12);
    expect(vod.segments[6]).toMatchObject({ uri: 'seg-6.m4s', discontinuity: true, map: 'init-1.mp4' });
    expect(vod.segments.filter((s) => s.discontinuity).length).toBe(1);
    expect(read('poster.jpg')).toEqual(poster);
  });
});
