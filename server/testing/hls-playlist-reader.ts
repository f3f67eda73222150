import { expect } from 'vitest';

/**
 * A strict media playlist reader that fails on anything malformed: an
 * independent check of the renderer (the npm `hls-parser` is not installed).
 */
export interface ParsedPart {
  duration: number;
  uri: string;
  independent: boolean;
}

export interface ParsedSegment {
  msn: number;
  parts: ParsedPart[];
  /** Absent for the segment still being written (parts only). */
  duration?: number;
  uri?: string;
  discontinuity: boolean;
  programDateTime?: string;
  /** EXT-X-MAP URI in force for this segment. */
  map?: string;
}

export interface ParsedPlaylist {
  version: number;
  targetDuration: number;
  mediaSequence: number;
  discontinuitySequence: number;
  playlistType?: string;
  serverControl?: Record<string, string>;
  partTarget?: number;
  skipped: number;
  segments: ParsedSegment[];
  preloadHint?: Record<string, string>;
  renditionReports: Record<string, string>[];
  /** EXT-X-DATERANGE attribute lists, in playlist order. */
  dateRanges: Record<string, string>[];
  endList: boolean;
}

/** Parses an attribute list strictly: NAME=value pairs, quoted strings unwrapped. */
export function parseAttributes(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([A-Z0-9-]+)=("[^"\r\n]*"|[^",\s]+)(,|$)/y;
  while (re.lastIndex < text.length) {
    const m = re.exec(text);
    if (!m) throw new Error(`bad attribute list: ${text}`);
    const [, name, value] = m as unknown as [string, string, string];
    if (name in out) throw new Error(`duplicate attribute ${name}`);
    out[name] = value.startsWith('"') ? value.slice(1, -1) : value;
  }
  return out;
}

const HEADER_TAGS = new Set([
  'EXT-X-VERSION',
  'EXT-X-TARGETDURATION',
  'EXT-X-MEDIA-SEQUENCE',
  'EXT-X-DISCONTINUITY-SEQUENCE',
  'EXT-X-PLAYLIST-TYPE',
  'EXT-X-SERVER-CONTROL',
  'EXT-X-PART-INF',
  'EXT-X-SKIP'
]);

