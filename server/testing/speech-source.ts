/**
 * A host's microphone for tests: FFmpeg reads a speech WAV in real time (-re), encodes it to Opus as
 * a browser would and sends it as RTP into a PlainTransport, whose producer joins the show's room.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { types } from 'mediasoup';
import { freeUdpPorts } from '../demo/free-udp-ports.ts';
import type { Room } from '../rooms/room.ts';
import { FFMPEG } from './ffmpeg.ts';

const PAYLOAD_TYPE = 111;
const IP = '127.0.0.1';

export class SpeechSource {
  readonly producer: types.Producer;
  /** When the first RTP packet reached the producer: audio second `t` of the file arrives about `t * 1000` ms later (FFmpeg sends in real time). */
  readonly firstPacketAt: Promise<number>;
  /** Resolves when the file has been played (or the source stopped). */
  readonly ended: Promise<void>;
  readonly #transport: types.PlainTransport;
  readonly #args: string[];
  #ffmpeg: ChildProcess | null = null;
  #startedAt = 0;
  #end: () => void = () => {};

  /** Plays `wav` into the room once (or `loops` more times): now, or on `play()` when `paused`. */
  static async attach(room: Room, wav: string, opts: { loops?: number; paused?: boolean } = {}): Promise<SpeechSource> {
    // comedia: mediasoup learns FFmpeg's address from its first packet.
    const transport = await room.router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: IP }, rtcpMux: false, comedia: true });
    const ssrc = 10_000_000 + Math.floor(Math.random() * 1_000_000);
    const producer = await transport.produce({
      kind: 'audio',
      rtpParameters: {
        codecs: [{ mimeType: 'audio/opus', payloadType: PAYLOAD_TYPE, clockRate: 48000, channels: 2, parameters: { useinbandfec: 1 } }],
        encodings: [{ ssrc }]
      }
    });
    room.addProducer(producer);
    // Traced from the start, to time the first packet (see firstPacketAt).
    await producer.enableTraceEvent(['rtp']);
    const [rtp, rtcp] = await freeUdpPorts(IP, 2);
    const target = `rtp://${IP}:${transport.tuple.localPort}?rtcpport=${transport.rtcpTuple?.localPort}&localrtpport=${rtp}&localrtcpport=${rtcp}&pkt_size=1200`;
    const args = [
      ...['-hide_banner', '-nostats', '-loglevel', 'error'],
      ...['-re', '-stream_loop', String(opts.loops ?? 0), '-i', wav],
      // 20 ms Opus frames at 48 kHz, as WebRTC sends them.
      ...['-c:a', 'libopus', '-ac', '2', '-ar', '48000', '-b:a', '48k', '-frame_duration', '20', '-application', 'voip'],
      ...['-ssrc', String(ssrc), '-payload_type', String(PAYLOAD_TYPE), '-f', 'rtp', target]
    ];
    const source = new SpeechSource(producer, transport, args);
    if (!opts.paused) source.play();
    return source;
  }

  private constructor(producer: types.Producer, transport: types.PlainTransport, args: string[]) {
    this.producer = producer;
    this.#transport = transport;
    this.#args = args;
    this.ended = new Promise((resolve) => (this.#end = resolve));
    this.firstPacketAt = new Promise((resolve) => {
      producer.once('trace', () => {
        resolve(Date.now());
        void producer.enableTraceEvent([]).catch(() => {});
      });
    });
  }

  /** Wall-clock time the audio started playing (FFmpeg was started); 0 before. */
  get startedAt(): number {
    return this.#startedAt;
  }

  play(): void {
    if (this.#ffmpeg) return;
    this.#startedAt = Date.now();
    this.#ffmpeg = spawn(FFMPEG, this.#args, { stdio: ['ignore', 'ignore', 'inherit'] });
    this.#ffmpeg.once('exit', () => this.#end());
  }

  /** Stops the audio and closes the producer, as a host who leaves. */
  async stop(): Promise<void> {
    if (this.#ffmpeg) {
      this.#ffmpeg.kill('SIGKILL');
      await this.ended;
    } else {
      this.#end();
    }
    this.producer.close();
    this.#transport.close();
  }
}
