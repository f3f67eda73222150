/**
 * The LL-HLS fallback for viewers who cannot use WebRTC (and a CDN-friendly
 * path for large audiences): watches the room registry, transcodes every
 * room with a video producer into a ladder, serves it (see hls-router.ts)
 * and keeps a recording that becomes the show's VOD when its room closes.
 */
import fs from 'node:fs';
import path from 'node:path';
import type express from 'express';
import type { types } from 'mediasoup';
import { logger } from '../log.ts';
import type { Room } from '../rooms/room.ts';
import { isPiped } from '../rooms/show-routers.ts';
import type { CaptionCue } from '#shared/captions.ts';
import type { OverlayChange } from '#shared/commerce.ts';
import { OVERLAY_DATERANGE_CLASS, OVERLAY_KIND_ATTRIBUTE, OVERLAY_REV_ATTRIBUTE, overlayDateRangeId } from '#shared/timed-metadata.ts';
import type { RoomRegistry } from '../rooms/room-registry.ts';
import { hlsRouter } from './hls-router.ts';
import { DEFAULT_LADDER, DEFAULT_TIMING, validateLadder, type HlsTiming, type Rendition } from './encoder/ladder.ts';
import { LiveStream } from './encoder/live-stream.ts';
import { VOD_MASTER } from './encoder/recorder.ts';
import type { IngestSources } from './encoder/rtp-ingest.ts';
import { readReplayClock, type ReplayClock } from './encoder/replay-clock.ts';

const log = logger('hls');

export interface HlsServiceOptions {
  registry: RoomRegistry;
  ffmpegPath: string;
  /** Recordings go to `<dir>/<showId>/`. */
  dir: string;
  ladder?: readonly Rendition[];
  timing?: Partial<HlsTiming>;
  /** x264 preset (default superfast). */
  preset?: string;
  /** When false nothing is transcoded; recordings on disk are still served. */
  enabled?: boolean;
  /** How long a room with video but no audio producer is given for one to appear before starting without it. */
  audioGraceMs?: number;
  /** How long a stream whose room lost its media worker waits for the room to come back before it ends. */
  lingerMs?: number;
  /** The language of a show's captions when they are on (null when off), asked as its stream opens. */
  captionLanguage?: (showId: string) => Promise<string | null>;
}

export interface HlsStatus {
  live: boolean;
  renditions: { name: string; width: number; height: number }[];
  /**
   * Seconds a player at PART-HOLD-BACK sits behind the source at best (null when not live); hls.js
   * measured 1–2 s here, and the web player reports its own figure.
   */
  latencySeconds: number | null;
  /** The recording's VOD playlist exists (the show ended). */
  vod: boolean;
}

/** Ended streams keep answering (with EXT-X-ENDLIST) this long, so players see the end rather than 404s. */
const ENDED_RETENTION_MS = 60_000;

interface Watch {
  room: Room;
  timer: NodeJS.Timeout | null;
  onProducer: (p: types.Producer) => void;
}

export class HlsService {
  readonly #o: HlsServiceOptions & { ladder: readonly Rendition[]; timing: HlsTiming };
  readonly #streams = new Map<string, LiveStream>();
  readonly #pending = new Map<string, Promise<LiveStream>>();
  /** Caption settings changed while the show's stream was opening (null: turned off). */
  readonly #captionsWhileOpening = new Map<string, string | null>();
  readonly #watches = new Map<Room, Watch>();
  readonly #timers = new Map<string, NodeJS.Timeout>();
  #closed = false;

