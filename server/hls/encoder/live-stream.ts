/**
 * One show's LL-HLS stream: the room's producers go over RTP into a
 * supervised FFmpeg, whose per-rendition fMP4 output is cut into parts and
 * segments (one MediaPlaylist per rendition) and recorded to disk. Playlists
 * outlive FFmpeg restarts and source changes (a host taking over), continuing
 * after an EXT-X-DISCONTINUITY. A WebVTT subtitle rendition follows the first
 * video rendition and carries the show's captions (caption-track.ts).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { types } from 'mediasoup';
import type { CaptionCue } from '#shared/captions.ts';
import type { Logger } from '../../log.ts';
import { CaptionTrack, SUBTITLES_GROUP, SUBTITLES_RENDITION, subtitleName } from './caption-track.ts';
import { DateRangeLog, type DateRange } from '../format/date-ranges.ts';
import { EncoderClock } from './encoder-clock.ts';
import { FfmpegSupervisor, type FfmpegRun } from '../../media/ffmpeg-supervisor.ts';
import { Fmp4Parser, type TrackInfo } from '../format/fmp4.ts';
import { ffmpegArgs, variantStream, type HlsTiming, type Rendition } from './ladder.ts';
import { MediaPlaylist } from '../format/media-playlist.ts';
import { PART_HOLD_BACK_PARTS, type RenditionReport } from '../format/media-render.ts';
import { renderMultivariantPlaylist } from '../format/multivariant-playlist.ts';
import { Recorder } from './recorder.ts';
import { RtpIngest, type IngestSources } from './rtp-ingest.ts';

export const MEDIA_PLAYLIST = 'index.m3u8';

export interface LiveStreamOptions {
  showId: string;
  ffmpegPath: string;
  ladder: readonly Rendition[];
  timing: HlsTiming;
  /** Where this show's recording goes. */
  recordingDir: string;
  preset?: string;
  /** Keyframe requests to the host once FFmpeg has started (it never asks itself). */
  keyframeIntervalMs?: number;
  /** No output for this long restarts FFmpeg (default STALL_MS). */
  stallMs?: number;
  log: Logger;
}

export interface RenditionStream {
  readonly rendition: Rendition;
  readonly playlist: MediaPlaylist;
  /** From the newest init segment; empty before the first. */
  tracks: readonly TrackInfo[];
}

/** The encoder for one set of sources: RTP ingest into one supervised FFmpeg. */
interface Encoding {
  sources: IngestSources;
  ingest: RtpIngest;
  supervisor: FfmpegSupervisor;
  tmpDir: string;
  keyframes: NodeJS.Timeout;
}

/** While FFmpeg waits for its first keyframe, ask this often. */
const STARTUP_KEYFRAME_MS = 500;
/**
 * No output for this long means a wedged encoder. Generous: a restart costs a discontinuity in the
 * stream and the recording, and a busy machine can hold a healthy encoder back for seconds.
 */
const STALL_MS = 10_000;

export class LiveStream {
  readonly showId: string;
  /** Names this stream's resources in URLs, so a later stream of the same show never reuses an immutable URL. */
  readonly epoch = `e${Date.now().toString(36)}`;
  readonly renditions: readonly RenditionStream[];
  /** Timed metadata every rendition's playlist carries. */
  readonly dateRanges = new DateRangeLog();
  /** The subtitle rendition, announced once captions are on. */
  readonly captions: CaptionTrack;
  readonly #o: LiveStreamOptions;
  readonly #recorder: Recorder;
  #encoding: Encoding | null = null;
  /** Source changes and the end run one at a time. */
  #queue: Promise<void> = Promise.resolve();
  #ended = false;
  #restarts = 0;
  #pid: number | undefined;

  static async create(opts: LiveStreamOptions): Promise<LiveStream> {
    const stream = new LiveStream(opts);
    for (const r of stream.renditions) await stream.#recorder.track(r.rendition, r.playlist);
    return stream;
  }

