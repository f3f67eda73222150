/**
 * Resource names inside one rendition's directory. Parts are numbered by a
 * running counter rather than by segment and index, so the URI named by
 * EXT-X-PRELOAD-HINT stays right whether or not the next part turns out to
 * start a new segment (that is only known when a keyframe arrives).
 */
export const initUri = (id: number): string => `init-${id}.mp4`;
export const segmentUri = (msn: number): string => `seg-${msn}.m4s`;
export const partUri = (seq: number): string => `part-${seq}.m4s`;

export type ResourceRef =
  | { kind: 'init'; id: number }
  | { kind: 'segment'; msn: number }
  | { kind: 'part'; seq: number };

const PATTERN = /^(init|seg|part)-(0|[1-9]\d{0,14})\.(mp4|m4s)$/;

/** Parses a name produced above; anything else (or a mismatched extension) is null. */
export function parseResourceUri(uri: string): ResourceRef | null {
  const m = PATTERN.exec(uri);
  if (!m) return null;
  const n = Number(m[2]);
  const kind = m[1];
  const ext = m[3];
  if (kind === 'init') return ext === 'mp4' ? { kind: 'init', id: n } : null;
  if (ext !== 'm4s') return null;
  return kind === 'seg' ? { kind: 'segment', msn: n } : { kind: 'part', seq: n };
}
