/**
 * The benchmark's one publisher: FFmpeg's test pattern encoded at the three simulcast layers the
 * host's browser sends (sizes and bitrates from SIMULCAST_LAYERS), plus an Opus tone, produced
 * into the router through one PlainTransport as one simulcast video producer and one audio producer.
 *
 * A PlainTransport takes RTP from a single address (the one comedia learns, or the one given to
 * connect) and drops packets from any other, while FFmpeg sends each RTP output from its own
 * socket. So FFmpeg sends every stream to a relay socket here, which forwards them all from one
 * address; the producer then tells the layers apart by SSRC, as it does for a browser's simulcast.
 */
import dgram from 'node:dgram';
import type { types } from 'mediasoup';
import { logger } from '../../../server/log.ts';
import { FfmpegSupervisor } from '../../../server/media/ffmpeg-supervisor.ts';
import { mediaCodecs } from '../../../server/sfu/media-codecs.ts';
import { SIMULCAST_LAYERS } from '#shared/media.ts';

const VIDEO_PT = 102;
const AUDIO_PT = 101;
const LAYER_SSRCS = SIMULCAST_LAYERS.map((_, i) => 22_222_220 + i);
const AUDIO_SSRC = 11_111_111;
const FULL = { width: 1280, height: 720 };
/** Bytes; Linux caps it at net.core.rmem_max. */
const SOURCE_RECV_BUFFER = 4 << 20;

export interface SimulcastSource {
  video: types.Producer;
  audio: types.Producer;
  /** RTP packets sent per SSRC since the last call. */
  takeSent(): Map<number, number>;
  /** The FFmpeg process and this process's relay are the publisher's side of the server's CPU. */
  readonly ffmpegPid: number | undefined;
  stop(): Promise<void>;
}

/**
 * RTP packets the worker should have sent to viewers watching these layers (one entry per viewer,
 * -1 for one receiving no video yet), given what the source sent: each one's layer plus the audio.
 */
export function offeredTo(sent: ReadonlyMap<number, number>, layers: readonly number[]): number {
  const of = (ssrc: number | undefined) => (ssrc === undefined ? 0 : (sent.get(ssrc) ?? 0));
  return layers.reduce((n, layer) => n + of(LAYER_SSRCS[layer]) + of(AUDIO_SSRC), 0);
}

export async function startSimulcastSource(router: types.Router, ffmpegPath: string): Promise<SimulcastSource> {
  // FFmpeg sends each frame of all three layers at once, unpaced: a keyframe is a burst of ~100 packets
  // while the worker is still fanning out the last one. With the kernel's default 208 KB receive buffer
  // (about 50 such datagrams on loopback) the worker's input socket overflowed at a few hundred
  // consumers, and one input packet lost is lost for every viewer of its layer.
  const listenInfo = { protocol: 'udp' as const, ip: '127.0.0.1', recvBufferSize: SOURCE_RECV_BUFFER };
  const transport = await router.createPlainTransport({ listenInfo, rtcpMux: true, comedia: true });
  // The same headroom on the relay: a pause of this process (a GC, a burst of the worker's notices) must
  // not drop what FFmpeg sent meanwhile, or the producer's layers lose score and viewers change layer.
  const relay = dgram.createSocket({ type: 'udp4', recvBufferSize: SOURCE_RECV_BUFFER });
  await new Promise<void>((resolve) => relay.bind(0, '127.0.0.1', resolve));
  const into = transport.tuple.localPort;
  let sent = new Map<number, number>();
  // Packets from the transport (receiver reports, keyframe requests) go nowhere: FFmpeg cannot act on them.
  relay.on('message', (msg, from) => {
    if (from.port === into) return;
    relay.send(msg, into, '127.0.0.1');
    if (msg.length >= 12 && (msg[1]! < 192 || msg[1]! > 223)) sent.set(msg.readUInt32BE(8), (sent.get(msg.readUInt32BE(8)) ?? 0) + 1);
  });

  const codec = (mimeType: string) => {
    const c = mediaCodecs.find((m) => m.mimeType === mimeType)!;
    return { mimeType, clockRate: c.clockRate, channels: c.channels, parameters: c.parameters };
  };
  const video = await transport.produce({
    kind: 'video',
    rtpParameters: { codecs: [{ ...codec('video/H264'), payloadType: VIDEO_PT }], encodings: LAYER_SSRCS.map((ssrc) => ({ ssrc })) }
  });
  const audio = await transport.produce({
    kind: 'audio',
    rtpParameters: { codecs: [{ ...codec('audio/opus'), payloadType: AUDIO_PT }], encodings: [{ ssrc: AUDIO_SSRC }] }
  });

  const port = relay.address().port;
  const out = (ssrc: number, pt: number) => ['-ssrc', String(ssrc), '-payload_type', String(pt), '-f', 'rtp', `rtp://127.0.0.1:${port}?rtcpport=${port}&pkt_size=1200`];
  const split = `[0:v]split=${SIMULCAST_LAYERS.length}${SIMULCAST_LAYERS.map((_, i) => `[s${i}]`).join('')};`;
  const scales = SIMULCAST_LAYERS.map((l, i) => `[s${i}]scale=${FULL.width / l.scaleResolutionDownBy}:${l.height}[v${i}]`).join(';');
  const ffmpeg = new FfmpegSupervisor({
    bin: ffmpegPath,
    outputs: 0,
    log: logger('bench-sfu-source'),
    args: () => [
      '-hide_banner', '-nostats', '-loglevel', 'error',
      '-re', '-f', 'lavfi', '-i', `testsrc2=size=${FULL.width}x${FULL.height}:rate=30`,
      '-re', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
      '-filter_complex', split + scales,
      ...SIMULCAST_LAYERS.flatMap((l, i) => [
        '-map', `[v${i}]`,
        // The demo source's encoder settings: cheap to encode, a keyframe every second with SPS/PPS in-band.
        '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-profile:v', 'baseline',
        '-pix_fmt', 'yuv420p', '-b:v', String(l.maxBitrate), '-maxrate', String(l.maxBitrate), '-bufsize', String(l.maxBitrate / 2),
        '-g', '30', '-bf', '0', '-bsf:v', 'dump_extra=freq=keyframe',
        ...out(LAYER_SSRCS[i]!, VIDEO_PT)
      ]),
      '-map', '1:a', '-c:a', 'libopus', '-ac', '2', '-ar', '48000', '-b:a', '64k',
      ...out(AUDIO_SSRC, AUDIO_PT)
    ]
  });
  ffmpeg.start();

  return {
    video,
    audio,
    takeSent() {
      const window = sent;
      sent = new Map();
      return window;
    },
    get ffmpegPid() {
      return ffmpeg.pid;
    },
    async stop() {
      await ffmpeg.stop();
      relay.close();
      transport.close();
    }
  };
}
