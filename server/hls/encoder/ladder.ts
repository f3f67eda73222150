/**
 * The transcoding ladder and the FFmpeg command that produces it: one process
 * reads the show's RTP (described by an SDP file) and writes one fragmented
 * MP4 stream per rendition to its own pipe (fd 3, 4, …), each fragment one
 * LL-HLS part.
 */
import type { TrackInfo } from '../format/fmp4.ts';
import type { VariantStream } from '../format/multivariant-playlist.ts';
// The subtitle rendition sits beside the ladder's in URLs and on disk: no rendition may take its name.
import { SUBTITLES_RENDITION } from './caption-track.ts';

export interface Rendition {
  /** Directory name in URLs and on disk, e.g. `720p`. */
  name: string;
  width: number;
  height: number;
  /** Bits per second. */
  videoBitrate: number;
  audioBitrate: number;
}

export interface HlsTiming {
  /** Fragment (part) length in seconds. */
  partSeconds: number;
  /** Segment target in seconds; a multiple of the keyframe interval. */
  segmentSeconds: number;
  /** Keyframe interval in seconds: every segment, and some parts inside one, start independent. */
  keyframeSeconds: number;
  /** Output frame rate; the source's variable rate is made constant so parts are exact. */
  frameRate: number;
  /** Complete segments in the live playlist. */
  windowSegments: number;
}

export const DEFAULT_LADDER: readonly Rendition[] = [
  { name: '720p', width: 1280, height: 720, videoBitrate: 2_500_000, audioBitrate: 128_000 },
  { name: '360p', width: 640, height: 360, videoBitrate: 700_000, audioBitrate: 64_000 }
];

export const DEFAULT_TIMING: HlsTiming = { partSeconds: 0.2, segmentSeconds: 2, keyframeSeconds: 1, frameRate: 30, windowSegments: 10 };

/** Audio is encoded at this rate: Opus from browsers is 48 kHz already. */
const AUDIO_RATE = 48_000;
/**
 * Samples FFmpeg's AAC encoder puts before the first one (its priming delay).
 * Fragmented MP4 cannot carry an edit list, so the muxer would stretch the
 * first video sample by this much and the first part would overrun the part
 * target; starting audio this much later keeps both tracks at zero.
 */
const AAC_PRIMING_SAMPLES = 1024;

const NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/;

/** Rendition names double as path segments in URLs and on disk. */
export const isRenditionName = (name: string): boolean => NAME.test(name);

export function validateLadder(ladder: readonly Rendition[], timing: HlsTiming): void {
  if (ladder.length === 0) throw new RangeError('the ladder needs at least one rendition');
  const names = new Set<string>();
  for (const r of ladder) {
    if (!isRenditionName(r.name) || names.has(r.name) || r.name === SUBTITLES_RENDITION) {
      throw new RangeError(`bad, duplicate or reserved rendition name ${JSON.stringify(r.name)}`);
    }
    names.add(r.name);
    // x264 with 4:2:0 chroma needs even dimensions.
    for (const v of [r.width, r.height]) if (!Number.isInteger(v) || v < 16 || v % 2) throw new RangeError(`${r.name}: bad size`);
    for (const v of [r.videoBitrate, r.audioBitrate]) if (!Number.isInteger(v) || v <= 0) throw new RangeError(`${r.name}: bad bitrate`);
  }
  const framesPerPart = timing.partSeconds * timing.frameRate;
  if (Math.abs(framesPerPart - Math.round(framesPerPart)) > 1e-6 || framesPerPart < 1) {
    throw new RangeError('a part must hold a whole number of frames');
  }
  const partsPerKeyframe = timing.keyframeSeconds / timing.partSeconds;
  if (Math.abs(partsPerKeyframe - Math.round(partsPerKeyframe)) > 1e-6) throw new RangeError('the keyframe interval must be whole parts');
  if (timing.segmentSeconds < timing.keyframeSeconds) throw new RangeError('segments cannot be shorter than the keyframe interval');
}

/**
 * A rendition's EXT-X-STREAM-INF entry, from what its init segment says it
 * carries. BANDWIDTH is the encoder's peak (VBV-capped video plus audio) with
 * container overhead.
 */
