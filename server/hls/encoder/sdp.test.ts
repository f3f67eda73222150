import { describe, expect, it } from 'vitest';
import { renderSdp } from './sdp.ts';

describe('SDP for FFmpeg', () => {
  it('describes each stream with its port, payload type, codec and parameters', () => {
    const sdp = renderSdp([
      { kind: 'video', port: 40000, payloadType: 101, mimeType: 'video/VP8', clockRate: 90000 },
      { kind: 'audio', port: 40002, payloadType: 100, mimeType: 'audio/opus', clockRate: 48000, channels: 2, parameters: { useinbandfec: 1, ignored: { nested: true } } }
    ]);
    expect(sdp.endsWith('\r\n')).toBe(true);
    expect(sdp.split('\r\n').slice(0, -1)).toEqual([
      'v=0',
      'o=- 0 0 IN IP4 127.0.0.1',
      's=hawker-hls',
      'c=IN IP4 127.0.0.1',
      't=0 0',
      'm=video 40000 RTP/AVP 101',
      'a=rtpmap:101 VP8/90000',
      'a=recvonly',
      'm=audio 40002 RTP/AVP 100',
      'a=rtpmap:100 opus/48000/2',
      'a=fmtp:100 useinbandfec=1',
      'a=recvonly'
    ]);
  });

  it('passes H.264 parameters through', () => {
    const sdp = renderSdp([
      {
        kind: 'video',
        port: 5000,
        payloadType: 102,
        mimeType: 'video/H264',
        clockRate: 90000,
        parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f' }
      }
    ]);
    expect(sdp).toContain('a=fmtp:102 packetization-mode=1;profile-level-id=42e01f\r\n');
  });

  it('writes only the parameters FFmpeg reads, and refuses a value that would start a line of its own', () => {
    const vp8 = { kind: 'video', port: 5000, payloadType: 96, mimeType: 'video/VP8', clockRate: 90000 } as const;
    const sdp = renderSdp([{ ...vp8, parameters: { 'x-google-start-bitrate': 1000, 'max-fr\r\na=inject': 1, 'max-fs': 3600 } }]);
    expect(sdp).toContain('a=fmtp:96 max-fs=3600\r\n');
    expect(sdp).not.toContain('inject');
    expect(sdp).not.toContain('x-google');
    expect(() => renderSdp([{ ...vp8, parameters: { 'max-fr': '30\r\na=source-filter: incl IN IP4 * 10.0.0.1' } }])).toThrow(/parameter/);
    expect(() => renderSdp([{ ...vp8, parameters: { 'max-fr': '30;x=1' } }])).toThrow(/parameter/);
  });

  it('refuses values that would corrupt the description', () => {
    const base = { kind: 'video', port: 5000, payloadType: 96, mimeType: 'video/VP8', clockRate: 90000 } as const;
    expect(() => renderSdp([{ ...base, port: 65535 }])).toThrow(/port/);
    expect(() => renderSdp([{ ...base, payloadType: 128 }])).toThrow(/payload/);
    expect(() => renderSdp([{ ...base, mimeType: 'video/VP8\r\nm=evil' }])).toThrow(/MIME/);
    expect(() => renderSdp([{ ...base, clockRate: 90000.5 }])).toThrow(/clock/);
  });
});
