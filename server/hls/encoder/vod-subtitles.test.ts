import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CaptionCue } from '#shared/captions.ts';
import { parseMediaPlaylist } from '../../testing/hls-playlist-reader.ts';
import { recordCue, writeVodSubtitles, type RecordedSegment } from './vod-subtitles.ts';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const cue = (id: string, startAt: number, endAt: number, text = id): CaptionCue => ({ id, showId: 's', text, final: true, language: 'ko', startAt, endAt });

/** Two runs of 2 s segments: the second (after a restart) starts its media time over at 0. */
const SEGMENTS: RecordedSegment[] = [
  { msn: 0, duration: 2, discontinuity: false, programDateTime: T0, mediaTime: 0 },
  { msn: 1, duration: 2, discontinuity: false, programDateTime: T0 + 2000, mediaTime: 2 },
  { msn: 2, duration: 2, discontinuity: true, programDateTime: T0 + 10_000, mediaTime: 0 }
];

describe('replay subtitles', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'hawker-vod-subs-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, 'subtitles', file), 'utf8');

  it('writes a segment per video segment with each caption where it was spoken, repeated in every segment it spans', async () => {
    const dir = tmp();
    await recordCue(dir, cue('a', T0 + 1500, T0 + 3000, 'spans the first two'));
    await recordCue(dir, cue('b', T0 + 10_500, T0 + 11_000, 'after the restart'));
    fs.appendFileSync(path.join(dir, 'subtitles', 'cues.jsonl'), '{"torn');
    const rendition = await writeVodSubtitles(dir, SEGMENTS, { targetDuration: 2, playlist: 'vod.m3u8' });
    expect(rendition).toEqual({ groupId: 'cc', name: '한국어', language: 'ko', uri: 'subtitles/vod.m3u8' });

    const playlist = parseMediaPlaylist(read(dir, 'vod.m3u8'));
    expect(playlist.playlistType).toBe('VOD');
    expect(playlist.segments.map((s) => [s.msn, s.uri, s.duration, s.discontinuity, s.map])).toEqual([
      [0, 'seg-0.vtt', 2, false, undefined],
      [1, 'seg-1.vtt', 2, false, undefined],
      [2, 'seg-2.vtt', 2, true, undefined]
    ]);
    expect(read(dir, 'seg-0.vtt')).toBe('WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:180000,LOCAL:00:00:02.000\n\na\n00:00:01.500 --> 00:00:03.000\nspans the first two\n');
    expect(read(dir, 'seg-1.vtt')).toContain('a\n00:00:01.500 --> 00:00:03.000\n');
    // On the second run's own media timeline.
    expect(read(dir, 'seg-2.vtt')).toBe('WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:180000,LOCAL:00:00:02.000\n\nb\n00:00:00.500 --> 00:00:02.000\nafter the restart\n');
  });

  it('writes nothing without captions, or for a recording that did not keep media times', async () => {
    expect(await writeVodSubtitles(tmp(), SEGMENTS, { targetDuration: 2, playlist: 'vod.m3u8' })).toBeNull();
    const cleared = tmp();
    await recordCue(cleared, cue('noise', T0, T0 + 1000, ''));
    expect(await writeVodSubtitles(cleared, SEGMENTS, { targetDuration: 2, playlist: 'vod.m3u8' })).toBeNull();
    const dir = tmp();
    await recordCue(dir, cue('a', T0, T0 + 1000));
    const legacy = SEGMENTS.map(({ mediaTime: _, ...s }) => s);
    expect(await writeVodSubtitles(dir, legacy, { targetDuration: 2, playlist: 'vod.m3u8' })).toBeNull();
  });
});
