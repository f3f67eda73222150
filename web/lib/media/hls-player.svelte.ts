import type Hls from 'hls.js';
import type { ErrorData, FragParsingMetadataData, LevelUpdatedData } from 'hls.js';

/**
 * Timed metadata for later features (product pins, auction cues):
 * - `id3`: an ID3 (or emsg-carried ID3) sample hls.js parsed from a fragment; `time` is its media time.
 * - `daterange`: an EXT-X-DATERANGE from the playlist, announced once per ID.
 * - `cue`: a metadata cue the browser's own HLS player (Safari) made active during playback.
 */
export type HlsMetadata =
  | { kind: 'id3'; time: number; duration: number; data: Uint8Array }
  | { kind: 'daterange'; id: string; startDate: Date; attributes: Record<string, string> }
  | { kind: 'cue'; time: number; endTime: number; value: unknown };

export type HlsPlaybackMode = 'hls.js' | 'native';

/**
 * Plays an LL-HLS URL in a <video>: hls.js (loaded only when needed) where
 * Media Source Extensions exist, otherwise the browser's own HLS (Safari on
 * iOS before MSE), which follows the playlist's PART-HOLD-BACK itself.
 */
export class HlsPlayer {
  /** Seconds behind the live edge, or null before playback or for a recording. */
  latencySeconds = $state<number | null>(null);
  fatalError = $state<string | null>(null);
  mode = $state<HlsPlaybackMode | null>(null);

  readonly #video: HTMLVideoElement;
  readonly #onMetadata: (m: HlsMetadata) => void;
  #hls: Hls | null = null;
  #destroyed = false;
  #cleanup: (() => void)[] = [];

  constructor(video: HTMLVideoElement, opts: { onMetadata?: (m: HlsMetadata) => void } = {}) {
    this.#video = video;
    this.#onMetadata = opts.onMetadata ?? (() => {});
  }

  async load(src: string): Promise<void> {
    const video = this.#video;
    if ('MediaSource' in window || 'ManagedMediaSource' in window) {
      const { default: HlsJs } = await import('hls.js');
      if (this.#destroyed) return;
      if (HlsJs.isSupported()) return this.#playWithHlsJs(HlsJs, src);
    }
    if (video.canPlayType('application/vnd.apple.mpegurl')) return this.#playNatively(src);
    this.fatalError = 'This browser cannot play HLS.';
  }

  destroy(): void {
    this.#destroyed = true;
    for (const c of this.#cleanup.splice(0)) c();
    this.#hls?.destroy();
    this.#hls = null;
  }

  #playWithHlsJs(HlsJs: typeof Hls, src: string): void {
    const hls = new HlsJs({
      lowLatencyMode: true,
      // hls.js requests a part only once a blocking reload lists it (preload hints are parsed, not
      // fetched); it measured ~1–1.3 s behind live with the server's 0.6 s PART-HOLD-BACK, so aim there.
      liveSyncDuration: 1,
      // Further behind than this (after a stall) it jumps back to live; closer, it catches up by playing faster.
      liveMaxLatencyDuration: 4,
      maxLiveSyncPlaybackRate: 1.5,
      // After a stall, sit a little further back rather than a whole second more (the default).
      liveSyncOnStallIncrease: 0.2,
      // Keep memory down on phones: played media older than this is dropped.
      backBufferLength: 10
    });
    this.#hls = hls;
    this.mode = 'hls.js';
    let recovered = false;
    const announced = new Set<string>();

    hls.on(HlsJs.Events.MANIFEST_PARSED, () => void this.#video.play().catch(() => {}));
    hls.on(HlsJs.Events.FRAG_PARSING_METADATA, (_e, data: FragParsingMetadataData) => {
      for (const s of data.samples) this.#onMetadata({ kind: 'id3', time: s.pts, duration: s.duration, data: s.data });
    });
    hls.on(HlsJs.Events.LEVEL_UPDATED, (_e, data: LevelUpdatedData) => {
      for (const range of Object.values(data.details.dateRanges)) {
        if (!range || announced.has(range.id)) continue;
        announced.add(range.id);
        this.#onMetadata({ kind: 'daterange', id: range.id, startDate: range.startDate, attributes: { ...range.attr } });
      }
    });
    hls.on(HlsJs.Events.ERROR, (_e, data: ErrorData) => {
      if (!data.fatal) return;
      // A decoder hiccup (e.g. across an encoder restart) is worth one recovery attempt.
      if (data.type === HlsJs.ErrorTypes.MEDIA_ERROR && !recovered) {
        recovered = true;
        hls.recoverMediaError();
        return;
      }
      this.fatalError = `${data.type}: ${data.details}`;
      hls.destroy();
      this.#hls = null;
    });
    const timer = setInterval(() => {
      this.latencySeconds = hls.liveSyncPosition === null ? null : hls.latency;
    }, 500);
    this.#cleanup.push(() => clearInterval(timer));

    hls.loadSource(src);
    hls.attachMedia(this.#video);
  }

  #playNatively(src: string): void {
    const video = this.#video;
    this.mode = 'native';
    const listen = <T extends EventTarget>(target: T, type: string, fn: (e: Event) => void) => {
      target.addEventListener(type, fn);
      this.#cleanup.push(() => target.removeEventListener(type, fn));
    };
    listen(video, 'timeupdate', () => {
      const live = video.duration === Infinity && video.seekable.length > 0;
      this.latencySeconds = live ? Math.max(0, video.seekable.end(video.seekable.length - 1) - video.currentTime) : null;
    });
    listen(video, 'error', () => (this.fatalError = video.error?.message || 'The video could not be played.'));
    listen(video.textTracks, 'addtrack', (e) => {
      const track = (e as TrackEvent).track as TextTrack | null;
      if (track?.kind !== 'metadata') return;
      track.mode = 'hidden'; // cues fire without being rendered
      listen(track, 'cuechange', () => {
        for (const cue of Array.from(track.activeCues ?? [])) {
          this.#onMetadata({ kind: 'cue', time: cue.startTime, endTime: cue.endTime, value: (cue as TextTrackCue & { value?: unknown }).value });
        }
      });
    });
    video.src = src;
    this.#cleanup.push(() => {
      video.removeAttribute('src');
      video.load();
    });
    void video.play().catch(() => {});
  }
}
