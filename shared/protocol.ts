/**
 * The realtime protocol between browser and server over one WebSocket.
 * Client → server: requests `{id, method, data}`, each answered exactly once with
 * `{id, ok: true, data}` or `{id, ok: false, error: {code, message}}`.
 * Server → client: notifications `{notification, data}`.
 * Every inbound message is parsed with these schemas before it reaches domain code.
 */
import { z } from 'zod';
import type { ErrorBody } from './errors.ts';
import type { FollowerDto } from './follows.ts';
import type { ShowStatus } from './shows.ts';
import { mediaModes, type MediaMode } from './media.ts';
import type { AuctionEvent, LotDto } from './auctions.ts';
import { bidRequestSchema, lotRequestSchema, maxBidRequestSchema, showLotsRequestSchema } from './auctions.ts';
import { voteSchema, type OverlayState, type StockUpdate } from './commerce.ts';
import { chatHistorySchema, chatSendSchema, heartSchema, type ChatMessageDto, type ChatState } from './chat.ts';
import type { CaptionCue } from './captions.ts';

/** Largest inbound ws message the server accepts; SDP-sized payloads are far below it. */
export const MAX_WS_MESSAGE_BYTES = 64 * 1024;

const id = z.string().min(1).max(64);

const fingerprint = z.object({ algorithm: z.string().max(32), value: z.string().max(256) });
export const dtlsParametersSchema = z.object({
  role: z.enum(['auto', 'client', 'server']).optional(),
  fingerprints: z.array(fingerprint).min(1).max(8)
});

/**
 * Strings that end up in a session description (ours to FFmpeg, mediasoup-client's in viewers'
 * browsers) are single tokens: no spaces, no line breaks, nothing outside printable ASCII.
 */
const sdpToken = (max: number) => z.string().max(max).regex(/^[\x21-\x7e]*$/, 'must be one printable token');
const mimeType = z.string().max(64).regex(/^(audio|video)\/[A-Za-z0-9._-]+$/, 'must be a media type such as video/VP8');
const rtcpFeedback = z.object({ type: sdpToken(32), parameter: sdpToken(32).optional() });
/** fmtp parameters as the codecs name them (profile-level-id=42e01f, useinbandfec=1): nothing that could end the line. */
const codecParameters = z.record(
  z.string().max(64).regex(/^[A-Za-z0-9-]+$/, 'codec parameter names are letters, digits and dashes'),
  z.union([z.string().max(128).regex(/^[A-Za-z0-9.:/_-]*$/, 'codec parameter values are letters, digits and . : / _ -'), z.number()])
);
const rtpCodecParameters = z.object({
  mimeType,
  payloadType: z.number().int().min(0).max(127),
  clockRate: z.number().int().positive(),
  channels: z.number().int().positive().optional(),
  parameters: codecParameters.optional(),
  rtcpFeedback: z.array(rtcpFeedback).max(32).optional()
});
const rtpEncoding = z.looseObject({
  ssrc: z.number().int().nonnegative().optional(),
  rid: sdpToken(32).optional(),
  maxBitrate: z.number().positive().optional(),
  scaleResolutionDownBy: z.number().positive().optional(),
  scalabilityMode: z.string().max(16).optional(),
  dtx: z.boolean().optional()
});
const headerExtension = z.looseObject({ uri: z.string().max(256), id: z.number().int().min(1).max(255) });
export const rtpParametersSchema = z.object({
  mid: sdpToken(32).optional(),
  codecs: z.array(rtpCodecParameters).min(1).max(16),
  headerExtensions: z.array(headerExtension).max(32).optional(),
  encodings: z.array(rtpEncoding).max(8).optional(),
  rtcp: z.looseObject({ cname: sdpToken(256).optional(), reducedSize: z.boolean().optional() }).optional()
});

const rtpCodecCapability = z.looseObject({
  kind: z.enum(['audio', 'video']),
  mimeType,
  clockRate: z.number().int().positive(),
  channels: z.number().int().positive().optional(),
  preferredPayloadType: z.number().int().min(0).max(127).optional(),
  parameters: codecParameters.optional(),
  rtcpFeedback: z.array(rtcpFeedback).max(32).optional()
});
export const rtpCapabilitiesSchema = z.object({
  codecs: z.array(rtpCodecCapability).max(64).optional(),
  headerExtensions: z.array(z.looseObject({ uri: z.string().max(256) })).max(64).optional()
});

/** Request schemas by method name. */
export const requestSchemas = {
  /** Enter a show's room as its host (to publish) or as a viewer. */
  join: z.object({ showId: id, role: z.enum(['host', 'viewer']) }),
  leave: z.object({}),
  createTransport: z.object({ direction: z.enum(['send', 'recv']) }),
  connectTransport: z.object({ transportId: id, dtlsParameters: dtlsParametersSchema }),
  produce: z.object({
    transportId: id,
    kind: z.enum(['audio', 'video']),
    rtpParameters: rtpParametersSchema
  }),
  closeProducer: z.object({ producerId: id }),
  /** Ask for consumers of every producer in the room the caller is not yet consuming. */
  consume: z.object({ rtpCapabilities: rtpCapabilitiesSchema }),
  resumeConsumer: z.object({ consumerId: id }),
  /** The viewer's rendered video size in CSS pixels × devicePixelRatio; drives simulcast layer choice. */
  setViewport: z.object({
    width: z.number().int().min(0).max(16384),
    height: z.number().int().min(0).max(16384)
  }),
  /** How the joined viewer is watching now (it falls back to LL-HLS and returns); the counter-bid window waits for HLS viewers. */
  reportMediaMode: z.object({ mode: z.enum(mediaModes) }),
  /** Clock offset estimation: the server answers with its own time. */
  ping: z.object({ clientTime: z.number() }),
  /** The show's current (or last) lot with its full event history, and the caller's own max bid. */
  auctionSnapshot: showLotsRequestSchema,
  bid: bidRequestSchema,
  setMaxBid: maxBidRequestSchema,
  /** Events of one lot after `afterSeq`, to fill a gap without a full snapshot. */
  lotEvents: lotRequestSchema.extend({ afterSeq: z.number().int().nonnegative() }),
  /** What is over the video right now (pins, drop, coupon, notice, poll). */
  overlaySnapshot: showLotsRequestSchema,
  vote: voteSchema,
  chatSend: chatSendSchema,
  /** Recent messages, the pinned one and slow mode: what a (re)joining viewer needs. */
  chatHistory: chatHistorySchema,
  heart: heartSchema
} as const;

