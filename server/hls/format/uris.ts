/**
 * Resource names inside one rendition's directory. Parts are numbered by a
 * running counter rather than by segment and index, so the URI named by
 * EXT-X-PRELOAD-HINT stays right whether or not the next part turns out to
 * start a new segment (that is only known when a keyframe arrives).
 * Video renditions' media is fMP4 (`.m4s`, init `.mp4`); the subtitle
 * rendition's is WebVTT (`.vtt`, no init segment).
 */
export type MediaExtension = 'm4s' | 'vtt';

export const initUri = (id: number): string => `init-${id}.mp4`;
export const segmentUri = (msn: number, ext: MediaExtension = 'm4s'): string => `seg-${msn}.${ext}`;
export const partUri = (seq: number, ext: MediaExtension = 'm4s'): string => `part-${seq}.${ext}`;

export type ResourceRef =
  | { kind: 'init'; id: number }
  | { kind: 'segment'; msn: number; ext: MediaExtension }
  | { kind: 'part'; seq: number; ext: MediaExtension };

const PATTERN = /^(init|seg|part)-(0|[1-9]\d{0,14})\.(mp4|m4s|vtt)$/;

/** Parses a name produced above; anything else (or a mismatched extension) is null. */
export function parseResourceUri(uri: string): ResourceRef | null {
  const m = PATTERN.exec(uri);
  if (!m) return null;
  const n = Number(m[2]);
  const kind = m[1];
  const ext = m[3];
  if (kind === 'init') return ext === 'mp4' ? { kind: 'init', id: n } : null;
  if (ext !== 'm4s' && ext !== 'vtt') return null;
  return kind === 'seg' ? { kind: 'segment', msn: n, ext } : { kind: 'part', seq: n, ext };
}
