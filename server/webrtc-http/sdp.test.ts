import { describe, expect, it } from 'vitest';
import { getSupportedRtpCapabilities, type types } from 'mediasoup';
import { parse } from 'sdp-transform';
import { mediaCodecs } from '../sfu/media-codecs.ts';
import { chromePlayerOffer, chromeSimulcastOffer, obsOffer } from '../testing/sdp-offers.ts';
import { AppError } from '../errors.ts';
import { ingestSections, type IngestSection } from './ingest-media.ts';
import { playerCapabilities, playerRouterCodecs } from './playback-media.ts';
import { writeAnswer, writeIceFragment, type AnsweredSection, type LocalTransport } from './sdp-answer.ts';
import { parseIceFragment, parseOffer } from './sdp-offer.ts';

/** What a router made from our media codecs offers, as mediasoup makes it: each supported codec with our parameters merged in. */
const supported = getSupportedRtpCapabilities();
function routerOf(codecs: types.RouterRtpCodecCapability[], rtxTypes: number[] = []): types.RtpCapabilities {
  return {
    codecs: codecs.flatMap((m, i): types.RtpCodecCapability[] => {
      const base = supported.codecs!.find((c) => c.mimeType.toLowerCase() === m.mimeType.toLowerCase() && c.channels === m.channels)!;
      const codec = { ...base, preferredPayloadType: m.preferredPayloadType ?? 100 + i * 2, parameters: { ...base.parameters, ...m.parameters } };
      if (m.kind === 'audio') return [codec];
      return [codec, { kind: m.kind, mimeType: `${m.kind}/rtx`, preferredPayloadType: rtxTypes.shift() ?? 101 + i * 2, clockRate: m.clockRate, parameters: { apt: codec.preferredPayloadType }, rtcpFeedback: [] }];
    }),
    headerExtensions: supported.headerExtensions
  };
}
const router = routerOf(mediaCodecs);

const local: LocalTransport = {
  iceParameters: { usernameFragment: 'srvufrag', password: 'srvpassword', iceLite: true },
  iceCandidates: [{ foundation: 'udpcandidate', priority: 1076302079, ip: '192.0.2.10', address: '192.0.2.10', protocol: 'udp', port: 40000, type: 'host' }],
  dtlsParameters: { role: 'auto', fingerprints: [{ algorithm: 'sha-256', value: 'AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99' }] }
};

const tracks = (sections: IngestSection[]) => sections.flatMap((s) => ('track' in s ? [s.track] : []));

function answerTo(sdp: string): ReturnType<typeof parse> {
  const offer = parseOffer(sdp);
  const answered = ingestSections(offer.media, router).map((s): AnsweredSection =>
    'track' in s ? { media: s.media, direction: 'recvonly', rtpParameters: s.track.rtpParameters, recvRids: s.track.rids } : { media: s.media, declined: true }
  );
  return parse(writeAnswer(offer, local, answered));
}

function expectBadRequest(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBe(400);
    return;
  }
  throw new Error('expected a 400');
}

