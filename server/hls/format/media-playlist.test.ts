import { describe, expect, it } from 'vitest';
import { MediaPlaylist, type MediaPlaylistOptions } from './media-playlist.ts';
import { segmentBytes, type Segment } from './segment.ts';
import { renderVodPlaylist } from './media-render.ts';
import { expectWellFormed, parseMediaPlaylist, type ParsedPlaylist } from '../../testing/hls-playlist-reader.ts';

const INIT = new Uint8Array([1, 2, 3]);
const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);

/** A playlist with a controllable clock. */
function playlist(opts: Partial<MediaPlaylistOptions> = {}) {
  const clock = { now: T0 };
  const pl = new MediaPlaylist({ targetDuration: 2, partTarget: 0.2, now: () => clock.now, ...opts });
  pl.setInit(INIT);
  return { pl, clock };
}

/** Appends `count` 0.2 s parts with a keyframe every `gop` parts; part bytes encode the part's number. */
function feed(pl: MediaPlaylist, count: number, gop = 5, duration = 0.2) {
  for (let i = 0; i < count; i++) {
    const n = pl.liveState().nextPartSeq;
    pl.addPart({ bytes: new Uint8Array([n & 0xff, n >> 8]), duration, independent: i % gop === 0 });
  }
}

function parsed(pl: MediaPlaylist, opts: Parameters<MediaPlaylist['render']>[0] = {}): ParsedPlaylist {
  return parseMediaPlaylist(pl.render(opts));
}

