import { describe, expect, it } from 'vitest';
import { Fmp4Parser } from './fmp4.ts';
import { MediaPlaylist } from './media-playlist.ts';
import { videoFmp4 } from '../../testing/ffmpeg.ts';
import { expectWellFormed, parseMediaPlaylist } from '../../testing/hls-playlist-reader.ts';
import { randomChunks } from '../../testing/random-chunks.ts';

describe('packaging FFmpeg output', () => {
  it('cuts segments at keyframes and keeps every part within PART-TARGET', () => {
    const parser = new Fmp4Parser();
    const pl = new MediaPlaylist({ targetDuration: 1, partTarget: 0.2 });
    for (const chunk of randomChunks(videoFmp4(4), 11, 9000)) {
      for (const ev of parser.push(chunk)) {
        if (ev.type === 'init') pl.setInit(ev.init.bytes);
        else pl.addPart({ bytes: ev.fragment.bytes, duration: ev.fragment.duration, independent: ev.fragment.independent });
      }
    }
    const p = parseMediaPlaylist(pl.render());
    expectWellFormed(p);
    const complete = p.segments.filter((s) => s.uri);
    expect(complete.length).toBeGreaterThanOrEqual(3);
    for (const s of complete) expect(s.duration).toBeCloseTo(1, 6); // two 0.5 s GOPs
    expect(p.segments.flatMap((s) => s.parts).filter((x) => x.independent)).toHaveLength(
      p.segments.flatMap((s) => s.parts).length / 3 // 0.2 + 0.2 + 0.1 per GOP
    );
    // A segment is exactly its parts, which are exactly FFmpeg's moof+mdat pairs.
    const seg = pl.resource('seg-0.m4s')!;
    expect(Buffer.from(seg.subarray(4, 8)).toString()).toBe('moof');
    expect(seg.length).toBe(pl.listed()[0]!.parts.reduce((a, x) => a + x.bytes.length, 0));
  });
});
