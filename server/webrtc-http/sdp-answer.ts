import { randomInt } from 'node:crypto';
import { write, type MediaDescription, type SessionDescription } from 'sdp-transform';
import type { types } from 'mediasoup';
import type { ParsedOffer } from './sdp-offer.ts';

/** The server's end of one WebRtcTransport, as the answer announces it. */
export interface LocalTransport {
  iceParameters: types.IceParameters;
  iceCandidates: types.IceCandidate[];
  dtlsParameters: types.DtlsParameters;
}

/** What the answer says for one offered section: taken (with the RTP it carries) or declined. */
export type AnsweredSection =
  | {
      media: MediaDescription;
      direction: 'recvonly' | 'sendonly' | 'inactive';
      rtpParameters: Pick<types.RtpParameters, 'codecs' | 'headerExtensions'>;
      /** Simulcast streams the server receives, by rid. */
      recvRids?: string[];
      /** The stream the server sends: its SSRC, the RTX one and the names the receiver groups it by. */
      send?: { ssrc: number; rtxSsrc?: number; cname: string; streamId: string; trackId: string };
    }
  | { media: MediaDescription; declined: true };

/** Writes an answer to `offer` with sdp-transform: ICE-lite, one BUNDLE over every section taken. */
export function writeAnswer(offer: ParsedOffer, transport: LocalTransport, sections: AnsweredSection[]): string {
  const fingerprint = transport.dtlsParameters.fingerprints.find((f) => f.algorithm === 'sha-256') ?? transport.dtlsParameters.fingerprints[0]!;
  const media = sections.map((s): MediaDescription => ('declined' in s ? declined(s.media) : taken(s, offer, transport, fingerprint)));
  const bundled = sections.filter((s) => !('declined' in s)).map((s) => String(s.media.mid));
  const session: SessionDescription = {
    version: 0,
    origin: { username: '-', sessionId: String(randomInt(2 ** 47)), sessionVersion: 1, netType: 'IN', ipVer: 4, address: '0.0.0.0' },
    name: '-',
    timing: { start: 0, stop: 0 },
    icelite: 'ice-lite',
    ...(bundled.length > 0 && { groups: [{ type: 'BUNDLE', mids: bundled.join(' ') }] }),
    ...(offer.session.extmapAllowMixed && { extmapAllowMixed: 'extmap-allow-mixed' as const }),
    msidSemantic: { semantic: 'WMS', token: '*' },
    media
  };
  return write(session);
}

/** The ICE credentials and candidates of the server's end, as a trickle ICE fragment (an ICE restart's reply). */
export function writeIceFragment(transport: Pick<LocalTransport, 'iceParameters' | 'iceCandidates'>, mids: string[]): string {
  const session = {
    iceUfrag: transport.iceParameters.usernameFragment,
    icePwd: transport.iceParameters.password,
    media: mids.map((mid) => ({ type: 'audio', port: 9, protocol: 'RTP/AVP', payloads: '0', rtp: [], fmtp: [], mid, candidates: candidates(transport.iceCandidates), endOfCandidates: 'end-of-candidates' as const }))
  } as unknown as SessionDescription;
  // A fragment is attribute lines only: the writer's session lines (v=, o=, s=, t=) are not part of it.
  return write(session).split('\r\n').filter((line) => line !== '' && !/^[vost]=/.test(line)).join('\r\n') + '\r\n';
}

function candidates(list: types.IceCandidate[]): NonNullable<MediaDescription['candidates']> {
  return list.map((c) => ({
    foundation: c.foundation,
    component: 1,
    transport: c.protocol,
    priority: c.priority,
    ip: c.address,
    port: c.port,
    type: c.type,
    ...(c.tcpType && { tcptype: c.tcpType })
  }));
}

function taken(
  s: Extract<AnsweredSection, { direction: string }>,
  offer: ParsedOffer,
  transport: LocalTransport,
  fingerprint: types.DtlsFingerprint
): MediaDescription {
  const codecs = s.rtpParameters.codecs;
  const m: MediaDescription = {
    type: s.media.type,
    port: 9,
    protocol: s.media.protocol,
    payloads: codecs.map((c) => c.payloadType).join(' '),
    connection: { version: 4, ip: '0.0.0.0' },
    rtp: codecs.map((c) => ({ payload: c.payloadType, codec: c.mimeType.split('/')[1]!, rate: c.clockRate, ...(c.channels && c.channels > 1 && { encoding: c.channels }) })),
    fmtp: codecs
      .filter((c) => c.parameters && Object.keys(c.parameters).length > 0)
      .map((c) => ({ payload: c.payloadType, config: Object.entries(c.parameters!).map(([k, v]) => `${k}=${v}`).join(';') })),
    rtcpFb: codecs.flatMap((c) => (c.rtcpFeedback ?? []).map((fb) => ({ payload: c.payloadType, type: fb.type, ...(fb.parameter && { subtype: fb.parameter }) }))),
    ext: (s.rtpParameters.headerExtensions ?? []).map((e) => ({ value: e.id, uri: e.uri })),
    setup: offer.answerSetup,
    mid: String(s.media.mid),
    direction: s.direction,
    iceUfrag: transport.iceParameters.usernameFragment,
    icePwd: transport.iceParameters.password,
    fingerprint: { type: fingerprint.algorithm, hash: fingerprint.value },
    candidates: candidates(transport.iceCandidates),
    endOfCandidates: 'end-of-candidates',
    rtcpMux: 'rtcp-mux',
    ...(s.media.rtcpRsize && { rtcpRsize: 'rtcp-rsize' as const })
  };
  if (s.recvRids?.length) {
    m.rids = s.recvRids.map((id) => ({ id, direction: 'recv' }));
    m.simulcast = { dir1: 'recv', list1: s.recvRids.join(';') };
  }
  if (s.send) {
    const { ssrc, rtxSsrc, cname, streamId, trackId } = s.send;
    m.msid = [{ id: streamId, appdata: trackId }];
    m.ssrcs = [{ id: ssrc, attribute: 'cname', value: cname }];
    if (rtxSsrc !== undefined) {
      m.ssrcs.push({ id: rtxSsrc, attribute: 'cname', value: cname });
      m.ssrcGroups = [{ semantics: 'FID', ssrcs: `${ssrc} ${rtxSsrc}` }];
    }
  }
  return m;
}

/** A section the server does not take: port 0, as RFC 3264 rejects one, outside the BUNDLE. */
function declined(offered: MediaDescription): MediaDescription {
  const first = String(offered.payloads ?? '').split(' ')[0] ?? '0';
  return {
    type: offered.type,
    port: 0,
    protocol: offered.protocol,
    payloads: first,
    connection: { version: 4, ip: '0.0.0.0' },
    rtp: offered.rtp.filter((r) => String(r.payload) === first),
    fmtp: [],
    mid: String(offered.mid),
    direction: 'inactive'
  };
}
