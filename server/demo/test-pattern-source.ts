import type { types } from 'mediasoup';
import { logger } from '../log.ts';
import type { Room } from '../rooms/room.ts';
import { FfmpegSupervisor } from '../media/ffmpeg-supervisor.ts';
import { freeUdpPorts } from './free-udp-ports.ts';

const log = logger('demo-source');

const VIDEO = { payloadType: 102, ssrc: 22_222_222 };
const AUDIO = { payloadType: 101, ssrc: 11_111_111 };

const VIDEO_RTP: types.RtpParameters = {
  codecs: [
    {
      mimeType: 'video/H264',
      payloadType: VIDEO.payloadType,
      clockRate: 90000,
      parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f', 'level-asymmetry-allowed': 1 }
    }
  ],
  encodings: [{ ssrc: VIDEO.ssrc }]
};
const AUDIO_RTP: types.RtpParameters = {
  codecs: [{ mimeType: 'audio/opus', payloadType: AUDIO.payloadType, clockRate: 48000, channels: 2 }],
  encodings: [{ ssrc: AUDIO.ssrc }]
};

/** One PlainTransport and the fixed local ports FFmpeg sends its RTP and RTCP from. */
interface SourceLeg {
  transport: types.PlainTransport;
  rtp: number;
  rtcp: number;
}

/**
 * A server-side "camera": an FFmpeg test pattern with a running clock and a tone,
 * sent as RTP into PlainTransports and produced into a room like a host would.
 * H.264 keeps the encode cheap; browsers decode it natively.
 */
export class TestPatternSource {
  readonly #room: Room;
  readonly #ffmpeg: FfmpegSupervisor;
  readonly #video: SourceLeg;
  readonly #audio: SourceLeg;
  #producers: types.Producer[] = [];
  #stopped = false;

  static async attach(room: Room, ffmpegPath: string): Promise<TestPatternSource> {
    const listenInfo = { protocol: 'udp' as const, ip: '127.0.0.1' };
    // comedia: learn FFmpeg's address from its first packet; no rtcp-mux because FFmpeg sends RTCP on its own port.
    // The transports stay locked to that address, so every FFmpeg this source restarts sends from the same ports.
    const plain = () => room.router.createPlainTransport({ listenInfo, rtcpMux: false, comedia: true });
    const [videoRtp, videoRtcp, audioRtp, audioRtcp] = await freeUdpPorts(listenInfo.ip, 4);
    const source = new TestPatternSource(
      room,
      ffmpegPath,
      { transport: await plain(), rtp: videoRtp!, rtcp: videoRtcp! },
      { transport: await plain(), rtp: audioRtp!, rtcp: audioRtcp! }
    );
    await source.#produce();
    source.#ffmpeg.start();
    return source;
  }

  private constructor(room: Room, ffmpegPath: string, video: SourceLeg, audio: SourceLeg) {
    this.#room = room;
    this.#video = video;
    this.#audio = audio;
    const target = ({ transport: t, rtp, rtcp }: SourceLeg) =>
      `rtp://127.0.0.1:${t.tuple.localPort}?rtcpport=${t.rtcpTuple?.localPort}&localrtpport=${rtp}&localrtcpport=${rtcp}&pkt_size=1200`;
    let spawns = 0;
    this.#ffmpeg = new FfmpegSupervisor({
      outputs: 0,
      bin: ffmpegPath,
      log: log.child({ show: room.showId }),
      // A restarted FFmpeg starts new RTP sequence numbers and timestamps under the same SSRCs, which
      // consumers would pass on as a jump browsers and the LL-HLS encoder stall on: it gets new producers.
      onSpawn: () => {
        if (spawns++ > 0) void this.#produce().catch((err: unknown) => log.error({ err, show: room.showId }, 'demo producers not replaced'));
      },
      args: () => [
        '-hide_banner', '-nostats', '-loglevel', 'error',
        '-re', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=30',
        '-re', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
        '-map', '0:v',
        '-vf', "drawtext=text='HAWKER DEMO  %{localtime}':x=20:y=20:fontsize=28:fontcolor=white:box=1:boxcolor=black@0.6",
        '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-profile:v', 'baseline',
        '-pix_fmt', 'yuv420p', '-b:v', '800k', '-g', '30', '-bf', '0',
        // SPS/PPS in-band on every keyframe, as cameras and encoders send them: a receiver that starts
        // late (a restarted LL-HLS encoder) can decode from the next keyframe instead of never.
        '-bsf:v', 'dump_extra=freq=keyframe',
        '-ssrc', String(VIDEO.ssrc), '-payload_type', String(VIDEO.payloadType), '-f', 'rtp', target(video),
        '-map', '1:a',
        '-c:a', 'libopus', '-ac', '2', '-ar', '48000', '-b:a', '64k',
        '-ssrc', String(AUDIO.ssrc), '-payload_type', String(AUDIO.payloadType), '-f', 'rtp', target(audio)
      ]
    });
    room.once('closed', () => void this.stop());
  }

  get room(): Room {
    return this.#room;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#ffmpeg.stop();
    this.#video.transport.close();
    this.#audio.transport.close();
  }

  /** Closes the current producers (their consumers close with them) and offers new ones to the room. */
  async #produce(): Promise<void> {
    for (const p of this.#producers) p.close();
    this.#producers = [];
    const video = await this.#video.transport.produce({ kind: 'video', rtpParameters: VIDEO_RTP });
    const audio = await this.#audio.transport.produce({ kind: 'audio', rtpParameters: AUDIO_RTP });
    if (this.#stopped) return;
    this.#producers = [video, audio];
    this.#room.addProducer(video);
    this.#room.addProducer(audio);
  }
}