  constructor(opts: HlsServiceOptions) {
    const timing = { ...DEFAULT_TIMING, ...opts.timing };
    const ladder = opts.ladder ?? DEFAULT_LADDER;
    validateLadder(ladder, timing);
    this.#o = { ...opts, ladder, timing };
    if (opts.enabled === false) return;
    opts.registry.on('roomOpened', this.#onRoomOpened);
    opts.registry.on('roomClosed', this.#onRoomClosed);
  }

  /**
   * `remoteOrigin`, in a cluster, names the node whose stream to pass on (or, with `redirectToOrigin`,
   * to send players to) when the show is not encoded here.
   */
  router(remoteOrigin?: (showId: string) => Promise<string | null>, redirectToOrigin = false): express.Router {
    return hlsRouter({ stream: (id) => this.#streams.get(id), recordingDir: (id) => this.#recordingDir(id), remoteOrigin, redirectToOrigin });
  }

  status(showId: string): HlsStatus {
    const stream = this.#streams.get(showId);
    const live = stream?.live ?? false;
    return {
      live,
      renditions: live ? this.#o.ladder.map(({ name, width, height }) => ({ name, width, height })) : [],
      latencySeconds: live ? stream!.latencySeconds : null,
      vod: fs.existsSync(path.join(this.#recordingDir(showId), VOD_MASTER))
    };
  }

  /**
   * Marks an overlay change in the show's live stream at the moment it was made, so HLS players
   * reveal it when their video gets there. Players joining later get the state itself over ws.
   */
  markOverlay(showId: string, change: OverlayChange): void {
    this.#streams.get(showId)?.mark({
      id: overlayDateRangeId(change.rev),
      class: OVERLAY_DATERANGE_CLASS,
      startDate: change.at,
      attributes: { [OVERLAY_REV_ATTRIBUTE]: change.rev, [OVERLAY_KIND_ATTRIBUTE]: change.kind }
    });
  }

  /**
   * Turns a show's subtitle rendition on (in `language`) or off. Players read it from the
   * multivariant playlist when they start; a show's first final caption also turns it on.
   */
  setCaptions(showId: string, language: string | null): void {
    const stream = this.#streams.get(showId);
    if (stream) stream.captions.setLanguage(language);
    // A stream still opening reads the settings once; a change meanwhile must win over that read.
    else if (this.#pending.has(showId)) this.#captionsWhileOpening.set(showId, language);
  }

  /** A caption of the show's speech: finals go into its subtitle rendition and its recording. */
  caption(showId: string, cue: CaptionCue): void {
    this.#streams.get(showId)?.caption(cue);
  }

  /**
   * Where moments of the show fall in its replay, from its recording's index (null when this node
   * holds no recording of it yet).
   */
  replayClock(showId: string): Promise<ReplayClock | null> {
    return readReplayClock(this.#recordingDir(showId), this.#o.ladder[0]!.name);
  }

  /** Deletes a deleted show's recording: no replay of it will be asked for. A running stream is left to finish. */
  discardRecording(showId: string): void {
    if (this.#streams.has(showId) || this.#pending.has(showId)) return;
    fs.rmSync(this.#recordingDir(showId), { recursive: true, force: true });
  }

  /** The show's stream, for tests and diagnostics. */
  stream(showId: string): LiveStream | undefined {
    return this.#streams.get(showId);
  }

  /** Ends every stream (writing its VOD) and stops watching rooms. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#o.registry.off('roomOpened', this.#onRoomOpened);
    this.#o.registry.off('roomClosed', this.#onRoomClosed);
    for (const room of [...this.#watches.keys()]) this.#unwatch(room);
    for (const t of this.#timers.values()) clearTimeout(t);
    this.#timers.clear();
    await Promise.allSettled(this.#pending.values());
    await Promise.allSettled([...this.#streams.values()].map((s) => s.end()));
  }

  #recordingDir(showId: string): string {
    return path.join(this.#o.dir, showId);
  }

  readonly #onRoomOpened = (room: Room): void => {
    const watch: Watch = { room, timer: null, onProducer: (p) => isPiped(p) || this.#observe(watch, p) };
    this.#watches.set(room, watch);
    room.on('producerAdded', watch.onProducer);
    for (const p of room.localProducers()) this.#observe(watch, p);
  };

  readonly #onRoomClosed = (room: Room, reason: string): void => {
    this.#unwatch(room);
    const stream = this.#streams.get(room.showId);
    if (!stream) return;
    if (reason === 'mediaLost') {
      // The registry opens a new room on another worker: keep the playlists so players ride through.
      void stream.setSources(room.router, null);
      this.#later(room.showId, this.#o.lingerMs ?? 20_000, () => this.#end(stream));
    } else {
      void this.#end(stream);
    }
  };

  #observe(watch: Watch, producer: types.Producer): void {
    producer.observer.once('close', () => this.#schedule(watch));
    this.#schedule(watch);
  }

  #unwatch(room: Room): void {
    const watch = this.#watches.get(room);
    if (!watch) return;
    if (watch.timer) clearTimeout(watch.timer);
    room.off('producerAdded', watch.onProducer);
    this.#watches.delete(room);
  }

  /** Re-evaluates the room's sources soon; a host's video usually comes a moment before its audio. */
  #schedule(watch: Watch): void {
    if (watch.timer) clearTimeout(watch.timer);
    const sources = currentSources(watch.room);
    const delay = sources && !sources.audio ? (this.#o.audioGraceMs ?? 1000) : 50;
    watch.timer = setTimeout(() => {
      watch.timer = null;
      void this.#sync(watch.room).catch((err: unknown) => log.error({ err, show: watch.room.showId }, 'hls start failed'));
    }, delay);
  }

  async #sync(room: Room): Promise<void> {
    if (this.#closed || room.closed) return;
    const sources = currentSources(room);
    const existing = this.#streams.get(room.showId);
    if (!sources) return existing?.setSources(room.router, null);
    const stream = existing && !existing.ended ? existing : await this.#open(room.showId);
    this.#cancelLater(room.showId);
    await stream.setSources(room.router, currentSources(room));
  }

  #open(showId: string): Promise<LiveStream> {
    let pending = this.#pending.get(showId);
    if (!pending) {
      pending = LiveStream.create({
        showId,
        ffmpegPath: this.#o.ffmpegPath,
        ladder: this.#o.ladder,
        timing: this.#o.timing,
        preset: this.#o.preset,
        recordingDir: this.#recordingDir(showId),
        log: log.child({ show: showId })
      }).then(async (stream) => {
        const read = await this.#o.captionLanguage?.(showId).catch((err: unknown) => log.warn({ err, show: showId }, 'caption settings unavailable'));
        const changed = this.#captionsWhileOpening.has(showId);
        stream.captions.setLanguage(changed ? this.#captionsWhileOpening.get(showId)! : (read ?? null));
        this.#streams.set(showId, stream);
        return stream;
      });
      pending
        .finally(() => {
          this.#pending.delete(showId);
          this.#captionsWhileOpening.delete(showId);
        })
        .catch(() => {});
      this.#pending.set(showId, pending);
    }
    return pending;
  }

  async #end(stream: LiveStream): Promise<void> {
    this.#cancelLater(stream.showId);
    await stream.end();
    log.info({ show: stream.showId }, 'hls stream ended');
    if (this.#closed) return;
    this.#later(stream.showId, ENDED_RETENTION_MS, () => {
      if (this.#streams.get(stream.showId) === stream) this.#streams.delete(stream.showId);
    });
  }

  #later(showId: string, ms: number, fn: () => unknown): void {
    this.#cancelLater(showId);
    const t = setTimeout(() => {
      this.#timers.delete(showId);
      void fn();
    }, ms);
    t.unref();
    this.#timers.set(showId, t);
  }

  #cancelLater(showId: string): void {
    clearTimeout(this.#timers.get(showId));
    this.#timers.delete(showId);
  }
}

/** The newest open video producer and the newest open audio one; null without video. */
function currentSources(room: Room): IngestSources | null {
  let video: types.Producer | null = null;
  let audio: types.Producer | null = null;
  // Only the origin encodes: a node piping the show in serves its LL-HLS from there.
  for (const p of room.localProducers()) {
    if (p.closed) continue;
    if (p.kind === 'video') video = p;
    else audio = p;
  }
  return video ? { video, audio } : null;
}
