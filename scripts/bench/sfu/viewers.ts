/**
 * Benchmark viewers: each one a PlainTransport whose RTP the worker encrypts with SRTP, as it
 * does for a browser's WebRTC transport, carrying one video and one audio consumer to a sink.
 */
import crypto from 'node:crypto';
import type { types } from 'mediasoup';
import { chooseSpatialLayer } from '../../../server/sfu/layer-selection.ts';

/**
 * Chrome and mediasoup settle on AEAD_AES_256_GCM (mediasoup's first DTLS-SRTP choice),
 * so that is what a viewer's packets cost to encrypt.
 */
export const SRTP_SUITE: types.SrtpCryptoSuite = 'AEAD_AES_256_GCM';
/** Master key plus salt, in bytes, per suite (RFC 7714, RFC 3711). */
const KEY_BYTES: Record<types.SrtpCryptoSuite, number> = {
  AEAD_AES_256_GCM: 44,
  AEAD_AES_128_GCM: 28,
  AES_CM_128_HMAC_SHA1_80: 30,
  AES_CM_128_HMAC_SHA1_32: 30
};

/**
 * What viewers report, run through the server's own layer choice (drawn height in device pixels,
 * estimated bandwidth). Most watch at the top layer: a laptop's player or a phone's (at 2–3× pixel
 * density) is taller than 360 device pixels. Some watch in a small window or on a link too slow for
 * it, a few on a link too slow for the middle one. Ten viewers in a row follow this mix exactly.
 */
const VIEWER_MIX: { viewportHeight: number; availableBitrate: number | null; of10: number }[] = [
  { viewportHeight: 1200, availableBitrate: null, of10: 6 },
  { viewportHeight: 450, availableBitrate: 1_000_000, of10: 3 },
  { viewportHeight: 500, availableBitrate: 400_000, of10: 1 }
];
const LAYER_BY_SLOT = VIEWER_MIX.flatMap((v) => Array<number>(v.of10).fill(chooseSpatialLayer(v)));

export interface Viewer {
  transport: types.PlainTransport;
  video: types.Consumer;
  /** The layer the viewer's reports ask for. */
  spatialLayer: number;
}

/** The layer the worker sends the viewer now, -1 for none yet. */
export function layerReceived(v: Viewer): number {
  return v.video.currentLayers?.spatialLayer ?? -1;
}

/** The simulcast layer the `index`-th viewer watches. */
export function layerOf(index: number): number {
  return LAYER_BY_SLOT[index % LAYER_BY_SLOT.length]!;
}

export async function addViewer(
  router: types.Router,
  producers: { video: types.Producer; audio: types.Producer },
  sinkPort: number,
  index: number
): Promise<Viewer> {
  const transport = await router.createPlainTransport({
    listenInfo: { protocol: 'udp', ip: '127.0.0.1' },
    rtcpMux: true,
    comedia: false,
    enableSrtp: true,
    srtpCryptoSuite: SRTP_SUITE
  });
  // The sink never sends, so the key it would send with only has to be well formed.
  const keyBase64 = crypto.randomBytes(KEY_BYTES[SRTP_SUITE]).toString('base64');
  await transport.connect({ ip: '127.0.0.1', port: sinkPort, srtpParameters: { cryptoSuite: SRTP_SUITE, keyBase64 } });
  const spatialLayer = layerOf(index);
  const rtpCapabilities = router.rtpCapabilities;
  const video = await transport.consume({ producerId: producers.video.id, rtpCapabilities, preferredLayers: { spatialLayer, temporalLayer: 2 } });
  await transport.consume({ producerId: producers.audio.id, rtpCapabilities });
  return { transport, video, spatialLayer };
}

/** Payload type to clock rate of what the consumers send, for the sinks' jitter. */
export function clockRates(router: types.Router): Record<number, number> {
  const rates: Record<number, number> = {};
  for (const c of router.rtpCapabilities.codecs ?? []) if (c.preferredPayloadType !== undefined) rates[c.preferredPayloadType] = c.clockRate;
  return rates;
}
