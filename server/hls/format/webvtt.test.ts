import { describe, expect, it } from 'vitest';
import { cuePayload, joinWebVtt, MAX_CUE_CHARS, timestampMapLine, vttTimestamp, webVttDocument } from './webvtt.ts';

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('WebVTT writer', () => {
  it('writes timestamps as hh:mm:ss.ttt, past 99 hours too', () => {
    expect(vttTimestamp(0)).toBe('00:00:00.000');
    expect(vttTimestamp(61_234.4)).toBe('00:01:01.234');
    expect(vttTimestamp(3_600_000 * 101 + 5)).toBe('101:00:00.005');
    expect(vttTimestamp(-20)).toBe('00:00:00.000');
  });

  it('maps cue time t to MPEGTS t × 90 kHz, in whole ms so both sides are exact, wrapping at 33 bits', () => {
    expect(timestampMapLine(2000)).toBe('X-TIMESTAMP-MAP=MPEGTS:180000,LOCAL:00:00:02.000');
    expect(timestampMapLine(2033.4)).toBe('X-TIMESTAMP-MAP=MPEGTS:183060,LOCAL:00:00:02.034');
    const day = 27 * 3_600_000; // past 2^33 / 90 kHz (about 26.5 h)
    expect(timestampMapLine(day)).toBe(`X-TIMESTAMP-MAP=MPEGTS:${(day * 90) % 2 ** 33},LOCAL:27:00:00.000`);
  });

  it('makes caption text one safe line: markup escaped, blank lines and arrows gone, length capped', () => {
    expect(cuePayload('  a <b>bold</b>\n\nclaim & --> more ')).toBe('a &lt;b&gt;bold&lt;/b&gt; claim &amp; --&gt; more');
    const long = cuePayload('가'.repeat(MAX_CUE_CHARS + 50));
    expect(Array.from(long)).toHaveLength(MAX_CUE_CHARS);
    expect(long.endsWith('…')).toBe(true);
  });

  it('writes a document: signature, map, then each cue with its id', () => {
    const doc = text(
      webVttDocument(4000, [
        { id: 'u-1', startMs: 2500, endMs: 4000, text: 'Hello there' },
        { id: 'bad id\n-->', startMs: 3000, endMs: 3000, text: 'Same start and end' },
        { id: 'empty', startMs: 3000, endMs: 3500, text: '   ' }
      ])
    );
    expect(doc).toBe(
      'WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:360000,LOCAL:00:00:04.000\n\n' +
        'u-1\n00:00:02.500 --> 00:00:04.000\nHello there\n\n' +
        'badid--\n00:00:03.000 --> 00:00:03.001\nSame start and end\n'
    );
    expect(text(webVttDocument(200, []))).toBe('WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:18000,LOCAL:00:00:00.200\n');
  });

  it('joins parts into one document with the last part’s map and every part’s cues', () => {
    const parts = [
      webVttDocument(200, [{ id: 'a', startMs: 10, endMs: 1500, text: 'first' }]),
      webVttDocument(400, []),
      webVttDocument(600, [
        { id: 'b', startMs: 450, endMs: 2000, text: 'second' },
        { id: 'c', startMs: 500, endMs: 2100, text: 'third' }
      ])
    ];
    expect(text(joinWebVtt(parts))).toBe(
      'WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:54000,LOCAL:00:00:00.600\n\n' +
        'a\n00:00:00.010 --> 00:00:01.500\nfirst\n\n' +
        'b\n00:00:00.450 --> 00:00:02.000\nsecond\n\n' +
        'c\n00:00:00.500 --> 00:00:02.100\nthird\n'
    );
    expect(text(joinWebVtt([webVttDocument(200, []), webVttDocument(400, [])]))).toBe('WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:36000,LOCAL:00:00:00.400\n');
  });
});
