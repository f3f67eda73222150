import { describe, expect, it } from 'vitest';
import { requestEnvelopeSchema, requestSchemas } from './protocol.ts';

describe('protocol schemas', () => {
  it('accepts a well-formed produce request from mediasoup-client', () => {
    const ok = requestSchemas.produce.safeParse({
      transportId: 't1',
      kind: 'video',
      rtpParameters: {
        mid: '0',
        codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90000, parameters: {}, rtcpFeedback: [{ type: 'nack' }] }],
        headerExtensions: [{ uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', id: 1, encrypt: false, parameters: {} }],
        encodings: [{ rid: 'r0', maxBitrate: 150000, scaleResolutionDownBy: 4 }, { rid: 'r1' }, { rid: 'r2' }],
        rtcp: { cname: 'abc', reducedSize: true }
      }
    });
    expect(ok.success).toBe(true);
  });

  it('rejects wrong kinds, missing codecs and oversized arrays', () => {
    const base = { transportId: 't1', kind: 'video', rtpParameters: { codecs: [] } };
    expect(requestSchemas.produce.safeParse(base).success).toBe(false);
    expect(requestSchemas.produce.safeParse({ ...base, kind: 'screen' }).success).toBe(false);
    const codec = { mimeType: 'video/VP8', payloadType: 96, clockRate: 90000 };
    expect(requestSchemas.produce.safeParse({ ...base, rtpParameters: { codecs: Array(17).fill(codec) } }).success).toBe(false);
    expect(requestSchemas.produce.safeParse({ ...base, rtpParameters: { codecs: [{ ...codec, payloadType: 300 }] } }).success).toBe(false);
  });

  it('requires join to name a show and a known role', () => {
    expect(requestSchemas.join.safeParse({ showId: 'abc', role: 'viewer' }).success).toBe(true);
    expect(requestSchemas.join.safeParse({ showId: '', role: 'viewer' }).success).toBe(false);
    expect(requestSchemas.join.safeParse({ showId: 'abc', role: 'admin' }).success).toBe(false);
  });

  it('requires a numeric request id in the envelope', () => {
    expect(requestEnvelopeSchema.safeParse({ id: 1, method: 'ping', data: {} }).success).toBe(true);
    expect(requestEnvelopeSchema.safeParse({ id: '1', method: 'ping' }).success).toBe(false);
    expect(requestEnvelopeSchema.safeParse({ method: 'ping' }).success).toBe(false);
  });
});
