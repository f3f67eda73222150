import { describe, expect, it } from 'vitest';
import type { CaptionCue } from '#shared/captions.ts';
import { MediaPlaylist } from '../format/media-playlist.ts';
import { expectWellFormed, parseMediaPlaylist } from '../../testing/hls-playlist-reader.ts';
import { CaptionTrack, shownMs, subtitleName } from './caption-track.ts';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const WINDOW = { targetDuration: 2, partTarget: 0.2, windowSegments: 3 };

/** A video rendition and its subtitle track, fed as LiveStream feeds them: 0.2 s parts, a keyframe every 5. */
function stream() {
  const video = new MediaPlaylist(WINDOW);
  video.setInit(new Uint8Array([1]));
  const track = new CaptionTrack(WINDOW);
  let media = 0;
  let frames = 0;
  const feed = (n: number) => {
    for (let i = 0; i < n; i++) {
      const independent = frames++ % 5 === 0;
      const part = video.addPart({ bytes: new Uint8Array([frames]), duration: 0.2, independent, programDateTime: T0 + media * 1000, mediaTime: media });
      if (part) track.follow(video, part, media);
      media = Math.round((media + 0.2) * 10) / 10;
    }
  };
  return { video, track, feed, now: () => T0 + media * 1000 };
}

const cue = (over: Partial<CaptionCue> = {}): CaptionCue => ({
  id: 'u1',
  showId: 's1',
  text: 'Fresh tuna today',
  final: true,
  language: 'en',
  startAt: T0,
  endAt: T0 + 2000,
  ...over
});

const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);

