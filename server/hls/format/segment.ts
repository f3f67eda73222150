/** A live playlist's parts and segments, as the playlist keeps them and the renderers list them. */
import { concat } from './boxes.ts';
import type { MediaExtension } from './uris.ts';
import { joinWebVtt } from './webvtt.ts';

/** What a rendition's parts are: fMP4 fragments after an init segment, or WebVTT documents. */
export type MediaFormat = 'fmp4' | 'webvtt';

export const extensionOf = (format: MediaFormat): MediaExtension => (format === 'webvtt' ? 'vtt' : 'm4s');

export interface Part {
  /** Running number across the whole playlist; names the part's URI. */
  readonly seq: number;
  /** Media sequence number of the segment the part belongs to. */
  readonly msn: number;
  /** Part index within its segment (what `_HLS_part` and LAST-PART count). */
  readonly index: number;
  /** Seconds. */
  readonly duration: number;
  /** Starts with a keyframe (EXT-X-PART INDEPENDENT=YES). */
  readonly independent: boolean;
  readonly bytes: Uint8Array;
}

export interface Segment {
  readonly msn: number;
  readonly parts: readonly Part[];
  /** Seconds: the sum of its parts. */
  readonly duration: number;
  /** First segment after an encoder restart (EXT-X-DISCONTINUITY). */
  readonly discontinuity: boolean;
  /** Wall clock of its first sample, ms since the epoch (EXT-X-PROGRAM-DATE-TIME). */
  readonly programDateTime: number;
  /** Which init segment (EXT-X-MAP) its parts need; -1 for WebVTT, which has none. */
  readonly initId: number;
  /** Media (decode) time of its first sample in seconds, when the encoder said. */
  readonly mediaTime?: number;
  /** No more parts will be added; listed with EXTINF. */
  readonly complete: boolean;
}

/** A complete segment's bytes: fMP4 parts back to back (each a moof+mdat pair); WebVTT parts joined into one document. */
export function segmentBytes(segment: Segment, format: MediaFormat = 'fmp4'): Uint8Array {
  const parts = segment.parts.map((p) => p.bytes);
  return format === 'webvtt' ? joinWebVtt(parts) : concat(parts);
}
