import fc from 'fast-check';
import type { RequestMethod } from '#shared/protocol.ts';
import { IdRef } from './id-pools.ts';

/**
 * Media payloads a browser would send (random ones almost never get past mediasoup's own
 * checks), with the codec parameters a hostile host might slip towards FFmpeg's SDP.
 */
const fingerprint = Array.from({ length: 32 }, (_, i) => (i * 7 + 16).toString(16).toUpperCase().padStart(2, '0')).join(':');
const dtlsParameters = fc.record({
  role: fc.constantFrom('client', 'server', 'auto'),
  fingerprints: fc.constantFrom([{ algorithm: 'sha-256', value: fingerprint }], [{ algorithm: 'md5', value: 'zz' }])
});

const codecParameters = fc.constantFrom({}, { 'x-google-start-bitrate': 1000 }, { useinbandfec: '1\r\na=hostile' }, { 'a\r\nb': 'c' }, { 'profile-level-id': '42e01f;x=1' });

const opus = (parameters: object) => ({
  mid: '0',
  codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2, parameters: { minptime: 10, useinbandfec: 1, ...parameters }, rtcpFeedback: [] }],
  headerExtensions: [],
  encodings: [{ ssrc: 11_111_111 }],
  rtcp: { cname: 'fuzz', reducedSize: true }
});
const vp8 = (parameters: object) => ({
  mid: '1',
  codecs: [
    {
      mimeType: 'video/VP8', payloadType: 96, clockRate: 90000, parameters,
      rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }]
    }
  ],
  headerExtensions: [],
  encodings: [{ ssrc: 22_222_222 }],
  rtcp: { cname: 'fuzz', reducedSize: true }
});

const rtpCapabilities = {
  codecs: [
    { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2, preferredPayloadType: 100, rtcpFeedback: [] },
    { kind: 'video', mimeType: 'video/VP8', clockRate: 90000, preferredPayloadType: 101, rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }] }
  ],
  headerExtensions: []
};

const transport = fc.nat(16).map((n) => new IdRef('transport', n));

export const mediaTemplates: Partial<Record<RequestMethod, fc.Arbitrary<unknown>>> = {
  connectTransport: fc.record({ transportId: transport, dtlsParameters }),
  produce: fc.oneof(
    fc.record({ transportId: transport, kind: fc.constant('audio'), rtpParameters: codecParameters.map(opus) }),
    fc.record({ transportId: transport, kind: fc.constant('video'), rtpParameters: codecParameters.map(vp8) })
  ),
  consume: fc.constant({ rtpCapabilities })
};