export function parseMediaPlaylist(text: string): ParsedPlaylist {
  const lines = text.split('\n');
  if (lines[0] !== '#EXTM3U') throw new Error('missing #EXTM3U');
  if (lines.pop() !== '') throw new Error('playlist must end with a newline');
  const p: ParsedPlaylist = {
    version: 1,
    targetDuration: NaN,
    mediaSequence: 0,
    discontinuitySequence: 0,
    skipped: 0,
    segments: [],
    renditionReports: [],
    dateRanges: [],
    endList: false
  };
  const seen = new Set<string>();
  let cur: Omit<ParsedSegment, 'msn'> = { parts: [], discontinuity: false };
  let map: string | undefined;
  let started = false;
  let pendingInf: number | undefined;
  const finishSegment = (uri?: string) => {
    p.segments.push({ ...cur, msn: p.mediaSequence + p.skipped + p.segments.length, uri, map });
    cur = { parts: [], discontinuity: false };
  };

  for (const line of lines.slice(1)) {
    if (line === '') throw new Error('blank line');
    if (!line.startsWith('#')) {
      if (pendingInf === undefined) throw new Error(`URI without EXTINF: ${line}`);
      cur.duration = pendingInf;
      pendingInf = undefined;
      finishSegment(line);
      continue;
    }
    if (pendingInf !== undefined) throw new Error(`EXTINF not followed by its URI: ${line}`);
    const colon = line.indexOf(':');
    const tag = line.slice(1, colon < 0 ? undefined : colon);
    const value = colon < 0 ? '' : line.slice(colon + 1);
    if (HEADER_TAGS.has(tag)) {
      if (started) throw new Error(`${tag} after the first segment`);
      if (seen.has(tag)) throw new Error(`duplicate ${tag}`);
      seen.add(tag);
    }
    if (p.endList) throw new Error(`${tag} after EXT-X-ENDLIST`);
    switch (tag) {
      case 'EXT-X-VERSION':
        p.version = Number(value);
        break;
      case 'EXT-X-TARGETDURATION':
        if (!/^\d+$/.test(value)) throw new Error('TARGETDURATION must be an integer');
        p.targetDuration = Number(value);
        break;
      case 'EXT-X-MEDIA-SEQUENCE':
        p.mediaSequence = Number(value);
        break;
      case 'EXT-X-DISCONTINUITY-SEQUENCE':
        p.discontinuitySequence = Number(value);
        break;
      case 'EXT-X-PLAYLIST-TYPE':
        p.playlistType = value;
        break;
      case 'EXT-X-SERVER-CONTROL':
        p.serverControl = parseAttributes(value);
        break;
      case 'EXT-X-PART-INF':
        p.partTarget = Number(parseAttributes(value)['PART-TARGET']);
        break;
      case 'EXT-X-SKIP':
        p.skipped = Number(parseAttributes(value)['SKIPPED-SEGMENTS']);
        break;
      case 'EXT-X-MAP':
        map = parseAttributes(value)['URI'];
        started = true;
        break;
      case 'EXT-X-DISCONTINUITY':
        cur.discontinuity = true;
        started = true;
        break;
      case 'EXT-X-PROGRAM-DATE-TIME':
        if (Number.isNaN(Date.parse(value))) throw new Error(`bad date ${value}`);
        cur.programDateTime = value;
        started = true;
        break;
      case 'EXT-X-PART': {
        const a = parseAttributes(value);
        if (!a['URI'] || !a['DURATION']) throw new Error('EXT-X-PART needs URI and DURATION');
        if (a['INDEPENDENT'] !== undefined && a['INDEPENDENT'] !== 'YES') throw new Error('INDEPENDENT must be YES');
        cur.parts.push({ duration: Number(a['DURATION']), uri: a['URI'], independent: a['INDEPENDENT'] === 'YES' });
        started = true;
        break;
      }
      case 'EXTINF': {
        const m = /^(\d+(?:\.\d+)?),.*$/.exec(value);
        if (!m) throw new Error(`bad EXTINF ${value}`);
        pendingInf = Number(m[1]);
        started = true;
        break;
      }
      case 'EXT-X-PRELOAD-HINT':
        p.preloadHint = parseAttributes(value);
        break;
      case 'EXT-X-RENDITION-REPORT':
        p.renditionReports.push(parseAttributes(value));
        break;
      case 'EXT-X-DATERANGE': {
        const a = parseAttributes(value);
        if (!a['ID'] || Number.isNaN(Date.parse(a['START-DATE'] ?? ''))) throw new Error('EXT-X-DATERANGE needs ID and START-DATE');
        if (a['END-ON-NEXT'] !== undefined) {
          if (a['END-ON-NEXT'] !== 'YES' || !a['CLASS'] || a['DURATION'] !== undefined || a['END-DATE'] !== undefined) {
            throw new Error('END-ON-NEXT=YES needs a CLASS and excludes DURATION and END-DATE');
          }
        }
        if (p.dateRanges.some((d) => d['ID'] === a['ID'])) throw new Error(`date range ${a['ID']} twice`);
        p.dateRanges.push(a);
        break;
      }
      case 'EXT-X-ENDLIST':
        p.endList = true;
        break;
      default:
        throw new Error(`unexpected tag ${tag}`);
    }
  }
  if (pendingInf !== undefined) throw new Error('EXTINF at the end without a URI');
  if (cur.parts.length > 0) finishSegment();
  if (Number.isNaN(p.targetDuration)) throw new Error('missing EXT-X-TARGETDURATION');
  if (p.dateRanges.length > 0 && !p.segments.some((s) => s.programDateTime)) throw new Error('EXT-X-DATERANGE without EXT-X-PROGRAM-DATE-TIME');
  return p;
}

/** Checks that hold for every live playlist we produce (WebVTT ones, `webvtt`, have no init segment). */
export function expectWellFormed(p: ParsedPlaylist, { webvtt = false } = {}) {
  expect(p.partTarget).toBeGreaterThan(0);
  const partTarget = p.partTarget!;
  for (const s of p.segments) {
    for (const part of s.parts) expect(part.duration).toBeLessThanOrEqual(partTarget);
    if (s.parts.length > 0) expect(s.parts[0]!.independent).toBe(true);
    if (s.duration !== undefined) expect(Math.round(s.duration)).toBeLessThanOrEqual(p.targetDuration);
    if (webvtt) expect(s.map).toBeUndefined();
    else expect(s.map).toBeDefined();
    expect(s.programDateTime).toBeDefined();
  }
  expect(Number(p.serverControl!['PART-HOLD-BACK'])).toBeGreaterThanOrEqual(3 * partTarget - 1e-9);
  expect(Number(p.serverControl!['CAN-SKIP-UNTIL'])).toBeGreaterThanOrEqual(6 * p.targetDuration);
  expect(p.serverControl!['CAN-BLOCK-RELOAD']).toBe('YES');
}
