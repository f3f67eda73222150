import type { MediaDescription } from 'sdp-transform';
import type { types } from 'mediasoup';
import { AppError } from '../errors.ts';
import { mediaCodecs } from '../sfu/media-codecs.ts';
import { offeredCodecs, routerCodecFor, rtxFor, sharedExtensions, sharedFeedback } from './offered-codecs.ts';
import type { AnsweredSection } from './sdp-answer.ts';

const MID_URI = 'urn:ietf:params:rtp-hdrext:sdes:mid';

/** True for a section a player receives audio or video in. */
export function receives(m: MediaDescription): boolean {
  return (m.type === 'audio' || m.type === 'video') && m.port !== 0 && (m.direction === 'recvonly' || m.direction === 'sendrecv');
}

function receiving(media: MediaDescription[]): MediaDescription[] {
  const sections = media.filter(receives);
  if (sections.length === 0) throw new AppError('bad_request', 'The SDP offer receives no audio or video.', { reason: 'invalid_input', field: 'sdp' });
  return sections;
}

/**
 * The codecs of a router that sends on the player's payload types (see PlayerRouters): each of the
 * rooms' codecs the offer can decode, with the payload type the offer gave it.
 */
export function playerRouterCodecs(media: MediaDescription[], showRouter: types.RtpCapabilities): types.RouterRtpCodecCapability[] {
  const offered = receiving(media).flatMap((m) => offeredCodecs(m).map((codec) => ({ codec, cap: routerCodecFor(codec, showRouter) })));
  const codecs = mediaCodecs.flatMap((m) => {
    const match = offered.find((o) => o.cap?.mimeType.toLowerCase() === m.mimeType.toLowerCase());
    return match ? [{ ...m, preferredPayloadType: match.codec.payloadType }] : [];
  });
  if (codecs.length === 0) throw new AppError('bad_request', 'The SDP offer receives no codec the server sends (Opus, VP8, H.264 constrained baseline).', { reason: 'invalid_input', field: 'sdp' });
  return codecs;
}

/**
 * What the player receives, as mediasoup's consume takes it: the codecs its router sends on the
 * payload types the offer gave them (RTX only where the router's RTX type is also the offer's), and
 * the header extensions both know. The mid extension is left out: the answer names each stream by
 * SSRC, so a consumer's own mid never meets the offer's.
 */
export function playerCapabilities(media: MediaDescription[], playerRouter: types.RtpCapabilities): types.RtpCapabilities {
  const codecs: types.RtpCodecCapability[] = [];
  const headerExtensions: types.RtpHeaderExtension[] = [];
  for (const m of receiving(media)) {
    const kind = m.type as types.MediaKind;
    const offered = offeredCodecs(m);
    for (const codec of offered) {
      const cap = routerCodecFor(codec, playerRouter);
      if (!cap || cap.preferredPayloadType !== codec.payloadType) continue;
      codecs.push({ kind, mimeType: cap.mimeType, preferredPayloadType: codec.payloadType, clockRate: codec.clockRate, ...(codec.channels !== undefined && { channels: codec.channels }), parameters: codec.parameters, rtcpFeedback: sharedFeedback(codec, cap) });
      const rtx = rtxFor(offered, codec.payloadType);
      const routerRtx = playerRouter.codecs?.find((c) => c.mimeType.toLowerCase().endsWith('/rtx') && Number(c.parameters?.apt) === codec.payloadType);
      if (rtx && routerRtx?.preferredPayloadType === rtx.payloadType) {
        codecs.push({ kind, mimeType: `${kind}/rtx`, preferredPayloadType: rtx.payloadType, clockRate: rtx.clockRate, parameters: { apt: codec.payloadType }, rtcpFeedback: [] });
      }
    }
    for (const e of sharedExtensions(m, playerRouter)) {
      if (e.uri !== MID_URI) headerExtensions.push({ kind, uri: e.uri, preferredId: e.id, direction: 'sendrecv' });
    }
  }
  if (codecs.length === 0) throw new AppError('bad_request', 'The SDP offer receives no codec the server sends (Opus, VP8, H.264 constrained baseline).', { reason: 'invalid_input', field: 'sdp' });
  return { codecs, headerExtensions };
}

/** The answer's sections: each offered receiving section gets the first consumer of its kind, in order; the rest are declined. */
export function playbackSections(media: MediaDescription[], consumers: types.Consumer[], streamId: string): AnsweredSection[] {
  const left = [...consumers];
  return media.map((m): AnsweredSection => {
    const i = receives(m) ? left.findIndex((c) => c.kind === m.type) : -1;
    if (i < 0) return { media: m, declined: true };
    const consumer = left.splice(i, 1)[0]!;
    const { rtpParameters } = consumer;
    const encoding = rtpParameters.encodings?.[0];
    if (encoding?.ssrc === undefined) throw new Error('A consumer without an SSRC.');
    return {
      media: m,
      direction: 'sendonly',
      rtpParameters,
      send: { ssrc: encoding.ssrc, rtxSsrc: encoding.rtx?.ssrc, cname: rtpParameters.rtcp?.cname ?? streamId, streamId, trackId: consumer.id }
    };
  });
}