describe('an encoder’s offer as mediasoup producers', () => {
  it('takes OBS’s H.264 and Opus with their SSRCs and the client’s payload types', () => {
    const offer = parseOffer(obsOffer);
    expect(offer.ice).toEqual({ usernameFragment: 'PLgA', password: '1cPdKn2W9ITmCJK3bNo2mTnS' });
    expect(offer.dtls.role).toBe('client');
    expect(offer.dtls.fingerprints[0]!.algorithm).toBe('sha-256');
    const [audio, video] = tracks(ingestSections(offer.media, router));
    expect(audio!.kind).toBe('audio');
    expect(audio!.rtpParameters.codecs).toEqual([expect.objectContaining({ mimeType: 'audio/opus', payloadType: 111, channels: 2 })]);
    expect(audio!.rtpParameters.encodings).toEqual([{ ssrc: 3355193545 }]);
    expect(video!.rtpParameters.mid).toBe('1');
    expect(video!.rtpParameters.codecs).toHaveLength(1);
    expect(video!.rtpParameters.codecs[0]).toMatchObject({ mimeType: 'video/H264', payloadType: 96, parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f' } });
    expect(video!.rtpParameters.codecs[0]!.rtcpFeedback).toEqual(expect.arrayContaining([{ type: 'nack', parameter: '' }, { type: 'nack', parameter: 'pli' }]));
    expect(video!.rtpParameters.encodings).toEqual([{ ssrc: 2921830530 }]);
    expect(video!.rids).toEqual([]);
  });

  it('takes Chrome’s VP8 simulcast by rid with its RTX, and the header extensions the router knows', () => {
    const [audio, video] = tracks(ingestSections(parseOffer(chromeSimulcastOffer).media, router));
    expect(audio!.rtpParameters.codecs.map((c) => c.mimeType)).toEqual(['audio/opus']);
    expect(video!.rtpParameters.codecs.map((c) => [c.mimeType, c.payloadType])).toEqual([['video/VP8', 96], ['video/rtx', 97]]);
    expect(video!.rtpParameters.codecs[1]!.parameters).toEqual({ apt: 96 });
    expect(video!.rids).toEqual(['q', 'h', 'f']);
    expect(video!.rtpParameters.encodings).toEqual([{ rid: 'q' }, { rid: 'h' }, { rid: 'f' }]);
    const uris = video!.rtpParameters.headerExtensions!.map((e) => [e.uri, e.id]);
    expect(uris).toContainEqual(['urn:ietf:params:rtp-hdrext:sdes:mid', 4]);
    expect(uris).toContainEqual(['urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id', 10]);
    expect(video!.rtpParameters.rtcp).toMatchObject({ reducedSize: true });
  });

  it('prefers the offerer’s order and skips H.264 profiles viewers could not all decode', () => {
    const highFirst = obsOffer.replace('m=video 9 UDP/TLS/RTP/SAVPF 96', 'm=video 9 UDP/TLS/RTP/SAVPF 100 96').replace('a=rtpmap:96 H264/90000', 'a=rtpmap:100 H264/90000\r\na=fmtp:100 profile-level-id=640c1f;packetization-mode=1\r\na=rtpmap:96 H264/90000');
    const [, video] = tracks(ingestSections(parseOffer(highFirst).media, router));
    expect(video!.rtpParameters.codecs[0]!.payloadType).toBe(96);
  });

  it('declines what it cannot carry and refuses an offer with nothing it can', () => {
    const vp9Only = chromeSimulcastOffer.replace('m=video 9 UDP/TLS/RTP/SAVPF 96 97 98 99 102 103', 'm=video 9 UDP/TLS/RTP/SAVPF 98 99');
    const sections = ingestSections(parseOffer(vp9Only).media, router);
    expect(sections.map((s) => ('track' in s ? 'track' : s.declined))).toEqual(['track', 'no codec the server carries']);
    const noAudio = vp9Only.replace('m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126', 'm=audio 9 UDP/TLS/RTP/SAVPF 9 0 8');
    expectBadRequest(() => ingestSections(parseOffer(noAudio).media, router));
  });

  it('refuses offers that are not offers: no media, no ICE credentials, no fingerprint, no mid, no rtcp-mux', () => {
    expectBadRequest(() => parseOffer('hello'));
    expectBadRequest(() => parseOffer('v=0\r\ns=-\r\nt=0 0\r\n'));
    expectBadRequest(() => parseOffer(obsOffer.replace(/a=ice-ufrag:.*\r\n/, '')));
    expectBadRequest(() => parseOffer(obsOffer.replace(/a=fingerprint:.*\r\n/, '')));
    expectBadRequest(() => parseOffer(obsOffer.replace('a=mid:1\r\n', '')));
    expectBadRequest(() => parseOffer(obsOffer.replaceAll('a=rtcp-mux\r\n', '')));
    expectBadRequest(() => parseOffer(obsOffer.replace('a=mid:1', 'a=mid:0')));
  });
});

describe('the answer', () => {
  it('is ICE-lite, BUNDLEs the sections taken, and receives each on the offered payload types', () => {
    const answer = answerTo(obsOffer);
    expect(answer.icelite).toBe('ice-lite');
    expect(answer.groups?.map((g) => [g.type, String(g.mids)])).toEqual([['BUNDLE', '0 1']]);
    for (const m of answer.media) {
      expect(m.direction).toBe('recvonly');
      expect(m.setup).toBe('passive');
      expect(m.iceUfrag).toBe('srvufrag');
      expect(m.fingerprint).toEqual({ type: 'sha-256', hash: local.dtlsParameters.fingerprints[0]!.value });
      expect(m.candidates).toEqual([expect.objectContaining({ ip: '192.0.2.10', port: 40000, transport: 'udp', type: 'host' })]);
      expect(m.rtcpMux).toBe('rtcp-mux');
    }
    expect(answer.media.map((m) => String(m.payloads))).toEqual(['111', '96']);
    expect(answer.media[1]!.fmtp[0]!.config).toContain('profile-level-id=42e01f');
  });

  it('receives simulcast by the offered rids', () => {
    const video = answerTo(chromeSimulcastOffer).media[1]!;
    expect(String(video.payloads)).toBe('96 97');
    expect(video.rids).toEqual([{ id: 'q', direction: 'recv' }, { id: 'h', direction: 'recv' }, { id: 'f', direction: 'recv' }]);
    expect(video.simulcast).toMatchObject({ dir1: 'recv', list1: 'q;h;f' });
    expect(video.ext?.map((e) => e.value)).toContain(10);
  });

  it('rejects a declined section with port 0, outside the BUNDLE', () => {
    const answer = answerTo(chromeSimulcastOffer.replace('m=video 9 UDP/TLS/RTP/SAVPF 96 97 98 99 102 103', 'm=video 9 UDP/TLS/RTP/SAVPF 98 99'));
    expect(answer.media[1]).toMatchObject({ port: 0, direction: 'inactive' });
    expect(String(answer.media[1]!.mid)).toBe('1');
    expect(answer.groups?.map((g) => [g.type, String(g.mids)])).toEqual([['BUNDLE', '0']]);
  });
});

describe('a player’s offer as consumer capabilities', () => {
  const media = parseOffer(chromePlayerOffer).media;

  it('makes the player’s router with the rooms’ codecs on the payload types the offer gave them', () => {
    expect(playerRouterCodecs(media, router).map((c) => [c.mimeType, c.preferredPayloadType])).toEqual([['audio/opus', 111], ['video/VP8', 96], ['video/H264', 102]]);
  });

  it('receives on the offer’s payload types, RTX only where the router’s RTX type is the offer’s, and no mid extension', () => {
    // As mediasoup makes it: RTX types it picks itself; here VP8's happens to be the offer's (97), H.264's not.
    const players = routerOf(playerRouterCodecs(media, router), [97, 125]);
    const caps = playerCapabilities(media, players);
    expect(caps.codecs!.map((c) => [c.mimeType, c.preferredPayloadType])).toEqual([['video/VP8', 96], ['video/rtx', 97], ['video/H264', 102], ['audio/opus', 111]]);
    expect(caps.headerExtensions!.map((e) => e.uri)).not.toContain('urn:ietf:params:rtp-hdrext:sdes:mid');
    expect(caps.headerExtensions!.map((e) => e.uri)).toContain('http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01');
  });

  it('leaves out codecs its router would send on other payload types, and refuses when none is left', () => {
    expectBadRequest(() => playerCapabilities(media, router));
  });

  it('refuses an offer that receives nothing', () => {
    expectBadRequest(() => playerRouterCodecs(parseOffer(obsOffer).media, router));
  });
});

describe('trickle ICE fragments', () => {
  it('reads the credentials and candidates a client trickles', () => {
    const frag = ['a=ice-ufrag:EsAw', 'a=ice-pwd:P2uYro0UCOQ4zxjKXaWCBui1', 'm=audio 9 RTP/AVP 0', 'a=mid:0', 'a=candidate:1387637174 1 udp 2122260223 192.0.2.1 61764 typ host generation 0', 'a=end-of-candidates', ''].join('\r\n');
    expect(parseIceFragment(frag)).toEqual({ usernameFragment: 'EsAw', password: 'P2uYro0UCOQ4zxjKXaWCBui1', candidates: 1 });
  });

  it('answers an ICE restart with the server’s new credentials for every section, and no session lines', () => {
    const text = writeIceFragment(local, ['0', '1']);
    expect(text).not.toMatch(/^[vost]=/m);
    expect(parseIceFragment(text)).toEqual({ usernameFragment: 'srvufrag', password: 'srvpassword', candidates: 2 });
    expect(text.match(/^a=mid:/gm)).toHaveLength(2);
  });
});
