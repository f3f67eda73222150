/** A live playlist's parts and segments, as the playlist keeps them and the renderers list them. */
import { concat } from './boxes.ts';

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
  /** Which init segment (EXT-X-MAP) its parts need. */
  readonly initId: number;
  /** No more parts will be added; listed with EXTINF. */
  readonly complete: boolean;
}

/** A complete segment's bytes: its parts back to back (each part is a moof+mdat pair). */
export function segmentBytes(segment: Segment): Uint8Array {
  return concat(segment.parts.map((p) => p.bytes));
}