describe('media playlist model', () => {
  it('groups parts into segments cut at keyframes and numbers everything', () => {
    const { pl } = playlist();
    feed(pl, 25); // 2 full segments of 10 parts, then 5 parts of the third
    const p = parsed(pl);
    expectWellFormed(p);
    expect(p.version).toBe(6);
    expect(p.targetDuration).toBe(2);
    expect(p.partTarget).toBe(0.2);
    expect(p.serverControl).toEqual({ 'CAN-BLOCK-RELOAD': 'YES', 'CAN-SKIP-UNTIL': '12', 'PART-HOLD-BACK': '0.6' });
    expect(p.mediaSequence).toBe(0);
    expect(p.segments.map((s) => [s.msn, s.uri, s.duration, s.parts.length])).toEqual([
      [0, 'seg-0.m4s', 2, 10],
      [1, 'seg-1.m4s', 2, 10],
      [2, undefined, undefined, 5]
    ]);
    expect(p.segments[1]!.parts.map((x) => x.uri)).toEqual(Array.from({ length: 10 }, (_, i) => `part-${10 + i}.m4s`));
    expect(p.segments[1]!.parts.map((x) => x.independent)).toEqual([true, false, false, false, false, true, false, false, false, false]);
    expect(p.preloadHint).toEqual({ TYPE: 'PART', URI: 'part-25.m4s' });
    expect(pl.liveState()).toMatchObject({ lastMsn: 2, lastPart: 4, lastCompleteMsn: 1, nextPartSeq: 25 });
    expect(p.segments.every((s) => s.map === 'init-0.mp4')).toBe(true);
  });

  it('waits for a keyframe to end a segment, so every segment starts independent', () => {
    const { pl } = playlist();
    feed(pl, 40, 3); // keyframe every 0.6 s: segments close at 2.4 s
    const p = parsed(pl);
    expectWellFormed(p);
    const complete = p.segments.filter((s) => s.uri);
    expect(complete.map((s) => s.duration)).toEqual([2.4, 2.4, 2.4]);
    for (const s of pl.listed()) expect(s.parts[0]!.independent).toBe(true);
    expect(p.targetDuration).toBe(2); // 2.4 rounds to 2 (§6.2.1)
  });

  it('drops leading parts that cannot start a segment and insists on an init segment', () => {
    const { pl } = playlist();
    expect(pl.addPart({ bytes: new Uint8Array(1), duration: 0.2, independent: false })).toBeNull();
    expect(pl.addPart({ bytes: new Uint8Array(1), duration: 0.2, independent: true })).toMatchObject({ seq: 0, msn: 0, index: 0 });
    const bare = new MediaPlaylist({ targetDuration: 2, partTarget: 0.2 });
    expect(() => bare.addPart({ bytes: new Uint8Array(1), duration: 0.2, independent: true })).toThrow(/setInit/);
  });

  it('lists EXT-X-PART for every segment with media in the last three target durations, and no older', () => {
    const { pl } = playlist();
    feed(pl, 10 * 5 + 3);
    const p = parsed(pl);
    const total = p.segments.reduce((sum, s) => sum + (s.duration ?? s.parts.reduce((a, x) => a + x.duration, 0)), 0);
    let end = 0;
    for (const s of p.segments) {
      end += s.duration ?? 0;
      expect(s.parts.length > 0).toBe(s.duration === undefined || total - end < 3 * p.targetDuration);
    }
    expect(p.segments.filter((s) => s.parts.length > 0).map((s) => s.msn)).toEqual([2, 3, 4, 5]);
  });

  it('advertises a PART-TARGET that covers every part, even one longer than configured', () => {
    const { pl } = playlist();
    feed(pl, 12);
    pl.addPart({ bytes: new Uint8Array(1), duration: 0.21333, independent: false });
    const p = parsed(pl);
    expect(p.partTarget).toBe(0.21333);
    expectWellFormed(p);
  });

  it('stamps each segment with the wall clock of its first part', () => {
    const { pl, clock } = playlist();
    clock.now = T0 + 200;
    feed(pl, 30);
    const p = parsed(pl);
    expect(p.segments.map((s) => s.programDateTime)).toEqual([
      '2025-01-01T12:00:00.000Z',
      '2025-01-01T12:00:02.000Z',
      '2025-01-01T12:00:04.000Z'
    ]);
    pl.addPart({ bytes: new Uint8Array(1), duration: 0.2, independent: true, programDateTime: T0 + 60_000 });
    expect(pl.listed().at(-1)!.programDateTime).toBe(T0 + 60_000);
  });

  it('slides the window and hands each evicted segment to the callback', () => {
    const evicted: { msn: number; init: Uint8Array | undefined }[] = [];
    const { pl } = playlist({ windowSegments: 4, onEvict: (s, init) => evicted.push({ msn: s.msn, init }) });
    feed(pl, 10 * 9 + 1); // 9 complete segments and one part of the tenth
    const p = parsed(pl);
    expectWellFormed(p);
    expect(evicted.map((e) => e.msn)).toEqual([0, 1, 2, 3, 4]);
    expect(evicted.every((e) => e.init === INIT)).toBe(true);
    expect(p.mediaSequence).toBe(5);
    expect(p.segments.map((s) => s.msn)).toEqual([5, 6, 7, 8, 9]);
    // Evicted segments stay downloadable for another window, then go.
    expect(pl.resource('seg-2.m4s')).toBeDefined();
    expect(pl.resource('part-10.m4s')).toEqual(new Uint8Array([10, 0]));
    expect(pl.resource('seg-0.m4s')).toBeUndefined();
    expect(pl.resource('part-0.m4s')).toBeUndefined();
  });

  it('never shrinks the playlist below three target durations', () => {
    // 1.5 s segments advertise a target duration of 2, so three of them (4.5 s) are too few.
    const { pl } = playlist({ windowSegments: 3, targetDuration: 1.5, partTarget: 0.5 });
    feed(pl, 3 * 10, 1, 0.5);
    expect(pl.targetDuration).toBe(2);
    const complete = pl.listed().filter((s) => s.complete);
    expect(complete).toHaveLength(4);
    expect(complete.reduce((sum, s) => sum + s.duration, 0)).toBeGreaterThanOrEqual(3 * pl.targetDuration);
  });

  it('serves segments as their parts back to back, and the init segment', () => {
    const { pl } = playlist();
    feed(pl, 12);
    const seg0 = pl.listed()[0]!;
    expect(pl.resource('seg-0.m4s')).toEqual(segmentBytes(seg0));
    expect(pl.resource('seg-0.m4s')!.length).toBe(20);
    expect(pl.resource('seg-1.m4s')).toBeUndefined(); // still being written
    expect(pl.resource('init-0.mp4')).toBe(INIT);
    expect(pl.resource('part-11.m4s')).toEqual(new Uint8Array([11, 0]));
    expect(pl.resource('part-12.m4s')).toBeUndefined();
    expect(pl.resource('../secret')).toBeUndefined();
  });

  it('marks the first segment after an encoder restart and counts it out as it slides away', () => {
    const { pl, clock } = playlist({ windowSegments: 5 });
    feed(pl, 25);
    clock.now = T0 + 30_000;
    pl.discontinuity();
    pl.setInit(new Uint8Array([9, 9]));
    feed(pl, 21);
    let p = parsed(pl);
    expectWellFormed(p);
    // The half-written segment 2 was closed by the restart.
    expect(p.segments.map((s) => [s.msn, s.duration, s.discontinuity, s.map])).toEqual([
      [0, 2, false, 'init-0.mp4'],
      [1, 2, false, 'init-0.mp4'],
      [2, 1, false, 'init-0.mp4'],
      [3, 2, true, 'init-1.mp4'],
      [4, 2, false, 'init-1.mp4'],
      [5, undefined, false, 'init-1.mp4']
    ]);
    expect(p.discontinuitySequence).toBe(0);
    expect(pl.render()).toContain('#EXT-X-DISCONTINUITY-SEQUENCE:0\n');
    expect(pl.render()).toMatch(/#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI="init-1.mp4"\n#EXT-X-PROGRAM-DATE-TIME:2025-01-01T12:00:29.800Z\n/);

    feed(pl, 41); // segments 5..8 complete: 9 in all, so 0..3 leave a window of 5
    p = parsed(pl);
    expect(p.mediaSequence).toBe(4);
    expect(p.discontinuitySequence).toBe(1);
    expect(p.segments.some((s) => s.discontinuity)).toBe(false);
    // The old init segment lives as long as segments needing it remain downloadable.
    expect(pl.resource('seg-0.m4s')).toBeDefined();
    expect(pl.resource('init-0.mp4')).toBe(INIT);
    feed(pl, 50);
    expect(pl.resource('seg-2.m4s')).toBeUndefined();
    expect(pl.resource('init-0.mp4')).toBeUndefined();
  });

  it('treats a different init segment as a restart even without discontinuity()', () => {
    const { pl } = playlist();
    feed(pl, 12);
    pl.setInit(INIT.slice()); // same bytes: nothing changes
    feed(pl, 1);
    pl.setInit(new Uint8Array([7]));
    feed(pl, 5);
    expect(pl.listed().map((s) => [s.msn, s.discontinuity, s.initId])).toEqual([
      [0, false, 0],
      [1, false, 0],
      [2, true, 1]
    ]);
  });

  it('reports sibling renditions and itself', () => {
    const { pl } = playlist();
    expect(pl.renditionReport()).toBeNull();
    feed(pl, 13);
    expect(pl.renditionReport()).toEqual({ lastMsn: 1, lastPart: 2 });
    const p = parsed(pl, { renditionReports: [{ uri: '../audio/index.m3u8', lastMsn: 1, lastPart: 3 }] });
    expect(p.renditionReports).toEqual([{ URI: '../audio/index.m3u8', 'LAST-MSN': '1', 'LAST-PART': '3' }]);
  });

  it('ends with EXT-X-ENDLIST and no hint', () => {
    const { pl } = playlist();
    feed(pl, 13);
    pl.end();
    const p = parsed(pl, { skip: true, renditionReports: [{ uri: 'x.m3u8', lastMsn: 0, lastPart: 0 }] });
    expect(p.endList).toBe(true);
    expect(p.preloadHint).toBeUndefined();
    expect(p.renditionReports).toEqual([]);
    expect(p.skipped).toBe(0);
    expect(p.segments.map((s) => [s.msn, s.duration])).toEqual([
      [0, 2],
      [1, 0.6]
    ]);
    expect(() => feed(pl, 1)).toThrow(/ended/);
  });
});

describe('delta updates', () => {
  it('skips exactly the segments that end before CAN-SKIP-UNTIL', () => {
    const { pl } = playlist({ windowSegments: 12 });
    feed(pl, 10 * 14 + 7);
    const full = parsed(pl);
    const delta = parsed(pl, { skip: true });
    const canSkipUntil = Number(full.serverControl!['CAN-SKIP-UNTIL']);

    // Independently: distance from each segment's end to the end of the playlist.
    const durations = full.segments.map((s) => s.duration ?? s.parts.reduce((a, x) => a + x.duration, 0));
    const total = durations.reduce((a, b) => a + b, 0);
    let end = 0;
    const expected = full.segments.filter((s, i) => (end += durations[i]!) < total - canSkipUntil - 1e-9 && s.uri).map((s) => s.msn);

    expect(expected.length).toBeGreaterThan(0);
    expect(delta.version).toBeGreaterThanOrEqual(9);
    expect(delta.skipped).toBe(expected.length);
    expect(delta.mediaSequence).toBe(full.mediaSequence);
    expect(delta.segments[0]!.msn).toBe(expected.at(-1)! + 1);
    expect(delta.segments).toEqual(full.segments.slice(expected.length));
    // The oldest segment kept starts before the boundary: only whole segments beyond it go.
    expect(total - durations.slice(expected.length).reduce((a, b) => a + b, 0) + durations[expected.length]!).toBeGreaterThan(
      total - canSkipUntil
    );
  });

  it('returns the full playlist when nothing is old enough to skip', () => {
    const { pl } = playlist();
    feed(pl, 30);
    const delta = parsed(pl, { skip: true });
    expect(delta.skipped).toBe(0);
    expect(delta.version).toBe(6);
    expect(pl.render({ skip: true })).toBe(pl.render());
  });
});

describe('timed metadata', () => {
  const range = (id: string, at: number) => ({ id, class: 'com.hawker.overlay', startDate: at, attributes: { 'X-COM-HAWKER-REV': Number(id.slice(1)) } });

  it('lists the date ranges in effect for the listed media, in full and delta playlists', () => {
    const { pl } = playlist({ windowSegments: 12 });
    feed(pl, 10 * 14 + 7); // segments from T0 on, 2 s each
    const first = pl.listed()[0]!.programDateTime;
    const ranges = [range('r1', first - 3000), range('r2', first - 1000), range('r3', first + 4000), range('r4', Date.now() + 60_000)];
    const full = parsed(pl, { dateRanges: ranges });
    expect(full.dateRanges.map((d) => d['ID'])).toEqual(['r2', 'r3', 'r4']);
    expect(full.dateRanges[1]).toMatchObject({ 'START-DATE': new Date(first + 4000).toISOString(), 'END-ON-NEXT': 'YES', 'X-COM-HAWKER-REV': '3' });
    const delta = parsed(pl, { skip: true, dateRanges: ranges });
    expect(delta.skipped).toBeGreaterThan(0);
    expect(delta.dateRanges).toEqual(full.dateRanges);
  });

  it('drops a range once the segments it covered have left the window', () => {
    const { pl } = playlist();
    feed(pl, 30);
    const ranges = [range('r1', T0 + 100), range('r2', T0 + 2500)];
    expect(parsed(pl, { dateRanges: ranges }).dateRanges.map((d) => d['ID'])).toEqual(['r1', 'r2']);
    feed(pl, 10 * 12);
    expect(pl.listed()[0]!.programDateTime).toBeGreaterThan(T0 + 2500);
    expect(parsed(pl, { dateRanges: ranges }).dateRanges.map((d) => d['ID'])).toEqual(['r2']);
  });

  it('writes none before the first segment, which carries the date they need', () => {
    const { pl } = playlist();
    expect(pl.render({ dateRanges: [range('r1', T0)] })).not.toContain('DATERANGE');
  });
});

describe('VOD recording', () => {
  it('renders every segment, evicted ones included, without parts or hints', () => {
    const evicted: Segment[] = [];
    const { pl } = playlist({ windowSegments: 3, onEvict: (s) => evicted.push(s) });
    feed(pl, 45);
    pl.discontinuity();
    pl.setInit(new Uint8Array([5]));
    feed(pl, 23);
    pl.end();
    const all = [...evicted, ...pl.listed()];
    const text = renderVodPlaylist(all, { targetDuration: pl.targetDuration });
    const p = parseMediaPlaylist(text);
    expect(p.playlistType).toBe('VOD');
    expect(p.endList).toBe(true);
    expect(p.preloadHint).toBeUndefined();
    expect(text).not.toMatch(/EXT-X-PART|PRELOAD|SERVER-CONTROL/);
    expect(p.segments.map((s) => s.msn)).toEqual(Array.from({ length: 8 }, (_, i) => i));
    expect(p.segments.map((s) => s.duration)).toEqual([2, 2, 2, 2, 1, 2, 2, 0.6]);
    expect(p.segments.filter((s) => s.discontinuity).map((s) => s.msn)).toEqual([5]);
    expect(p.segments.map((s) => s.map)).toEqual([...Array(5).fill('init-0.mp4'), ...Array(3).fill('init-1.mp4')]);
  });
});

describe('WebVTT rendition', () => {
  const vtt = (cue: string) => new TextEncoder().encode(`WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:0,LOCAL:00:00:00.000\n${cue ? `\n${cue}\n` : ''}`);

  it('lists .vtt parts and segments with no EXT-X-MAP, and serves a segment as one document', () => {
    const pl = new MediaPlaylist({ targetDuration: 2, partTarget: 0.2, format: 'webvtt', now: () => T0 });
    expect(() => pl.setInit(INIT)).toThrow(/init/);
    for (let i = 0; i < 12; i++) {
      pl.addPart({ bytes: vtt(i === 3 ? '00:00:00.600 --> 00:00:02.000\nhello' : ''), duration: 0.2, independent: i % 5 === 0, mediaTime: i * 0.2 });
    }
    const text = pl.render();
    const p = parseMediaPlaylist(text);
    expectWellFormed(p, { webvtt: true });
    expect(p.segments.map((s) => [s.msn, s.uri, s.parts.length])).toEqual([
      [0, 'seg-0.vtt', 10],
      [1, undefined, 2]
    ]);
    expect(p.segments[1]!.parts.map((x) => x.uri)).toEqual(['part-10.vtt', 'part-11.vtt']);
    expect(p.preloadHint).toEqual({ TYPE: 'PART', URI: 'part-12.vtt' });
    expect(pl.listed()[1]!.mediaTime).toBe(2);
    expect(new TextDecoder().decode(pl.resource('seg-0.vtt'))).toBe('WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:0,LOCAL:00:00:00.000\n\n00:00:00.600 --> 00:00:02.000\nhello\n');
    // fMP4 names and init segments are not this playlist's.
    expect(pl.resource('seg-0.m4s')).toBeUndefined();
    expect(pl.resource('part-3.m4s')).toBeUndefined();
    expect(pl.resource('part-3.vtt')).toBeDefined();
    expect(pl.resource('init-0.mp4')).toBeUndefined();
    const { pl: video } = playlist();
    feed(video, 3);
    expect(video.resource('part-1.vtt')).toBeUndefined();
  });
});
