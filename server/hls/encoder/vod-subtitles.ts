/**
 * The replay's subtitles. During the show every final caption is appended to
 * `<recording>/subtitles/cues.jsonl`; when it ends, WebVTT segments matching
 * the recorded video segments (same numbers, durations, discontinuities) are
 * written with each cue at the time its words were spoken, not when it
 * reached the live stream, and the VOD playlist listing them.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { CaptionCue } from '#shared/captions.ts';
import type { SubtitleRendition } from '../format/multivariant-playlist.ts';
import { renderVodPlaylist } from '../format/media-render.ts';
import type { Segment } from '../format/segment.ts';
import { segmentUri } from '../format/uris.ts';
import { MAX_CUE_CHARS, webVttDocument, type WebVttCue } from '../format/webvtt.ts';
import { shownMs, subtitleName, SUBTITLES_GROUP, SUBTITLES_RENDITION } from './caption-track.ts';

const CUES = 'cues.jsonl';

/** What the recording's index says of a video segment that the subtitles need. */
export interface RecordedSegment {
  msn: number;
  duration: number;
  discontinuity: boolean;
  programDateTime: number;
  /** Media time of its first sample, seconds; absent in recordings made before subtitles were kept. */
  mediaTime?: number;
}

type StoredCue = Pick<CaptionCue, 'id' | 'text' | 'language' | 'startAt' | 'endAt'>;

/** Appends a final caption to the recording; an empty one (a cleared utterance) has nothing to keep. */
export async function recordCue(recordingDir: string, cue: CaptionCue): Promise<void> {
  if (!cue.text) return;
  const dir = path.join(recordingDir, SUBTITLES_RENDITION);
  await fs.mkdir(dir, { recursive: true });
  // Longer text is cut when written out anyway; this bounds what a runaway engine can put on disk.
  const stored: StoredCue = { id: cue.id, text: cue.text.slice(0, 2 * MAX_CUE_CHARS), language: cue.language, startAt: cue.startAt, endAt: cue.endAt };
  await fs.appendFile(path.join(dir, CUES), JSON.stringify(stored) + '\n');
}

/**
 * Writes the VOD subtitle segments and playlist for `segments` (the first video rendition's index)
 * and returns the rendition for the VOD's multivariant playlist, or null when there are no captions.
 */
export async function writeVodSubtitles(
  recordingDir: string,
  segments: readonly RecordedSegment[],
  opts: { targetDuration: number; playlist: string }
): Promise<SubtitleRendition | null> {
  const dir = path.join(recordingDir, SUBTITLES_RENDITION);
  const cues = await readCues(dir);
  if (cues.length === 0 || segments.length === 0 || segments.some((s) => s.mediaTime === undefined)) return null;
  for (const s of segments) {
    const from = s.programDateTime;
    const to = from + s.duration * 1000;
    const toMedia = (at: number) => s.mediaTime! * 1000 + (at - from);
    const inside: WebVttCue[] = cues
      .filter((c) => c.startAt < to && c.startAt + shownMs(c) > from)
      .map((c) => ({ id: c.id, startMs: toMedia(c.startAt), endMs: toMedia(c.startAt + shownMs(c)), text: c.text }));
    await fs.writeFile(path.join(dir, segmentUri(s.msn, 'vtt')), webVttDocument(toMedia(to), inside));
  }
  const listed: Segment[] = segments.map((s) => ({ ...s, parts: [], initId: -1, complete: true }));
  await fs.writeFile(path.join(dir, opts.playlist), renderVodPlaylist(listed, { targetDuration: opts.targetDuration, format: 'webvtt' }));
  const language = cues[cues.length - 1]!.language;
  return { groupId: SUBTITLES_GROUP, name: subtitleName(language), language, uri: `${SUBTITLES_RENDITION}/${opts.playlist}` };
}

async function readCues(dir: string): Promise<StoredCue[]> {
  const text = await fs.readFile(path.join(dir, CUES), 'utf8').catch(() => '');
  const cues = text
    .split('\n')
    .filter(Boolean)
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as StoredCue];
      } catch {
        return []; // a torn last line after a crash
      }
    });
  return cues.sort((a, b) => a.startAt - b.startAt);
}
