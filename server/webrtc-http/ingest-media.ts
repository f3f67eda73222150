import type { MediaDescription } from 'sdp-transform';
import type { types } from 'mediasoup';
import { AppError } from '../errors.ts';
import { offeredCodecs, routerCodecFor, rtxFor, sharedExtensions, sharedFeedback } from './offered-codecs.ts';

const MID_URI = 'urn:ietf:params:rtp-hdrext:sdes:mid';
const RID_URI = 'urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id';

/** One offered section the server takes: what to produce, and what the answer says back. */
export interface IngestTrack {
  mid: string;
  kind: types.MediaKind;
  rtpParameters: types.RtpParameters;
  /** Simulcast streams by rid, lowest first as offered; empty without simulcast. */
  rids: string[];
}

/** What the server makes of each offered section, in order: a track to produce, or a reason it is declined. */
export type IngestSection = { track: IngestTrack; media: MediaDescription } | { declined: string; media: MediaDescription };

function unusable(message: string): AppError {
  return new AppError('bad_request', message, { reason: 'invalid_input', field: 'sdp' });
}

/**
 * Maps a publisher's offer to mediasoup producers: per section its first codec the router carries (the
 * offerer's order), that codec's RTX, the header extensions both know, and its streams (simulcast rids,
 * or SSRCs with their RTX pair). One audio and one video track at most, as a browser host publishes.
 */
export function ingestSections(media: MediaDescription[], router: types.RtpCapabilities): IngestSection[] {
  const taken = new Set<string>();
  const sections = media.map((m): IngestSection => {
    if (m.type !== 'audio' && m.type !== 'video') return { declined: 'not audio or video', media: m };
    if (m.port === 0) return { declined: 'rejected by the offerer', media: m };
    if (m.direction !== 'sendonly' && m.direction !== 'sendrecv') return { declined: 'does not send', media: m };
    if (taken.has(m.type)) return { declined: `a second ${m.type} track`, media: m };
    const track = ingestTrack(m, router);
    if (!track) return { declined: 'no codec the server carries', media: m };
    taken.add(m.type);
    return { track, media: m };
  });
  if (taken.size === 0) throw unusable('The SDP offer sends no audio or video the server can carry (Opus, VP8, H.264 constrained baseline).');
  return sections;
}

function ingestTrack(m: MediaDescription, router: types.RtpCapabilities): IngestTrack | null {
  const codecs = offeredCodecs(m);
  let chosen: { codec: (typeof codecs)[number]; cap: types.RtpCodecCapability } | undefined;
  for (const codec of codecs) {
    const cap = routerCodecFor(codec, router);
    if (cap) {
      chosen = { codec, cap };
      break;
    }
  }
  if (!chosen) return null;
  const kind = m.type as types.MediaKind;
  const mid = String(m.mid);
  const rtx = kind === 'video' ? rtxFor(codecs, chosen.codec.payloadType) : undefined;
  const rtpCodecs: types.RtpCodecParameters[] = [
    {
      mimeType: chosen.cap.mimeType,
      payloadType: chosen.codec.payloadType,
      clockRate: chosen.codec.clockRate,
      ...(chosen.codec.channels !== undefined && { channels: chosen.codec.channels }),
      parameters: chosen.codec.parameters,
      rtcpFeedback: sharedFeedback(chosen.codec, chosen.cap)
    }
  ];
  if (rtx) rtpCodecs.push({ mimeType: `${kind}/rtx`, payloadType: rtx.payloadType, clockRate: rtx.clockRate, parameters: { apt: chosen.codec.payloadType }, rtcpFeedback: [] });
  const headerExtensions = sharedExtensions(m, router);
  const rids = simulcastRids(m);
  const cname = m.ssrcs?.find((s) => s.attribute === 'cname')?.value;
  const hasExtension = (uri: string) => headerExtensions.some((e) => e.uri === uri);
  let encodings: types.RtpEncodingParameters[];
  if (rids.length > 0) {
    if (!hasExtension(MID_URI) || !hasExtension(RID_URI)) throw unusable('The SDP offer sends simulcast without the mid and rid header extensions.');
    encodings = rids.map((rid) => ({ rid }));
  } else {
    const ssrc = primarySsrc(m);
    if (ssrc === undefined && !hasExtension(MID_URI)) throw unusable('The SDP offer names neither SSRCs nor the mid header extension for a track.');
    const rtxSsrc = ssrc === undefined ? undefined : fidPair(m, ssrc);
    encodings = [{ ...(ssrc !== undefined && { ssrc }), ...(rtx && rtxSsrc !== undefined && { rtx: { ssrc: rtxSsrc } }) }];
  }
  return {
    mid,
    kind,
    rids,
    rtpParameters: { mid, codecs: rtpCodecs, headerExtensions, encodings, rtcp: { ...(cname && { cname }), reducedSize: m.rtcpRsize === 'rtcp-rsize' } }
  };
}

/** The rids of `a=simulcast:send` (the first of each alternative, `~` paused ones included) that `a=rid` declares to send. */
function simulcastRids(m: MediaDescription): string[] {
  const sim = m.simulcast;
  const list = sim?.dir1 === 'send' ? sim.list1 : sim?.dir2 === 'send' ? sim.list2 : undefined;
  if (!list) return [];
  const declared = new Set((m.rids ?? []).filter((r) => r.direction === 'send').map((r) => String(r.id)));
  return list.split(';').map((alt) => alt.split(',')[0]!.replace(/^~/, '')).filter((rid) => declared.has(rid));
}

/** The first SSRC that is not the repair stream of another. */
function primarySsrc(m: MediaDescription): number | undefined {
  const repairs = new Set((m.ssrcGroups ?? []).filter((g) => g.semantics === 'FID').map((g) => Number(g.ssrcs.split(' ')[1])));
  return m.ssrcs?.map((s) => Number(s.id)).find((id) => !repairs.has(id));
}

function fidPair(m: MediaDescription, ssrc: number): number | undefined {
  const group = (m.ssrcGroups ?? []).find((g) => g.semantics === 'FID' && Number(g.ssrcs.split(' ')[0]) === ssrc);
  return group ? Number(group.ssrcs.split(' ')[1]) : undefined;
}
