/**
 * WebVTT segments and parts for the subtitle rendition (RFC 8216bis §3.1.5).
 * Cue times are the video's own media timeline (its fMP4 decode time), and
 * every document's X-TIMESTAMP-MAP says so: LOCAL t maps to MPEGTS t × 90 kHz,
 * which is how hls.js and Safari read the map with fMP4 video. Any point of
 * that identity map would do; it is written at the document's end, because
 * hls.js takes a map whose MPEGTS equals the video's first timestamp (offset
 * zero) as no offset at all and places those cues by another rule.
 */

export interface WebVttCue {
  /** Cue identifier; players use it to drop a cue they already have. */
  id: string;
  /** Media time, ms. */
  startMs: number;
  endMs: number;
  text: string;
}

/** Longest cue text kept, in characters; longer text is cut with an ellipsis. */
export const MAX_CUE_CHARS = 300;
/** MPEG-2 timestamps are 33 bits. */
const MPEGTS_WRAP = 2 ** 33;
const SIGNATURE = 'WEBVTT';
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** `hh:mm:ss.ttt` (hours may run past 99). */
export function vttTimestamp(ms: number): string {
  const t = Math.max(0, Math.round(ms));
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const h = Math.floor(t / 3_600_000);
  const m = Math.floor(t / 60_000) % 60;
  const s = Math.floor(t / 1000) % 60;
  return `${pad(h)}:${pad(m)}:${pad(s)}.${pad(t % 1000, 3)}`;
}

/** The identity map anchored at `anchorMs` of media time (whole ms, so both sides are exact). */
export function timestampMapLine(anchorMs: number): string {
  const ms = Math.max(0, Math.ceil(anchorMs));
  return `X-TIMESTAMP-MAP=MPEGTS:${(ms * 90) % MPEGTS_WRAP},LOCAL:${vttTimestamp(ms)}`;
}

/** Caption text as a cue payload: one line, markup characters escaped, at most MAX_CUE_CHARS. */
export function cuePayload(text: string): string {
  const chars = Array.from(text.replace(/\s+/g, ' ').trim());
  const cut = chars.length > MAX_CUE_CHARS ? chars.slice(0, MAX_CUE_CHARS - 1).join('').trimEnd() + '…' : chars.join('');
  return cut.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** A cue identifier cannot hold "-->" or line breaks; keep a plain token. */
function cueIdentifier(id: string): string {
  return id.replace(/[^A-Za-z0-9_.:-]/g, '').slice(0, 64);
}

function cueBlock(c: WebVttCue): string {
  const id = cueIdentifier(c.id);
  const end = Math.max(c.endMs, c.startMs + 1);
  return `${id ? id + '\n' : ''}${vttTimestamp(c.startMs)} --> ${vttTimestamp(end)}\n${cuePayload(c.text)}\n`;
}

/** One WebVTT document: signature, X-TIMESTAMP-MAP at `anchorMs`, then the cues (possibly none). */
export function webVttDocument(anchorMs: number, cues: readonly WebVttCue[]): Uint8Array {
  const blocks = cues.filter((c) => cuePayload(c.text) !== '').map(cueBlock);
  return encoder.encode([`${SIGNATURE}\n${timestampMapLine(anchorMs)}\n`, ...blocks].join('\n'));
}

/**
 * A segment from its parts: each part is a whole document, so the segment is
 * the last part's header (its map holds for every part, being the same
 * identity) followed by every part's cues.
 */
export function joinWebVtt(parts: readonly Uint8Array[]): Uint8Array {
  const texts = parts.map((p) => decoder.decode(p));
  const last = texts[texts.length - 1];
  if (last === undefined) return encoder.encode(`${SIGNATURE}\n`);
  const header = last.slice(0, headerEnd(last));
  const bodies = texts.map((t) => t.slice(headerEnd(t) + 1)).filter(Boolean);
  return encoder.encode([header, ...bodies].join('\n'));
}

/** Index of the blank line ending a document's header (or its end when it has no cues). */
function headerEnd(text: string): number {
  const i = text.indexOf('\n\n');
  return i < 0 ? text.length : i + 1;
}
