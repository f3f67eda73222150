/**
 * A live stream's subtitle rendition: a WebVTT media playlist that follows the
 * first video rendition part for part, so its segments have the same media
 * sequence numbers, durations, discontinuities and program date-times. Each
 * part carries the final captions that arrived while the video part was being
 * made, timed on the video's media timeline through that segment's date.
 *
 * Only finals go in. Parts and segments are immutable (CDN-cached for a year):
 * a cue written there can never be corrected or taken back, and an interim
 * version would stay on screen beside the final that replaced it (players keep
 * the first cue they see with an id and drop later ones carrying it).
 */
import type { CaptionCue } from '#shared/captions.ts';
import { MediaPlaylist } from '../format/media-playlist.ts';
import type { Part } from '../format/segment.ts';
import { webVttDocument, type WebVttCue } from '../format/webvtt.ts';

/** The rendition's directory in URLs and on disk; no ladder rendition may take it. */
export const SUBTITLES_RENDITION = 'subtitles';
/** GROUP-ID the variants name in SUBTITLES=. */
export const SUBTITLES_GROUP = 'cc';

/** A cue is shown at least this long, so a short utterance can be read. */
const MIN_SHOWN_MS = 1500;
/** …and at most this long, so a long one does not linger over what follows. */
const MAX_SHOWN_MS = 7000;
/** Captions waiting for the next part; a burst beyond this drops the oldest. */
const MAX_PENDING = 32;
/** Published cues still on screen, repeated at the next segment's start. */
const MAX_ACTIVE = 16;
/** Cue ids remembered to drop a final delivered twice. */
const REMEMBERED_IDS = 256;

export interface CaptionTrackOptions {
  targetDuration: number;
  partTarget: number;
  windowSegments: number;
}

/** How long a caption stays up, from when it starts. */
export function shownMs(cue: Pick<CaptionCue, 'startAt' | 'endAt'>): number {
  return Math.min(MAX_SHOWN_MS, Math.max(MIN_SHOWN_MS, cue.endAt - cue.startAt));
}

/** The player's name for a subtitle rendition in `language`, in that language ("English", "한국어"). */
export function subtitleName(language: string): string {
  try {
    return new Intl.DisplayNames([language], { type: 'language' }).of(language) ?? language;
  } catch {
    return language;
  }
}

export class CaptionTrack {
  readonly playlist: MediaPlaylist;
  #language: string | null = null;
  /** The host turned captions off: a final still in flight must not announce them again. */
  #turnedOff = false;
  #pending: CaptionCue[] = [];
  #active: WebVttCue[] = [];
  readonly #seen = new Set<string>();
  /** The open segment's media start (ms) and date (EXT-X-PROGRAM-DATE-TIME), mapping cue dates to media time. */
  #segment: { mediaMs: number; date: number } | null = null;

  constructor(opts: CaptionTrackOptions) {
    this.playlist = new MediaPlaylist({ ...opts, format: 'webvtt' });
  }

  /** The language the rendition is announced in; null while captions are off (nothing announced). */
  get language(): string | null {
    return this.#language;
  }

  /** Announces the rendition (captions on) or stops announcing it (off); its playlist keeps following the video. */
  setLanguage(language: string | null): void {
    this.#language = language;
    this.#turnedOff = language === null;
  }

  /**
   * Queues a final caption for the next part; interim ones, empty ones (a cleared utterance) and
   * repeats are ignored. Returns whether it was taken. Unless captions were turned off, the first one
   * announces the rendition in its language, should it come before the settings do.
   */
  add(cue: CaptionCue): boolean {
    if (!cue.final || !cue.text || this.playlist.liveState().ended || this.#seen.has(cue.id)) return false;
    this.#seen.add(cue.id);
    if (this.#seen.size > REMEMBERED_IDS) this.#seen.delete(this.#seen.values().next().value!);
    if (!this.#turnedOff) this.#language ??= cue.language;
    this.#pending.push(cue);
    if (this.#pending.length > MAX_PENDING) this.#pending.shift();
    return true;
  }

  /**
   * Adds the part matching `part`, just added to `video` (the rendition followed) and starting at
   * `mediaStart` seconds of media time.
   */
  follow(video: MediaPlaylist, part: Part, mediaStart: number): void {
    const listed = video.listed();
    const segment = listed[listed.length - 1]!;
    const startMs = mediaStart * 1000;
    if (part.index === 0) {
      if (segment.discontinuity) this.discontinuity();
      this.#segment = { mediaMs: startMs, date: segment.programDateTime };
    }
    const mapping = this.#segment;
    if (!mapping) return;
    const fresh = this.#pending.splice(0).map((cue) => {
      // A caption comes after the words: if their media is already out, show it from the first media that is not.
      const start = Math.max(startMs, mapping.mediaMs + (cue.startAt - mapping.date));
      return { id: cue.id, startMs: start, endMs: start + shownMs(cue), text: cue.text };
    });
    const stillShown = this.#active.filter((c) => c.endMs > startMs);
    // Every segment holds every cue shown during it, so a player starting there has them too.
    const repeated = part.index === 0 ? stillShown : [];
    this.#active = [...stillShown, ...fresh].slice(-MAX_ACTIVE);
    this.playlist.addPart({
      bytes: webVttDocument(startMs + part.duration * 1000, [...repeated, ...fresh]),
      duration: part.duration,
      independent: part.independent,
      programDateTime: segment.programDateTime,
      mediaTime: mediaStart
    });
  }

  /** The video restarted on a new timeline; cues still to be placed go in after it. */
  discontinuity(): void {
    this.playlist.discontinuity();
    this.#segment = null;
    this.#active = [];
  }

  end(): void {
    this.playlist.end();
    this.#pending = [];
  }
}
