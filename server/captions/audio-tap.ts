/**
 * Taps a show's audio producer for speech recognition: a PlainTransport consumer sends its Opus RTP
 * to a supervised FFmpeg, which decodes it to 16 kHz mono s16le PCM on an output pipe. One tap per
 * producer: a host who reconnects brings a new producer, and the caller opens a new tap for it.
 */
import type { types } from 'mediasoup';
import type { Logger } from '../log.ts';
import { FfmpegSupervisor } from '../media/ffmpeg-supervisor.ts';
import { plainRtpOutput } from '../hls/encoder/rtp-ingest.ts';
import { renderSdp } from '../hls/encoder/sdp.ts';
import { PCM_SAMPLE_RATE } from './engines/speech-to-text.ts';

export interface AudioTapOptions {
  ffmpegPath: string;
  log: Logger;
  /** Whole 16-bit samples, as FFmpeg decodes them (about every 20 ms while the host's audio flows). */
  onPcm: (pcm: Buffer) => void;
  /** No PCM for this long restarts FFmpeg (it should get a packet every 20 ms, silence included). */
  stallMs?: number;
}

const STALL_MS = 10_000;

/** FFmpeg reading the SDP inline (no file to clean up) and writing raw PCM to fd 3 as each frame decodes. */
function audioTapArgs(sdp: string): string[] {
  return [
    ...['-hide_banner', '-nostats', '-loglevel', 'warning'],
    // Nothing to probe (the SDP names the codec), and packets read while probing would arrive late.
    ...['-protocol_whitelist', 'data,udp,rtp', '-fflags', 'nobuffer', '-flags', 'low_delay', '-analyzeduration', '0', '-probesize', '32'],
    ...['-f', 'sdp', '-i', `data:application/sdp;base64,${Buffer.from(sdp).toString('base64')}`],
    ...['-map', '0:a:0', '-ac', '1', '-ar', String(PCM_SAMPLE_RATE), '-c:a', 'pcm_s16le'],
    ...['-f', 's16le', '-flush_packets', '1', 'pipe:3']
  ];
}

export class AudioTap {
  readonly producer: types.Producer;
  readonly #transport: types.PlainTransport;
  readonly #supervisor: FfmpegSupervisor;
  #closed = false;

  static async open(router: types.Router, producer: types.Producer, opts: AudioTapOptions): Promise<AudioTap> {
    const opened: types.PlainTransport[] = [];
    try {
      const { media } = await plainRtpOutput(router, producer, (t) => opened.push(t));
      return new AudioTap(producer, opened[0]!, renderSdp([media]), opts);
    } catch (err) {
      for (const t of opened) t.close();
      throw err;
    }
  }

  private constructor(producer: types.Producer, transport: types.PlainTransport, sdp: string, opts: AudioTapOptions) {
    this.producer = producer;
    this.#transport = transport;
    this.#supervisor = new FfmpegSupervisor({
      bin: opts.ffmpegPath,
      args: () => audioTapArgs(sdp),
      outputs: 1,
      stallMs: opts.stallMs ?? STALL_MS,
      log: opts.log,
      onSpawn: (run) => {
        // A pipe may split a sample; the odd byte waits for its other half.
        let carry: Buffer | null = null;
        run.outputs[0]!.on('data', (chunk: Buffer) => {
          if (this.#closed) return;
          const bytes = carry ? Buffer.concat([carry, chunk]) : chunk;
          const whole = bytes.length & ~1;
          carry = whole < bytes.length ? bytes.subarray(whole) : null;
          if (whole > 0) opts.onPcm(bytes.subarray(0, whole));
        });
      }
    });
    this.#supervisor.start();
    opts.log.info({ producer: producer.id }, 'audio tap started');
  }

  /** FFmpeg processes started after the first (crashes and stalls). */
  get restarts(): number {
    return this.#supervisor.restarts;
  }

  /** The running FFmpeg's process id, if any. */
  get pid(): number | undefined {
    return this.#supervisor.pid;
  }

  get closed(): boolean {
    return this.#closed;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#supervisor.stop();
    this.#transport.close();
  }
}
