/**
 * One rendition's live LL-HLS state: parts (one per fMP4 fragment) grouped
 * into segments, the sliding window, discontinuities, and the bytes of every
 * resource still downloadable. Rendering lives in media-render.ts and the
 * part and segment shapes in segment.ts; this file decides what the playlist
 * contains.
 */
import { sameBytes } from './boxes.ts';
import { renderLivePlaylist, type LiveRenderOptions } from './media-render.ts';
import { extensionOf, segmentBytes, type MediaFormat, type Part, type Segment } from './segment.ts';
import { parseResourceUri } from './uris.ts';

export interface PartInput {
  bytes: Uint8Array;
  duration: number;
  independent: boolean;
  /**
   * Wall clock of the part's first sample (ms since the epoch). Only read for
   * the first part of a segment. Pass a value derived from the decode time and
   * one shared anchor to keep renditions' date mappings identical; otherwise
   * segments continue the previous one's clock, and a fresh start (or restart)
   * uses the time of arrival minus the part's duration.
   */
  programDateTime?: number;
  /** Media (decode) time of the part's first sample in seconds; kept for the segment it starts. */
  mediaTime?: number;
}

export interface MediaPlaylistOptions {
  /** Seconds; a segment is cut at the first independent part once it is this long. */
  targetDuration: number;
  /** Seconds; PART-TARGET. Must cover the longest part the encoder produces. */
  partTarget: number;
  /** Complete segments kept in the live playlist (default 10). */
  windowSegments?: number;
  /** fMP4 (default; needs setInit() first) or WebVTT (no init segment; a segment joins its parts' cues). */
  format?: MediaFormat;
  /**
   * Called with each segment (and the init segment it needs) as it leaves the
   * live playlist, e.g. to keep it for the VOD recording (no init for WebVTT).
   */
  onEvict?: (segment: Segment, init: Uint8Array | undefined) => void;
  /** Clock in ms since the epoch; for tests. */
  now?: () => number;
}

/** What blocking reloads and preload-hinted part requests wait on. */
export interface LiveState {
  ended: boolean;
  /** Newest segment holding any part (complete or not); -1 before the first part. */
  lastMsn: number;
  /** Index of the newest part in `lastMsn`; -1 before the first part. */
  lastPart: number;
  /** Newest complete segment; -1 if none. */
  lastCompleteMsn: number;
  /** The part the playlist hints next (EXT-X-PRELOAD-HINT). */
  nextPartSeq: number;
  /** Seconds, as advertised. */
  partTarget: number;
  targetDuration: number;
}

/** Tolerance for comparing sums of float durations against configured limits. */
const EPS = 1e-6;

interface MutableSegment extends Segment {
  parts: Part[];
  duration: number;
  complete: boolean;
  /** Joined on the first whole-segment request, then reused. */
  joined?: Uint8Array;
}

export class MediaPlaylist {
  private readonly configuredTarget: number;
  private readonly configuredPartTarget: number;
  private readonly windowSegments: number;
  private readonly onEvict: (segment: Segment, init: Uint8Array | undefined) => void;
  private readonly now: () => number;
  readonly format: MediaFormat;

  /** Segments still downloadable, oldest first: evicted ones stay a while after leaving the playlist. */
  private segments: MutableSegment[] = [];
  private open: MutableSegment | null = null;
  private mediaSequence = 0;
  private discontinuitySequence = 0;
  private nextMsn = 0;
  private nextPartSeq = 0;
  private pendingDiscontinuity = false;
  private ended = false;
  private longestSegment = 0;
  private longestPart = 0;
  private inits = new Map<number, Uint8Array>();
  private currentInit = -1;
  private readonly listeners = new Set<() => void>();