  private constructor(opts: LiveStreamOptions) {
    this.#o = opts;
    this.showId = opts.showId;
    const { timing } = opts;
    const window = { targetDuration: timing.segmentSeconds, partTarget: timing.partSeconds, windowSegments: timing.windowSegments };
    this.renditions = opts.ladder.map((rendition) => ({ rendition, playlist: new MediaPlaylist(window), tracks: [] }));
    this.captions = new CaptionTrack(window);
    this.#recorder = new Recorder({ dir: opts.recordingDir, frameRate: timing.frameRate, ffmpegPath: opts.ffmpegPath, log: opts.log });
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** FFmpeg processes started after an encoding's first (crashes and stalls). */
  get restarts(): number {
    return this.#restarts;
  }

  /** The running FFmpeg's process id, if any. */
  get pid(): number | undefined {
    return this.#pid;
  }

  /** Whether FFmpeg is running and the playlists have media. */
  get live(): boolean {
    return !this.#ended && this.#encoding !== null && this.renditions.every((r) => r.playlist.liveState().lastMsn >= 0);
  }

  /** The least delay behind the source for a player at PART-HOLD-BACK: the hold-back plus the part being encoded. */
  get latencySeconds(): number {
    const { partTarget } = this.renditions[0]!.playlist;
    return (PART_HOLD_BACK_PARTS + 1) * partTarget;
  }

  /** Transcodes `sources` from now on (restarting FFmpeg if they changed), or stops transcoding on null. */
  setSources(router: types.Router, sources: IngestSources | null): Promise<void> {
    return this.#enqueue(async () => {
      if (this.#ended) return;
      const current = this.#encoding?.sources;
      if (current && sources && current.video === sources.video && current.audio === sources.audio) return;
      await this.#stopEncoding({ atOnceWhenQuiet: true });
      if (sources) await this.#startEncoding(router, sources);
    });
  }