export type RequestMethod = keyof typeof requestSchemas;
export type RequestData<M extends RequestMethod> = z.input<(typeof requestSchemas)[M]>;

export const requestEnvelopeSchema = z.object({
  id: z.number().int().nonnegative(),
  method: z.string().max(64),
  data: z.unknown().optional()
});

export interface TransportInfo {
  id: string;
  iceParameters: unknown;
  iceCandidates: unknown[];
  dtlsParameters: unknown;
  iceServers: RTCIceServerLike[];
}

export interface RTCIceServerLike {
  urls: string | string[];
  username?: string;
  credential?: string;
}

export interface ConsumerInfo {
  id: string;
  producerId: string;
  kind: 'audio' | 'video';
  rtpParameters: unknown;
}

/** Response data by method name. */
export interface ResponseData {
  join: {
    peerId: string;
    showStatus: ShowStatus;
    mediaMode: MediaMode;
    routerRtpCapabilities: unknown;
    producerCount: number;
  };
  leave: Record<string, never>;
  createTransport: TransportInfo;
  connectTransport: Record<string, never>;
  produce: { producerId: string };
  closeProducer: Record<string, never>;
  consume: { consumers: ConsumerInfo[] };
  resumeConsumer: Record<string, never>;
  setViewport: { spatialLayer: number };
  reportMediaMode: Record<string, never>;
  ping: { clientTime: number; serverTime: number };
  auctionSnapshot: { lot: LotDto | null; events: AuctionEvent[]; myMax: number | null };
  bid: { seq: number; amount: number; leading: boolean };
  setMaxBid: { seq: number; leading: boolean; myMax: number };
  lotEvents: { events: AuctionEvent[] };
  overlaySnapshot: OverlayState;
  vote: { votes: number[] };
  chatSend: { message: ChatMessageDto };
  /** With the show's heart total, so a new viewer sees it before the next burst. */
  chatHistory: ChatState & { heartsTotal: number };
  heart: Record<string, never>;
}

export type Response<M extends RequestMethod = RequestMethod> =
  | { id: number; ok: true; data: ResponseData[M] }
  | { id: number; ok: false; error: ErrorBody };

/** A request's data as its handler gets it: parsed by the method's schema, defaults filled in. */
export type ParsedRequestData<M extends RequestMethod> = z.output<(typeof requestSchemas)[M]>;

/** The server's answer to every method: a misspelled method or a reply of the wrong shape does not compile. */
export type RequestHandlers = {
  [M in RequestMethod]: (data: ParsedRequestData<M>) => Promise<ResponseData[M]> | ResponseData[M];
};

/** Notification payloads by name. */
export interface Notifications {
  /** A producer appeared in the room: viewers call `consume`. */
  newProducer: { producerId: string; kind: 'audio' | 'video' };
  consumerClosed: { consumerId: string };
  consumerLayersChanged: { consumerId: string; spatialLayer: number | null };
  showStatus: { showId: string; status: ShowStatus };
  /** The media server behind the room restarted: clients join again from scratch. */
  mediaReset: { showId: string };
  viewerCount: { count: number };
  /** Accepted auction events in order; a frame may carry several (coalesced per tick). */
  auctionEvents: { lotId: string; events: AuctionEvent[] };
  /** The show's lot queue changed (a lot was added, started or closed): refetch the snapshot. */
  lotChanged: { lot: LotDto };
  /** The host changed the overlay; the whole state, so nothing depends on order. */
  overlay: OverlayState;
  /** Latest stock of a product (coalesced per tick). */
  stock: StockUpdate;
  pollResults: { pollId: string; votes: number[] };
  couponRemaining: { couponId: string; remaining: number };
  /** An order of the show was placed, paid or lapsed: the studio rereads its sales (coalesced per tick). */
  salesChanged: { showId: string };
  /** New chat messages in order (coalesced per tick). */
  chat: { messages: ChatMessageDto[] };
  chatDeleted: { messageId: number };
  chatSettings: Omit<ChatState, 'messages'>;
  /** Hearts tapped since the last burst, and the show's total. */
  hearts: { count: number; total: number };
  /** The shop of the show's host gained or lost a follower. */
  followers: { hostId: string; count: number };
  /** To the host's studio only: someone followed the shop. */
  newFollower: { follower: FollowerDto };
  /** A caption of the host's speech: an interim cue is replaced by the next with its id, a final one stays. */
  captions: { cue: CaptionCue };
  /** A bad message was rejected without a request id to answer. */
  error: ErrorBody;
}

export type NotificationName = keyof Notifications;
export type Notification<N extends NotificationName = NotificationName> = {
  notification: N;
  data: Notifications[N];
};
