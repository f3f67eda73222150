/**
 * Media playlist text (RFC 8216bis with the low-latency extensions) for the
 * live window and for the VOD recording. Pure functions over segment lists.
 */
import { dateRangeLine, inEffect, type DateRange } from './date-ranges.ts';
import { extensionOf, type MediaFormat, type Segment } from './segment.ts';
import { attributes, decimal, decimalCeil, quoted } from './playlist-text.ts';
import { initUri, partUri, segmentUri, type MediaExtension } from './uris.ts';

export interface RenditionReport {
  /** The sibling's media playlist, relative to this playlist's URI. */
  uri: string;
  lastMsn: number;
  lastPart: number;
}

export interface LiveSnapshot {
  /** Segments in the live window, oldest first; the last may be incomplete. */
  segments: readonly Segment[];
  mediaSequence: number;
  discontinuitySequence: number;
  targetDuration: number;
  partTarget: number;
  nextPartSeq: number;
  ended: boolean;
  /** Names the media URIs; fMP4 when absent. */
  format?: MediaFormat;
}

export interface LiveRenderOptions {
  /** `_HLS_skip=YES|v2`: a delta update replacing segments older than CAN-SKIP-UNTIL with EXT-X-SKIP. */
  skip?: boolean;
  renditionReports?: readonly RenditionReport[];
  /** Timed metadata; those no longer in effect for the listed media are left out. */
  dateRanges?: readonly DateRange[];
}

/** Skip boundary in target durations; the spec's minimum. */
const SKIP_TARGETS = 6;
/** EXT-X-PART tags are kept for segments ending within this many target durations of the end (§6.2.2). */
const PART_TARGETS = 3;
/** PART-HOLD-BACK in part targets: the spec's recommended minimum. */
export const PART_HOLD_BACK_PARTS = 3;
const EPS = 1e-6;

/** Segment ends, in seconds from the start of the first one. */
function ends(segments: readonly Segment[]): number[] {
  let t = 0;
  return segments.map((s) => (t += s.duration));
}

/**
 * How many leading segments a delta update replaces: the complete ones that end
 * more than `canSkipUntil` seconds before the end of the playlist, that is,
 * that lie wholly beyond the skip boundary.
 */
function skippableCount(segments: readonly Segment[], canSkipUntil: number): number {
  const e = ends(segments);
  const total = e[e.length - 1] ?? 0;
  let n = 0;
  while (n < segments.length && segments[n]!.complete && total - e[n]! > canSkipUntil + EPS) n++;
  return n;
}

export function renderLivePlaylist(p: LiveSnapshot, opts: LiveRenderOptions = {}): string {
  const canSkipUntil = SKIP_TARGETS * p.targetDuration;
  const partTarget = decimalCeil(p.partTarget);
  // _HLS_skip is ignored once the playlist has ended (§6.2.5.1).
  const skipped = opts.skip && !p.ended ? skippableCount(p.segments, canSkipUntil) : 0;
  const ext = extensionOf(p.format ?? 'fmp4');
  const lines = [
    '#EXTM3U',
    // EXT-X-MAP needs 6; EXT-X-SKIP needs 9. No higher than needed (§6.2.1).
    `#EXT-X-VERSION:${skipped > 0 ? 9 : 6}`,
    `#EXT-X-TARGETDURATION:${p.targetDuration}`,
    `#EXT-X-SERVER-CONTROL:${attributes([
      ['CAN-BLOCK-RELOAD', 'YES'],
      ['CAN-SKIP-UNTIL', decimal(canSkipUntil)],
      ['PART-HOLD-BACK', decimal(PART_HOLD_BACK_PARTS * Number(partTarget))]
    ])}`,
    `#EXT-X-PART-INF:PART-TARGET=${partTarget}`,
    `#EXT-X-MEDIA-SEQUENCE:${p.mediaSequence}`
  ];
  if (p.discontinuitySequence > 0 || p.segments.some((s) => s.discontinuity)) {
    lines.push(`#EXT-X-DISCONTINUITY-SEQUENCE:${p.discontinuitySequence}`);
  }
  if (skipped > 0) lines.push(`#EXT-X-SKIP:SKIPPED-SEGMENTS=${skipped}`);
  // Never skipped in delta updates (CAN-SKIP-DATERANGES is not offered), so a client always has them all.
  const first = p.segments[0];
  if (first) lines.push(...inEffect(opts.dateRanges ?? [], first.programDateTime).map(dateRangeLine));

  const e = ends(p.segments);
  const total = e[e.length - 1] ?? 0;
  // Whole segments, so that every part within the last three target durations is listed.
  const partsAfter = total - PART_TARGETS * p.targetDuration + EPS;
  const shown = p.segments.slice(skipped);
  lines.push(...segmentLines(shown, ext, (_, i) => e[skipped + i]! > partsAfter));

  if (p.ended) {
    lines.push('#EXT-X-ENDLIST');
  } else {
    lines.push(`#EXT-X-PRELOAD-HINT:TYPE=PART,URI=${quoted(partUri(p.nextPartSeq, ext))}`);
    for (const r of opts.renditionReports ?? []) {
      lines.push(`#EXT-X-RENDITION-REPORT:${attributes([['URI', quoted(r.uri)], ['LAST-MSN', r.lastMsn], ['LAST-PART', r.lastPart]])}`);
    }
  }
  return lines.join('\n') + '\n';
}

/**
 * The recording as a VOD playlist: complete segments only, no parts or hints.
 * Pass the live playlist's target duration so every rendition agrees (§6.2.4).
 */
export function renderVodPlaylist(segments: readonly Segment[], opts: { targetDuration?: number; format?: MediaFormat } = {}): string {
  const complete = segments.filter((s) => s.complete);
  const targetDuration = opts.targetDuration ?? Math.max(1, ...complete.map((s) => Math.round(s.duration)));
  const lines = [
    '#EXTM3U',
    '#EXT-X-VERSION:6',
    `#EXT-X-TARGETDURATION:${targetDuration}`,
    '#EXT-X-PLAYLIST-TYPE:VOD',
    `#EXT-X-MEDIA-SEQUENCE:${complete[0]?.msn ?? 0}`,
    ...segmentLines(complete, extensionOf(opts.format ?? 'fmp4'), () => false),
    '#EXT-X-ENDLIST'
  ];
  return lines.join('\n') + '\n';
}

/** Tags and URIs for consecutive segments; EXT-X-MAP (fMP4 only) before the first and wherever the init changes. */
function segmentLines(segments: readonly Segment[], ext: MediaExtension, withParts: (s: Segment, i: number) => boolean): string[] {
  const lines: string[] = [];
  let init: number | undefined;
  segments.forEach((s, i) => {
    if (s.discontinuity) lines.push('#EXT-X-DISCONTINUITY');
    if (s.initId >= 0 && s.initId !== init) {
      lines.push(`#EXT-X-MAP:URI=${quoted(initUri(s.initId))}`);
      init = s.initId;
    }
    lines.push(`#EXT-X-PROGRAM-DATE-TIME:${new Date(s.programDateTime).toISOString()}`);
    if (withParts(s, i)) {
      for (const part of s.parts) {
        lines.push(
          `#EXT-X-PART:${attributes([
            ['DURATION', decimal(part.duration)],
            ['URI', quoted(partUri(part.seq, ext))],
            ['INDEPENDENT', part.independent ? 'YES' : undefined]
          ])}`
        );
      }
    }
    if (s.complete) lines.push(`#EXTINF:${decimal(s.duration)},`, segmentUri(s.msn, ext));
  });
  return lines;
}
