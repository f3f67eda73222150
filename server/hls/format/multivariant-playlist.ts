/** The multivariant (master) playlist listing a show's renditions (RFC 8216bis §4.4.6). */
import { attributes, quoted, uriLine } from './playlist-text.ts';

export interface VariantStream {
  /** The variant's media playlist, relative to the multivariant playlist. */
  uri: string;
  /** Peak bits per second of everything the variant plays, its audio rendition included. */
  bandwidth: number;
  averageBandwidth?: number;
  /** Every codec the variant plays, audio included, e.g. `avc1.64001f,mp4a.40.2` (§6.2.4). */
  codecs: string;
  resolution?: { width: number; height: number };
  frameRate?: number;
  /** GROUP-ID of the audio renditions played alongside (when audio is a separate playlist). */
  audioGroup?: string;
  /** GROUP-ID of the subtitle renditions offered with it. */
  subtitlesGroup?: string;
}

export interface AudioRendition {
  groupId: string;
  name: string;
  /** The rendition's media playlist, relative to the multivariant playlist. */
  uri: string;
  language?: string;
  /** Played unless the user picks another; one per group should be. */
  default?: boolean;
  channels?: number;
}

/** A WebVTT rendition: off until the viewer picks it, and a candidate when their language settings match. */
export interface SubtitleRendition {
  groupId: string;
  /** Shown in players' menus. */
  name: string;
  /** BCP 47 tag of the text. */
  language: string;
  /** The rendition's media playlist, relative to the multivariant playlist. */
  uri: string;
}

const positiveInt = (n: number) => Number.isInteger(n) && n > 0;

export function renderMultivariantPlaylist(
  variants: readonly VariantStream[],
  audio: readonly AudioRendition[] = [],
  subtitles: readonly SubtitleRendition[] = []
): string {
  if (variants.length === 0) throw new Error('a multivariant playlist needs at least one variant');
  const groups = new Set(audio.map((a) => a.groupId));
  const subtitleGroups = new Set(subtitles.map((s) => s.groupId));
  const lines = ['#EXTM3U', '#EXT-X-INDEPENDENT-SEGMENTS'];
  for (const a of audio) {
    lines.push(
      `#EXT-X-MEDIA:${attributes([
        ['TYPE', 'AUDIO'],
        ['GROUP-ID', quoted(a.groupId)],
        ['NAME', quoted(a.name)],
        ['LANGUAGE', a.language === undefined ? undefined : quoted(a.language)],
        ['DEFAULT', a.default ? 'YES' : 'NO'],
        ['AUTOSELECT', 'YES'],
        ['CHANNELS', a.channels === undefined ? undefined : quoted(String(a.channels))],
        ['URI', quoted(a.uri)]
      ])}`
    );
  }
  for (const s of subtitles) {
    lines.push(
      `#EXT-X-MEDIA:${attributes([
        ['TYPE', 'SUBTITLES'],
        ['GROUP-ID', quoted(s.groupId)],
        ['NAME', quoted(s.name)],
        ['LANGUAGE', quoted(s.language)],
        // Captions are the viewer's choice (the room's CC button), never forced on.
        ['DEFAULT', 'NO'],
        ['AUTOSELECT', 'YES'],
        ['URI', quoted(s.uri)]
      ])}`
    );
  }
  for (const v of variants) {
    if (!positiveInt(v.bandwidth)) throw new RangeError(`variant ${v.uri}: BANDWIDTH must be a positive integer`);
    if (v.averageBandwidth !== undefined && !positiveInt(v.averageBandwidth)) {
      throw new RangeError(`variant ${v.uri}: AVERAGE-BANDWIDTH must be a positive integer`);
    }
    if (v.audioGroup !== undefined && !groups.has(v.audioGroup)) throw new Error(`variant ${v.uri}: unknown audio group ${v.audioGroup}`);
    if (v.subtitlesGroup !== undefined && !subtitleGroups.has(v.subtitlesGroup)) {
      throw new Error(`variant ${v.uri}: unknown subtitles group ${v.subtitlesGroup}`);
    }
    lines.push(
      `#EXT-X-STREAM-INF:${attributes([
        ['BANDWIDTH', v.bandwidth],
        ['AVERAGE-BANDWIDTH', v.averageBandwidth],
        ['CODECS', quoted(v.codecs)],
        ['RESOLUTION', v.resolution && `${v.resolution.width}x${v.resolution.height}`],
        ['FRAME-RATE', v.frameRate?.toFixed(3)],
        ['AUDIO', v.audioGroup === undefined ? undefined : quoted(v.audioGroup)],
        ['SUBTITLES', v.subtitlesGroup === undefined ? undefined : quoted(v.subtitlesGroup)]
      ])}`,
      uriLine(v.uri)
    );
  }
  return lines.join('\n') + '\n';
}
