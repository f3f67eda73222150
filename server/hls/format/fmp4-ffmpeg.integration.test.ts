import { describe, expect, it } from 'vitest';
import { concat } from './boxes.ts';
import { Fmp4Parser, type Fmp4Event, type Fragment, type InitSegment } from './fmp4.ts';
import { FMP4_OUTPUT, runFfmpeg, videoFmp4 } from '../../testing/ffmpeg.ts';
import { randomChunks } from '../../testing/random-chunks.ts';

function parseAll(chunks: readonly Uint8Array[]): { init: InitSegment[]; fragments: Fragment[]; events: Fmp4Event[] } {
  const parser = new Fmp4Parser();
  const events = chunks.flatMap((c) => parser.push(c));
  return {
    events,
    init: events.flatMap((e) => (e.type === 'init' ? [e.init] : [])),
    fragments: events.flatMap((e) => (e.type === 'fragment' ? [e.fragment] : []))
  };
}

describe('fragmented MP4 from FFmpeg', () => {
  const video = videoFmp4(3);

  it('yields the same init and fragments however the stream is chunked', () => {
    const whole = parseAll([video]);
    for (const [seed, max] of [
      [1, 7],
      [2, 100],
      [3, 5000],
      [4, 70000]
    ] as const) {
      const split = parseAll(randomChunks(video, seed, max));
      expect(split.events).toEqual(whole.events);
    }
    const byteByByte = parseAll([...video].map((b) => new Uint8Array([b])));
    expect(byteByByte.events).toEqual(whole.events);
  });

  it('describes the video track from the init segment', () => {
    const { init, events } = parseAll([video]);
    expect(events[0]!.type).toBe('init');
    expect(init).toHaveLength(1);
    const [track] = init[0]!.tracks;
    expect(track).toMatchObject({ kind: 'video', width: 320, height: 180 });
    expect(track!.codec).toMatch(/^avc1\.[0-9a-f]{6}$/);
    expect(track!.timescale).toBeGreaterThan(0);
    expect(Buffer.from(init[0]!.bytes.subarray(4, 8)).toString()).toBe('ftyp');
  });

  it('gives each fragment its duration, decode time and keyframe flag', () => {
    const { init, fragments } = parseAll([video]);
    const timescale = init[0]!.tracks[0]!.timescale;
    expect(fragments.length).toBeGreaterThanOrEqual(15);
    let total = 0;
    fragments.forEach((f, i) => {
      expect(Buffer.from(f.bytes.subarray(4, 8)).toString()).toBe('moof');
      expect(f.timescale).toBe(timescale);
      expect(f.duration).toBeGreaterThan(0);
      expect(f.duration).toBeLessThanOrEqual(0.2 + 1e-9);
      // Decode times rise with no gap: each fragment starts where the last ended.
      if (i > 0) expect(f.decodeTime).toBe(fragments[i - 1]!.decodeTime + fragments[i - 1]!.duration * timescale);
      // -g 15 at 30 fps: a keyframe every 0.5 s, and only there.
      const start = f.decodeTime / timescale;
      const onGop = Math.abs(start * 2 - Math.round(start * 2)) < 1e-6;
      expect(f.independent).toBe(onGop);
      total += f.duration;
    });
    expect(fragments[0]!.decodeTime).toBe(0);
    expect(total).toBeCloseTo(3, 5);
    expect(fragments.filter((f) => f.independent)).toHaveLength(6);
  });

  it('accounts for every byte up to the trailing index', () => {
    const { init, fragments } = parseAll([video]);
    const rebuilt = concat([init[0]!.bytes, ...fragments.map((f) => f.bytes)]);
    expect(Buffer.compare(Buffer.from(rebuilt), video.subarray(0, rebuilt.length))).toBe(0);
    expect(video.subarray(rebuilt.length + 4, rebuilt.length + 8).toString()).toBe('mfra');
  });

  it('handles an AAC audio stream: every fragment independent', () => {
    const audio = runFfmpeg(['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-t', '2', '-c:a', 'aac', ...FMP4_OUTPUT]);
    const { init, fragments } = parseAll(randomChunks(audio, 9, 3000));
    expect(init[0]!.tracks).toEqual([{ id: 1, kind: 'audio', timescale: 48000, codec: 'mp4a.40.2' }]);
    expect(fragments.every((f) => f.independent)).toBe(true);
    // AAC frames are 1024 samples, so 0.2 s fragments come out at 10 frames.
    expect(fragments[0]!.duration).toBeCloseTo(10240 / 48000, 9);
    expect(fragments.reduce((s, f) => s + f.duration, 0)).toBeCloseTo(2, 1);
  });

  it('takes timing and keyframes from the video track of a muxed stream', () => {
    const muxed = runFfmpeg([
      ...['-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=30', '-f', 'lavfi', '-i', 'sine=sample_rate=48000', '-t', '2'],
      ...['-c:v', 'libx264', '-g', '15', '-sc_threshold', '0', '-c:a', 'aac'],
      ...FMP4_OUTPUT
    ]);
    const { init, fragments } = parseAll(randomChunks(muxed, 5, 4000));
    expect(init[0]!.tracks.map((t) => [t.kind, t.codec.slice(0, 4)])).toEqual([
      ['video', 'avc1'],
      ['audio', 'mp4a']
    ]);
    const videoId = init[0]!.tracks[0]!.id;
    expect(fragments.every((f) => f.trackId === videoId)).toBe(true);
    expect(fragments.map((f) => f.independent).slice(0, 6)).toEqual([true, false, false, true, false, false]);
    expect(fragments.reduce((s, f) => s + f.duration, 0)).toBeCloseTo(2, 5);
  });
});
