import type { MediaDescription } from 'sdp-transform';
import { parseParams } from 'sdp-transform';
import type { types } from 'mediasoup';

/** One payload type of an offered media section, as mediasoup describes a codec. */
export interface OfferedCodec {
  payloadType: number;
  mimeType: string;
  clockRate: number;
  channels?: number;
  parameters: Record<string, string | number>;
  rtcpFeedback: types.RtcpFeedback[];
}

/** The codecs a media section offers, in the offerer's order of preference. */
export function offeredCodecs(m: MediaDescription): OfferedCodec[] {
  const kind = m.type;
  const order = String(m.payloads ?? '').split(' ').filter(Boolean).map(Number);
  return order.flatMap((pt) => {
    const rtp = m.rtp.find((r) => r.payload === pt);
    if (!rtp) return [];
    const fmtp = m.fmtp.find((f) => f.payload === pt);
    const parameters = fmtp ? (parseParams(fmtp.config) as Record<string, string | number>) : {};
    const rtcpFeedback = (m.rtcpFb ?? [])
      .filter((fb) => String(fb.payload) === String(pt) || fb.payload === '*')
      .map((fb) => ({ type: fb.type, parameter: fb.subtype ?? '' }));
    const channels = kind === 'audio' ? Number(rtp.encoding ?? 1) : undefined;
    return [{ payloadType: pt, mimeType: `${kind}/${rtp.codec}`, clockRate: rtp.rate ?? 90000, ...(channels !== undefined && { channels }), parameters, rtcpFeedback }];
  });
}

/**
 * H.264 in constrained baseline (RFC 6184's profile_idc and constraint flags): the only profile the routers
 * offer, so the only one a producer's stream may carry and every viewer decode.
 */
function constrainedBaseline(profileLevelId: unknown): boolean {
  const id = String(profileLevelId ?? '');
  if (!/^[0-9a-f]{6}$/i.test(id)) return false;
  const idc = parseInt(id.slice(0, 2), 16);
  const iop = parseInt(id.slice(2, 4), 16);
  return (idc === 0x42 && (iop & 0x40) !== 0) || (idc === 0x4d && (iop & 0x80) !== 0) || (idc === 0x58 && (iop & 0xc0) === 0xc0);
}

/** The router's codec an offered one matches (mime type, clock, channels, H.264 mode and profile), or undefined. */
export function routerCodecFor(offered: OfferedCodec, router: types.RtpCapabilities): types.RtpCodecCapability | undefined {
  const mime = offered.mimeType.toLowerCase();
  // RTX repairs a codec; it is never one to carry by itself.
  if (mime.endsWith('/rtx')) return undefined;
  return router.codecs?.find((c) => {
    if (c.mimeType.toLowerCase() !== mime || c.clockRate !== offered.clockRate) return false;
    if (mime === 'audio/opus') return offered.channels === 2;
    if (mime === 'video/h264') {
      return Number(offered.parameters['packetization-mode'] ?? 0) === Number(c.parameters?.['packetization-mode'] ?? 0) && constrainedBaseline(offered.parameters['profile-level-id']);
    }
    return true;
  });
}

/** The feedback both sides speak for a codec. */
export function sharedFeedback(offered: OfferedCodec, router: types.RtpCodecCapability): types.RtcpFeedback[] {
  return offered.rtcpFeedback.filter((fb) => router.rtcpFeedback?.some((r) => r.type === fb.type && (r.parameter ?? '') === (fb.parameter ?? '')));
}

/** The offered RTX payload type that repairs `payloadType`, if any. */
export function rtxFor(codecs: OfferedCodec[], payloadType: number): OfferedCodec | undefined {
  return codecs.find((c) => c.mimeType.toLowerCase().endsWith('/rtx') && Number(c.parameters.apt) === payloadType);
}

/** Header extensions of the section the router also knows for its kind, keeping the offerer's ids. */
export function sharedExtensions(m: MediaDescription, router: types.RtpCapabilities): types.RtpHeaderExtensionParameters[] {
  return (m.ext ?? []).filter((e) => router.headerExtensions?.some((h) => h.kind === m.type && h.uri === e.uri)).map((e) => ({ uri: e.uri as types.RtpHeaderExtensionUri, id: e.value }));
}