  constructor(opts: MediaPlaylistOptions) {
    if (!(opts.targetDuration > 0) || !(opts.partTarget > 0)) throw new RangeError('targetDuration and partTarget must be positive');
    if (opts.partTarget > opts.targetDuration) throw new RangeError('partTarget cannot exceed targetDuration');
    this.configuredTarget = opts.targetDuration;
    this.configuredPartTarget = opts.partTarget;
    this.windowSegments = opts.windowSegments ?? 10;
    if (!Number.isInteger(this.windowSegments) || this.windowSegments < 3) throw new RangeError('windowSegments must be an integer ≥ 3');
    this.onEvict = opts.onEvict ?? (() => {});
    this.now = opts.now ?? Date.now;
    this.format = opts.format ?? 'fmp4';
  }

  /** EXT-X-TARGETDURATION: never below the configured value; grows only if a segment rounds above it. */
  get targetDuration(): number {
    return Math.max(Math.ceil(this.configuredTarget - EPS), Math.round(this.longestSegment));
  }

  /** PART-TARGET: grows to the longest part if the encoder overshoots, since longer parts break players. */
  get partTarget(): number {
    return Math.max(this.configuredPartTarget, this.longestPart);
  }

  /** Sets the init segment (EXT-X-MAP). A different one mid-stream implies an encoder restart. */
  setInit(bytes: Uint8Array): void {
    if (this.format !== 'fmp4') throw new Error('only fMP4 playlists have an init segment');
    const current = this.inits.get(this.currentInit);
    if (current && sameBytes(current, bytes)) return;
    if (this.nextMsn > 0) this.discontinuity();
    this.currentInit += 1;
    this.inits.set(this.currentInit, bytes);
  }

  /**
   * Appends one part. Returns null when it is dropped: a segment must start
   * with a keyframe, so non-independent parts with no open segment (stream
   * start or restart) are discarded.
   */
  addPart(input: PartInput): Part | null {
    if (this.ended) throw new Error('playlist has ended');
    if (this.format === 'fmp4' && this.currentInit < 0) throw new Error('setInit() must be called before addPart()');
    if (!(input.duration > 0) || !Number.isFinite(input.duration)) throw new RangeError(`bad part duration ${input.duration}`);

    let seg = this.open;
    if (seg && input.independent && seg.duration >= this.configuredTarget - EPS) {
      this.close(seg);
      seg = null;
    }
    if (!seg) {
      if (!input.independent) return null;
      seg = this.startSegment(input);
    }
    const part: Part = {
      seq: this.nextPartSeq++,
      msn: seg.msn,
      index: seg.parts.length,
      duration: input.duration,
      independent: input.independent,
      bytes: input.bytes
    };
    seg.parts.push(part);
    seg.duration += part.duration;
    this.longestPart = Math.max(this.longestPart, part.duration);
    this.notify();
    return part;
  }

  /** The encoder restarted: the next part starts a new segment marked EXT-X-DISCONTINUITY. */
  discontinuity(): void {
    if (this.nextMsn === 0) return; // nothing before it to be discontinuous with
    if (this.open) this.close(this.open);
    this.pendingDiscontinuity = true;
    this.notify();
  }

  /** The stream is over: close the last segment and add EXT-X-ENDLIST. */
  end(): void {
    if (this.ended) return;
    if (this.open) this.close(this.open);
    this.ended = true;
    this.notify();
  }

  /** Playlist text; see media-render.ts for the options. */
  render(opts: LiveRenderOptions = {}): string {
    return renderLivePlaylist(
      {
        segments: this.listed(),
        mediaSequence: this.mediaSequence,
        discontinuitySequence: this.discontinuitySequence,
        targetDuration: this.targetDuration,
        partTarget: this.partTarget,
        nextPartSeq: this.nextPartSeq,
        ended: this.ended,
        format: this.format
      },
      opts
    );
  }

  /** Segments currently in the live playlist, oldest first (the last may be incomplete). */
  listed(): readonly Segment[] {
    return this.segments.filter((s) => s.msn >= this.mediaSequence);
  }