export function variantStream(r: Rendition, tracks: readonly TrackInfo[], uri: string, frameRate: number): VariantStream {
  const media = tracks.filter((t) => t.kind !== 'other');
  const hasAudio = media.some((t) => t.kind === 'audio');
  return {
    uri,
    bandwidth: Math.round((r.videoBitrate + (hasAudio ? r.audioBitrate : 0)) * 1.1),
    codecs: media.map((t) => t.codec).join(','),
    resolution: { width: r.width, height: r.height },
    frameRate
  };
}

export interface FfmpegArgsOptions {
  sdpPath: string;
  ladder: readonly Rendition[];
  timing: HlsTiming;
  hasAudio: boolean;
  /** x264 preset; superfast (the default) encodes a 720p and a 360p rendition in about a third of a core. */
  preset?: string;
}

/** About 6 s of the host's top simulcast layer; the kernel caps it at net.core.rmem_max. */
const RTP_RECEIVE_BUFFER_BYTES = 2 * 1024 * 1024;

/** The first rendition writes to fd 3, the next to fd 4, and so on. */
export const FIRST_OUTPUT_FD = 3;

export function ffmpegArgs(o: FfmpegArgsOptions): string[] {
  const { ladder, timing } = o;
  const n = ladder.length;
  const split = (filter: string, label: string) => (n === 1 ? `[${label}0]` : `${filter}=${n}${ladder.map((_, i) => `[${label}${i}]`).join('')}`);
  const graph = [
    // start_time=0 pads with the first frame when audio started first, so every output starts at zero.
    `[0:v:0]fps=${timing.frameRate}:start_time=0${n === 1 ? '' : ','}${split('split', 's')}`,
    ...ladder.map(
      (r, i) =>
        // Simulcast layer switches change the source size mid-stream: scale and letterbox to a fixed frame.
        `[s${i}]scale=${r.width}:${r.height}:force_original_aspect_ratio=decrease,` +
        `pad=${r.width}:${r.height}:(ow-iw)/2:(oh-ih)/2,setsar=1,format=yuv420p[v${i}]`
    )
  ];
  if (o.hasAudio) {
    // async=1 fills gaps in the audio timestamps with silence, keeping audio and video in step.
    graph.push(`[0:a:0]aresample=${AUDIO_RATE}:async=1:first_pts=${AAC_PRIMING_SAMPLES}${n === 1 ? '' : ','}${split('asplit', 'a')}`);
  }
  const gop = Math.round(timing.keyframeSeconds * timing.frameRate);
  const fragMicros = Math.round(timing.partSeconds * 1e6);
  return [
    ...['-hide_banner', '-nostats', '-loglevel', 'warning'],
    // A short probe: the SDP names the codecs, and packets read while probing are decoded late, adding start-up delay.
    ...['-protocol_whitelist', 'file,udp,rtp', '-analyzeduration', '200000'],
    // When the host's simulcast layer changes, FFmpeg would rebuild the whole filter graph: audio's resampler
    // and the fps filter restart their clocks at zero, timestamps go backwards and frames pile up by the
    // gigabyte. The scale filter below follows a new input size on its own, so keep the graph.
    // A bigger socket buffer rides out moments when a busy machine does not schedule FFmpeg (default ~200 KB).
    ...['-buffer_size', String(RTP_RECEIVE_BUFFER_BYTES), '-reinit_filter', '0', '-i', o.sdpPath],
    ...['-filter_complex', graph.join(';')],
    ...ladder.flatMap((r, i) => [
      ...['-map', `[v${i}]`],
      ...(o.hasAudio ? ['-map', `[a${i}]`] : []),
      ...['-c:v', 'libx264', '-preset', o.preset ?? 'superfast', '-tune', 'zerolatency'],
      ...['-b:v', String(r.videoBitrate), '-maxrate', String(r.videoBitrate), '-bufsize', String(r.videoBitrate)],
      // Keyframes on a clock rather than a frame count: every rendition cuts at the same instants.
      ...['-force_key_frames', `expr:gte(t,n_forced*${timing.keyframeSeconds})`, '-g', String(2 * gop), '-sc_threshold', '0'],
      ...(o.hasAudio ? ['-c:a', 'aac', '-b:a', String(r.audioBitrate), '-ac', '2'] : []),
      ...['-f', 'mp4', '-movflags', 'frag_keyframe+empty_moov+default_base_moof'],
      ...['-frag_duration', String(fragMicros), '-flush_packets', '1', `pipe:${FIRST_OUTPUT_FD + i}`]
    ])
  ];
}