  /** Stops FFmpeg, ends the playlists (EXT-X-ENDLIST) and writes the VOD playlists. */
  end(): Promise<void> {
    return this.#enqueue(async () => {
      if (this.#ended) return;
      await this.#stopEncoding();
      this.#ended = true;
      for (const r of this.renditions) r.playlist.end();
      this.captions.end();
      await this.#recorder.finish();
    });
  }

  /** Announces timed metadata in every rendition from the next playlist on; ignored once ended. */
  mark(range: DateRange): void {
    if (!this.#ended) this.dateRanges.add(range);
  }

  /** A final caption for the subtitle rendition and the recording; interim ones and repeats are ignored. */
  caption(cue: CaptionCue): void {
    if (!this.#ended && this.captions.add(cue)) this.#recorder.caption(cue);
  }

  rendition(name: string): RenditionStream | undefined {
    return this.renditions.find((r) => r.rendition.name === name);
  }

  /** The media playlist served under `name`: a video rendition's, or the subtitles' while they are announced. */
  playlist(name: string): MediaPlaylist | undefined {
    if (name === SUBTITLES_RENDITION) return this.captions.language ? this.captions.playlist : undefined;
    return this.rendition(name)?.playlist;
  }

  /** The multivariant playlist, or null until every rendition has its init segment. */
  multivariant(): string | null {
    if (this.renditions.some((r) => r.tracks.length === 0)) return null;
    const language = this.captions.language;
    const subtitles = language
      ? [{ groupId: SUBTITLES_GROUP, name: subtitleName(language), language, uri: `${this.epoch}/${SUBTITLES_RENDITION}/${MEDIA_PLAYLIST}` }]
      : [];
    return renderMultivariantPlaylist(
      this.renditions.map((r) => ({
        ...variantStream(r.rendition, r.tracks, `${this.epoch}/${r.rendition.name}/${MEDIA_PLAYLIST}`, this.#o.timing.frameRate),
        subtitlesGroup: language ? SUBTITLES_GROUP : undefined
      })),
      [],
      subtitles
    );
  }

  /** EXT-X-RENDITION-REPORT entries for `name`'s siblings. */
  renditionReports(name: string): RenditionReport[] {
    return this.renditions.flatMap((r) => {
      const report = r.rendition.name === name ? null : r.playlist.renditionReport();
      return report ? [{ uri: `../${r.rendition.name}/${MEDIA_PLAYLIST}`, ...report }] : [];
    });
  }

  /** Runs `task` after the ones before it; failures are logged, so callers may fire and forget. */
  #enqueue(task: () => Promise<void>): Promise<void> {
    this.#queue = this.#queue.then(task).catch((err: unknown) => this.#o.log.error({ err }, 'hls stream change failed'));
    return this.#queue;
  }

  async #startEncoding(router: types.Router, sources: IngestSources): Promise<void> {
    const { log, ladder } = this.#o;
    const ingest = await RtpIngest.open(router, sources);
    const { dir: tmpDir, file: sdpPath } = await writeSdp(ingest.sdp).catch((err: unknown) => {
      ingest.close();
      throw err;
    });

    let spawns = 0;
    let flowing = false;
    let lastRequest = 0;
    const supervisor = new FfmpegSupervisor({
      bin: this.#o.ffmpegPath,
      args: () => ffmpegArgs({ sdpPath, ladder, timing: this.#o.timing, hasAudio: ingest.hasAudio, preset: this.#o.preset }),
      outputs: ladder.length,
      stallMs: this.#o.stallMs ?? STALL_MS,
      log,
      onSpawn: (run) => {
        if (spawns++ > 0) this.#restarts += 1;
        this.#pid = run.pid;
        flowing = false;
        lastRequest = 0;
        const spawnedAt = Date.now();
        const clock = new EncoderClock();
        const onFirstPart = () => {
          if (flowing) return;
          flowing = true;
          log.info({ msSinceSpawn: Date.now() - spawnedAt, spawn: spawns }, 'first hls part');
        };
        this.captions.discontinuity();
        this.renditions.forEach((r, i) => {
          // The new process's timeline starts over: its first segment is marked discontinuous.
          r.playlist.discontinuity();
          this.#feed(r, run.outputs[i]!, clock, onFirstPart, run);
        });
      }
    });
    const keyframes = setInterval(() => {
      const now = Date.now();
      if (!flowing || now - lastRequest >= (this.#o.keyframeIntervalMs ?? 4000)) {
        ingest.requestKeyFrame();
        lastRequest = now;
      }
    }, STARTUP_KEYFRAME_MS);
    this.#encoding = { sources, ingest, supervisor, tmpDir, keyframes };
    supervisor.start();
    log.info({ audio: ingest.hasAudio, renditions: ladder.map((r) => r.name) }, 'hls transcoding started');
  }

  /**
   * `atOnceWhenQuiet`, for a switch of sources: FFmpeg whose every producer closed (a restarted source,
   * a dead worker) waits on a quiet input, deaf to its first signal, so it is ended now rather than after
   * the grace. A show's end keeps the grace: FFmpeg may still read the last packets and write the tail.
   */
  async #stopEncoding(opts: { atOnceWhenQuiet?: boolean } = {}): Promise<void> {
    const s = this.#encoding;
    if (!s) return;
    this.#encoding = null;
    clearInterval(s.keyframes);
    const inputClosed = s.sources.video.closed && (s.sources.audio?.closed ?? true);
    await s.supervisor.stop(opts.atOnceWhenQuiet && inputClosed ? 0 : undefined);
    this.#pid = undefined;
    s.ingest.close();
    await fs.rm(s.tmpDir, { recursive: true, force: true });
  }

  #feed(r: RenditionStream, out: Readable, clock: EncoderClock, onPart: () => void, run: FfmpegRun): void {
    const parser = new Fmp4Parser();
    let broken = false;
    out.on('data', (chunk: Buffer) => {
      if (this.#ended || broken) return;
      try {
        for (const e of parser.push(chunk)) {
          if (e.type === 'init') {
            r.tracks = e.init.tracks;
            r.playlist.setInit(e.init.bytes);
            continue;
          }
          const f = e.fragment;
          const start = f.decodeTime / f.timescale;
          onPart();
          const part = r.playlist.addPart({
            bytes: f.bytes,
            duration: f.duration,
            independent: f.independent,
            programDateTime: clock.dateOf(start, f.duration),
            mediaTime: start
          });
          if (part && r === this.renditions[0]) this.captions.follow(r.playlist, part, start);
        }
      } catch (err) {
        this.#o.log.error({ err, rendition: r.rendition.name }, 'bad fmp4 from ffmpeg; restarting it');
        broken = true;
        run.kill();
      }
    });
  }
}

/** FFmpeg reads the SDP from a file; each encoding gets its own directory. */
async function writeSdp(sdp: string): Promise<{ dir: string; file: string }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hawker-hls-'));
  const file = path.join(dir, 'input.sdp');
  await fs.writeFile(file, sdp);
  return { dir, file };
}