describe('caption track', () => {
  it('mirrors the video rendition: same sequence numbers, durations, dates and window', () => {
    const { video, track, feed } = stream();
    feed(47);
    const v = parseMediaPlaylist(video.render());
    const s = parseMediaPlaylist(track.playlist.render());
    expectWellFormed(s, { webvtt: true });
    expect(s.mediaSequence).toBe(v.mediaSequence);
    expect(s.segments.map((x) => [x.msn, x.duration, x.programDateTime, x.parts.length])).toEqual(
      v.segments.map((x) => [x.msn, x.duration, x.programDateTime, x.parts.length])
    );
    expect(s.segments.at(-1)!.parts.map((p) => p.uri)).toEqual(v.segments.at(-1)!.parts.map((p) => p.uri.replace('.m4s', '.vtt')));
  });

  it('puts a final caption in the next part at its place on the media timeline; interim, empty and repeated ones stay out', () => {
    const { track, feed } = stream();
    feed(10); // media 0–2 s
    expect(track.add(cue({ id: 'u1', final: false, startAt: T0 + 2100, endAt: T0 + 2900, text: 'Fresh tu' }))).toBe(false);
    expect(track.add(cue({ id: 'u0', startAt: T0 + 1100, endAt: T0 + 1900, text: '' }))).toBe(false);
    expect(track.add(cue({ id: 'u1', startAt: T0 + 2100, endAt: T0 + 3900 }))).toBe(true);
    expect(track.add(cue({ id: 'u1', startAt: T0 + 2100, endAt: T0 + 3900 }))).toBe(false);
    expect(track.language).toBe('en');
    feed(1); // part 10, media 2.0–2.2 s
    expect(text(track.playlist.resource('part-10.vtt'))).toBe(
      'WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:198000,LOCAL:00:00:02.200\n\nu1\n00:00:02.100 --> 00:00:03.900\nFresh tuna today\n'
    );
    feed(10); // segment 1 closes when part 20 starts segment 2
    // The segment holds the cue; the map anchors at its end, the same identity as its parts'.
    expect(text(track.playlist.resource('seg-1.vtt'))).toBe(
      'WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:360000,LOCAL:00:00:04.000\n\nu1\n00:00:02.100 --> 00:00:03.900\nFresh tuna today\n'
    );
  });

  it('shows a late caption from the open part rather than in media already published, and never loses it', () => {
    const { track, feed } = stream();
    feed(23); // media up to 4.6 s published; segment 2 open
    track.add(cue({ id: 'late', startAt: T0 + 1000, endAt: T0 + 2500, text: 'about the scarf' }));
    feed(1); // part 23: media 4.6–4.8 s
    const part = text(track.playlist.resource('part-23.vtt'));
    expect(part).toContain('late\n00:00:04.600 --> 00:00:06.100\nabout the scarf');
    // Published parts never change.
    expect(text(track.playlist.resource('part-22.vtt'))).not.toContain('scarf');
  });

  it('repeats a caption still on screen at the start of the next segment, so a player starting there has it', () => {
    const { track, feed } = stream();
    feed(8);
    track.add(cue({ id: 'long', startAt: T0 + 1600, endAt: T0 + 4000, text: 'spans two segments' }));
    feed(2);
    feed(1); // part 10 opens segment 1 at 2.0 s; the cue runs to 4.0 s
    expect(text(track.playlist.resource('part-10.vtt'))).toContain('long\n00:00:01.600 --> 00:00:04.000');
    feed(20);
    expect(text(track.playlist.resource('seg-1.vtt'))).toContain('spans two segments');
    expect(text(track.playlist.resource('seg-2.vtt'))).toBe('WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:540000,LOCAL:00:00:06.000\n');
  });

  it('follows a discontinuity and keeps captions waiting for the new timeline', () => {
    const { video, track, feed } = stream();
    feed(12);
    video.discontinuity();
    track.discontinuity();
    track.add(cue({ id: 'after', startAt: T0, endAt: T0 + 1000 }));
    feed(3); // not independent: dropped by both until the next keyframe, which becomes part 12
    feed(5);
    const s = parseMediaPlaylist(track.playlist.render());
    const v = parseMediaPlaylist(video.render());
    expect(s.segments.map((x) => [x.msn, x.discontinuity])).toEqual(v.segments.map((x) => [x.msn, x.discontinuity]));
    expect(s.segments.at(-1)!.discontinuity).toBe(true);
    expect(text(track.playlist.resource('part-12.vtt'))).toContain('after');
  });

  it('keeps a bounded queue: a burst keeps its newest captions', () => {
    const { track, feed } = stream();
    feed(1);
    for (let i = 0; i < 40; i++) track.add(cue({ id: `b${i}`, startAt: T0 + 300, endAt: T0 + 500, text: `burst ${i}` }));
    feed(1);
    const part = text(track.playlist.resource('part-1.vtt'));
    expect(part).not.toContain('burst 7\n');
    expect(part).toContain('burst 8\n');
    expect(part).toContain('burst 39\n');
  });

  it('is announced when captions are turned on, and a final still in flight after they are turned off does not announce it again', () => {
    const { track, feed } = stream();
    expect(track.language).toBeNull();
    track.setLanguage('ko');
    expect(track.language).toBe('ko');
    track.setLanguage(null);
    feed(1);
    expect(track.add(cue({ id: 'last-words' }))).toBe(true);
    expect(track.language).toBeNull();
  });

  it('stops taking captions once ended', () => {
    const { track, feed } = stream();
    feed(5);
    track.end();
    expect(track.add(cue())).toBe(false);
    expect(track.playlist.render()).toContain('#EXT-X-ENDLIST');
  });

  it('names the rendition in its own language and shows a caption long enough to read', () => {
    expect(subtitleName('en')).toBe('English');
    expect(subtitleName('ko')).toBe('한국어');
    expect(subtitleName('zh')).toBe('中文');
    expect(shownMs({ startAt: 0, endAt: 300 })).toBe(1500);
    expect(shownMs({ startAt: 0, endAt: 60_000 })).toBe(7000);
    expect(shownMs({ startAt: 0, endAt: 2500 })).toBe(2500);
  });
});
