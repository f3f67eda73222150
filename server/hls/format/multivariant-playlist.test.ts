import { describe, expect, it } from 'vitest';
import { renderMultivariantPlaylist } from './multivariant-playlist.ts';
import { parseAttributes } from '../../testing/hls-playlist-reader.ts';

describe('multivariant playlist', () => {
  it('lists muxed variants with their attributes', () => {
    const text = renderMultivariantPlaylist([
      {
        uri: '720p/index.m3u8',
        bandwidth: 2_800_000,
        averageBandwidth: 2_400_000,
        codecs: 'avc1.64001f,mp4a.40.2',
        resolution: { width: 1280, height: 720 },
        frameRate: 30
      },
      {
        uri: '360p/index.m3u8',
        bandwidth: 900_000,
        codecs: 'avc1.42e01e,mp4a.40.2',
        resolution: { width: 640, height: 360 },
        frameRate: 29.97
      }
    ]);
    const lines = text.trimEnd().split('\n');
    expect(lines.slice(0, 2)).toEqual(['#EXTM3U', '#EXT-X-INDEPENDENT-SEGMENTS']);
    expect(lines[2]).toBe(
      '#EXT-X-STREAM-INF:BANDWIDTH=2800000,AVERAGE-BANDWIDTH=2400000,CODECS="avc1.64001f,mp4a.40.2",RESOLUTION=1280x720,FRAME-RATE=30.000'
    );
    expect(lines[3]).toBe('720p/index.m3u8');
    expect(parseAttributes(lines[4]!.slice('#EXT-X-STREAM-INF:'.length))).toEqual({
      BANDWIDTH: '900000',
      CODECS: 'avc1.42e01e,mp4a.40.2',
      RESOLUTION: '640x360',
      'FRAME-RATE': '29.970'
    });
    expect(lines[5]).toBe('360p/index.m3u8');
    expect(text.endsWith('\n')).toBe(true);
  });

  it('points video variants at a separate audio rendition group', () => {
    const text = renderMultivariantPlaylist(
      [{ uri: 'v/index.m3u8', bandwidth: 1_000_000, codecs: 'avc1.64001f,mp4a.40.2', audioGroup: 'aac' }],
      [{ groupId: 'aac', name: 'Main', uri: 'a/index.m3u8', language: 'en', default: true, channels: 2 }]
    );
    const media = text.split('\n').find((l) => l.startsWith('#EXT-X-MEDIA:'))!;
    expect(parseAttributes(media.slice('#EXT-X-MEDIA:'.length))).toEqual({
      TYPE: 'AUDIO',
      'GROUP-ID': 'aac',
      NAME: 'Main',
      LANGUAGE: 'en',
      DEFAULT: 'YES',
      AUTOSELECT: 'YES',
      CHANNELS: '2',
      URI: 'a/index.m3u8'
    });
    expect(text).toContain('AUDIO="aac"\nv/index.m3u8\n');
  });

  it('offers a subtitle rendition, off by default, to every variant that names its group', () => {
    const text = renderMultivariantPlaylist(
      [
        { uri: 'e1/720p/index.m3u8', bandwidth: 2_800_000, codecs: 'avc1.64001f,mp4a.40.2', subtitlesGroup: 'cc' },
        { uri: 'e1/360p/index.m3u8', bandwidth: 900_000, codecs: 'avc1.64001e,mp4a.40.2', subtitlesGroup: 'cc' }
      ],
      [],
      [{ groupId: 'cc', name: '한국어', language: 'ko', uri: 'e1/subtitles/index.m3u8' }]
    );
    const lines = text.trimEnd().split('\n');
    expect(lines[2]).toBe('#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="cc",NAME="한국어",LANGUAGE="ko",DEFAULT=NO,AUTOSELECT=YES,URI="e1/subtitles/index.m3u8"');
    const variants = lines.filter((l) => l.startsWith('#EXT-X-STREAM-INF:'));
    expect(variants).toHaveLength(2);
    for (const v of variants) expect(parseAttributes(v.slice('#EXT-X-STREAM-INF:'.length)).SUBTITLES).toBe('cc');
    expect(() => renderMultivariantPlaylist([{ uri: 'a', bandwidth: 1, codecs: 'x', subtitlesGroup: 'cc' }])).toThrow(/subtitles group/);
  });

  it('refuses what would make an invalid playlist', () => {
    expect(() => renderMultivariantPlaylist([])).toThrow();
    expect(() => renderMultivariantPlaylist([{ uri: 'a', bandwidth: 1.5, codecs: 'x' }])).toThrow(/BANDWIDTH/);
    expect(() => renderMultivariantPlaylist([{ uri: 'a', bandwidth: 1, codecs: 'x', audioGroup: 'none' }])).toThrow(/audio group/);
    expect(() => renderMultivariantPlaylist([{ uri: 'a\n#EXT-X-ENDLIST', bandwidth: 1, codecs: 'x' }])).toThrow(/URI line/);
    expect(() => renderMultivariantPlaylist([{ uri: 'a', bandwidth: 1, codecs: 'x"' }])).toThrow(/quoted-string/);
  });
});
