/**
 * Sends a room's video (and audio) producer to FFmpeg as plain RTP: one
 * PlainTransport and consumer per stream, pointed at ports FFmpeg binds from
 * the SDP this builds. `plainRtpOutput` does it for one producer (the captions' audio tap uses it too).
 */
import dgram from 'node:dgram';
import type { types } from 'mediasoup';
import { renderSdp, type SdpMedia } from './sdp.ts';

export interface IngestSources {
  video: types.Producer;
  audio: types.Producer | null;
}

const IP = '127.0.0.1';

export class RtpIngest {
  readonly sdp: string;
  readonly hasAudio: boolean;
  readonly #transports: types.PlainTransport[];
  readonly #video: types.Consumer;

  static async open(router: types.Router, sources: IngestSources): Promise<RtpIngest> {
    const transports: types.PlainTransport[] = [];
    try {
      const media: SdpMedia[] = [];
      const consumers: types.Consumer[] = [];
      for (const producer of [sources.video, sources.audio]) {
        if (!producer) continue;
        const out = await plainRtpOutput(router, producer, (t) => transports.push(t));
        consumers.push(out.consumer);
        media.push(out.media);
      }
      return new RtpIngest(renderSdp(media, IP), transports, consumers[0]!, sources.audio !== null);
    } catch (err) {
      for (const t of transports) t.close();
      throw err;
    }
  }

  private constructor(sdp: string, transports: types.PlainTransport[], video: types.Consumer, hasAudio: boolean) {
    this.sdp = sdp;
    this.#transports = transports;
    this.#video = video;
    this.hasAudio = hasAudio;
  }

  /** Asks the host for a keyframe: FFmpeg cannot start decoding (or recover from loss) without one, and never asks itself. */
  requestKeyFrame(): void {
    if (!this.#video.closed) void this.#video.requestKeyFrame().catch(() => {});
  }

  close(): void {
    for (const t of this.#transports) t.close();
  }
}

/**
 * Sends one producer as plain RTP to a local port pair FFmpeg will bind, and describes it for the SDP.
 * `opened` hears the transport as soon as it exists, so a caller can close it if a later step fails.
 */
export async function plainRtpOutput(
  router: types.Router,
  producer: types.Producer,
  opened: (transport: types.PlainTransport) => void
): Promise<{ consumer: types.Consumer; media: SdpMedia }> {
  // FFmpeg listens on the SDP's port and RTCP on the next one: no rtcp-mux, and mediasoup sends to it (no comedia).
  const transport = await router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: IP }, rtcpMux: false, comedia: false });
  opened(transport);
  const port = await freeRtpPort();
  await transport.connect({ ip: IP, port, rtcpPort: port + 1 });
  // Simulcast: without preferred layers mediasoup forwards the highest one the host sends.
  const consumer = await transport.consume({
    producerId: producer.id,
    rtpCapabilities: plainCapabilities(router.rtpCapabilities, producer.kind),
    enableRtx: false // FFmpeg sends no NACKs
  });
  const codec = consumer.rtpParameters.codecs[0]!;
  const media: SdpMedia = {
    kind: producer.kind,
    port,
    payloadType: codec.payloadType,
    mimeType: codec.mimeType,
    clockRate: codec.clockRate,
    channels: codec.channels,
    parameters: codec.parameters
  };
  return { consumer, media };
}

/** The router's codecs of one kind, without RTX or feedback: what a plain RTP receiver like FFmpeg handles. */
function plainCapabilities(router: types.RtpCapabilities, kind: types.MediaKind): types.RtpCapabilities {
  return {
    codecs: (router.codecs ?? [])
      .filter((c) => c.kind === kind && !c.mimeType.toLowerCase().endsWith('/rtx'))
      .map((c) => ({ ...c, rtcpFeedback: [] })),
    headerExtensions: []
  };
}

/** An even UDP port whose successor is free too (FFmpeg binds RTP there and RTCP on the next). */
async function freeRtpPort(): Promise<number> {
  const bind = (port: number) =>
    new Promise<dgram.Socket>((resolve, reject) => {
      const s = dgram.createSocket('udp4');
      s.once('error', (err) => {
        s.close();
        reject(err);
      });
      s.bind(port, IP, () => resolve(s));
    });
  for (let attempt = 0; attempt < 20; attempt++) {
    const probe = await bind(0);
    const port = probe.address().port & ~1;
    probe.close();
    const held: dgram.Socket[] = [];
    try {
      held.push(await bind(port), await bind(port + 1));
      return port;
    } catch {
      // taken; try another
    } finally {
      for (const s of held) s.close();
    }
  }
  throw new Error('no free UDP port pair for RTP');
}