  /** This rendition as a sibling playlist reports it (EXT-X-RENDITION-REPORT), or null before any part. */
  renditionReport(): { lastMsn: number; lastPart: number } | null {
    const s = this.liveState();
    return s.lastMsn < 0 ? null : { lastMsn: s.lastMsn, lastPart: s.lastPart };
  }

  liveState(): LiveState {
    const last = this.segments[this.segments.length - 1];
    const lastComplete = last?.complete ? last : this.segments[this.segments.length - 2];
    return {
      ended: this.ended,
      lastMsn: last?.msn ?? -1,
      lastPart: last ? last.parts.length - 1 : -1,
      lastCompleteMsn: lastComplete?.msn ?? -1,
      nextPartSeq: this.nextPartSeq,
      partTarget: this.partTarget,
      targetDuration: this.targetDuration
    };
  }

  /** Bytes of a URI from uris.ts that is still held, else undefined (404). */
  resource(uri: string): Uint8Array | undefined {
    const ref = parseResourceUri(uri);
    if (!ref || (ref.kind !== 'init' && ref.ext !== extensionOf(this.format))) return undefined;
    switch (ref.kind) {
      case 'init':
        return this.inits.get(ref.id);
      case 'segment': {
        const seg = this.segments.find((s) => s.msn === ref.msn);
        if (!seg?.complete) return undefined;
        seg.joined ??= segmentBytes(seg, this.format);
        return seg.joined;
      }
      case 'part':
        for (const seg of this.segments) {
          const first = seg.parts[0];
          if (first && ref.seq >= first.seq && ref.seq < first.seq + seg.parts.length) return seg.parts[ref.seq - first.seq]!.bytes;
        }
        return undefined;
    }
  }

  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    for (const l of [...this.listeners]) l();
  }

  private startSegment(input: PartInput): MutableSegment {
    const prev = this.segments[this.segments.length - 1];
    const discontinuity = this.pendingDiscontinuity;
    const programDateTime =
      input.programDateTime ??
      (prev && !discontinuity ? prev.programDateTime + prev.duration * 1000 : this.now() - input.duration * 1000);
    const seg: MutableSegment = {
      msn: this.nextMsn++,
      parts: [],
      duration: 0,
      discontinuity,
      programDateTime,
      initId: this.currentInit,
      mediaTime: input.mediaTime,
      complete: false
    };
    this.pendingDiscontinuity = false;
    this.segments.push(seg);
    this.open = seg;
    return seg;
  }

  private close(seg: MutableSegment): void {
    seg.complete = true;
    this.open = null;
    this.longestSegment = Math.max(this.longestSegment, seg.duration);
    this.slideWindow();
  }

  /**
   * Drops the oldest segments from the playlist beyond the window, but never
   * below three target durations (RFC 8216bis §6.2.2). Evicted segments stay
   * downloadable for another window's worth, covering clients that fetched
   * the playlist just before (and parts whose EXT-X-PART tags were dropped).
   */
  private slideWindow(): void {
    const listed = this.segments.filter((s) => s.msn >= this.mediaSequence && s.complete);
    let count = listed.length;
    let total = listed.reduce((sum, s) => sum + s.duration, 0);
    for (const seg of listed) {
      if (count <= this.windowSegments || total - seg.duration < 3 * this.targetDuration - EPS) break;
      count -= 1;
      total -= seg.duration;
      this.mediaSequence = seg.msn + 1;
      // Its EXT-X-DISCONTINUITY tag leaves with it; the sequence keeps later segments' numbers.
      if (seg.discontinuity) this.discontinuitySequence += 1;
      this.onEvict(seg, this.inits.get(seg.initId));
    }
    const keepFrom = this.mediaSequence - this.windowSegments;
    this.segments = this.segments.filter((s) => s.msn >= keepFrom);
    const usedInits = new Set(this.segments.map((s) => s.initId));
    for (const id of this.inits.keys()) if (id !== this.currentInit && !usedInits.has(id)) this.inits.delete(id);
  }
}
