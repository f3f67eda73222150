import type Hls from 'hls.js';
import type { ErrorData } from 'hls.js';

/**
 * Timed metadata as the video reaches it: one attribute of an EXT-X-DATERANGE
 * (or an in-band ID3 frame) as a metadata cue. hls.js and Safari's own player
 * both surface these as cues on a metadata text track, with `value` {key, data}.
 */
export interface MetadataCue {
  /** `added`: the player has placed the cue ahead on its timeline; `entered`: playback reached it. */
  phase: 'added' | 'entered';
  id: string;
  key: string;
  data: unknown;
  /** Media time at which it starts. */
  startTime: number;
}

/** A subtitle cue the video is playing now, for the page to draw in its own caption overlay. */
export interface ActiveCaption {
  id: string;
  text: string;
}

/** Target distance behind the live edge (see the hls.js options below). */
const LIVE_SYNC_SECONDS = 1;
/** Playback this long without a stall earns back the latency stalls added. */
const STALL_FREE_MS = 10_000;
/** Backoff for starting over after the stream could not be fetched (still starting, or the network dropped). */
const RETRY_FIRST_MS = 1000;
const RETRY_MAX_MS = 8000;

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
  readonly #onMetadata: (m: MetadataCue) => void;
  readonly #onCaptions: (cues: readonly ActiveCaption[]) => void;
  #captions = false;
  #hls: Hls | null = null;
  #destroyed = false;
  #cleanup: (() => void)[] = [];
  /** Tears down the current hls.js instance and its timer. */
  #stopAttempt: (() => void) | null = null;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #failedAttempts = 0;

  constructor(video: HTMLVideoElement, opts: { onMetadata?: (m: MetadataCue) => void; onCaptions?: (cues: readonly ActiveCaption[]) => void } = {}) {
    this.#video = video;
    this.#onMetadata = opts.onMetadata ?? (() => {});
    this.#onCaptions = opts.onCaptions ?? (() => {});
  }

  /**
   * Turns the stream's subtitle rendition on or off. Its cues are read, never drawn by the browser
   * (`hidden`), so the page shows them in its own overlay, placed clear of the controls, as it shows
   * WebRTC captions.
   */
  showCaptions(on: boolean): void {
    this.#captions = on;
    this.#applyCaptions();
  }

  async load(src: string): Promise<void> {
    const video = this.#video;
    this.#watchMetadataTracks();
    this.#watchCaptionTracks();
    if ('MediaSource' in window || 'ManagedMediaSource' in window) {
      const { default: HlsJs } = await import('hls.js');
      if (this.#destroyed) return;
      if (HlsJs.isSupported()) return this.#playWithHlsJs(HlsJs, src);
    }
    if (video.canPlayType('application/vnd.apple.mpegurl')) return this.#playNatively(src);
    this.fatalError = 'This browser cannot play HLS.';
  }

  /** Stops playback; the captions shown go with it (a cue's own end never comes once its track is gone). */
  destroy(): void {
    this.#destroyed = true;
    for (const c of this.#cleanup.splice(0)) c();
    clearTimeout(this.#retryTimer);
    this.#stopAttempt?.();
    this.#onCaptions([]);
  }

  #playWithHlsJs(HlsJs: typeof Hls, src: string): void {
    const hls = new HlsJs({
      lowLatencyMode: true,
      // hls.js requests a part only once a blocking reload lists it (preload hints are parsed, not
      // fetched); it measured ~1–1.3 s behind live with the server's 0.6 s PART-HOLD-BACK, so aim there.
      liveSyncDuration: LIVE_SYNC_SECONDS,
      // Further behind than this (after a stall) it jumps back to live; closer, it catches up by playing faster.
      liveMaxLatencyDuration: 4,
      maxLiveSyncPlaybackRate: 1.5,
      // After a stall, sit a little further back rather than a whole second more (the default).
      liveSyncOnStallIncrease: 0.2,
      // A phone-sized player gets the small rendition, as WebRTC viewers get the small simulcast layer:
      // decoding 720p to show it at 390 px wide only costs battery and bandwidth.
      capLevelToPlayerSize: true,
      // Keep memory down on phones: played media older than this is dropped.
      backBufferLength: 10
    });
    this.#hls = hls;
    this.mode = 'hls.js';
    hls.subtitleDisplay = false;
    let recovered = false;
    // hls.js sits further back after every stall and never comes forward again; after a spell of
    // smooth playback, go back to the base target (it then catches up by playing faster).
    let lastStall = Date.now();
    const timer = setInterval(() => {
      this.latencySeconds = hls.liveSyncPosition === null ? null : hls.latency;
      const target = hls.targetLatency;
      if (target !== null && target > LIVE_SYNC_SECONDS + 0.01 && Date.now() - lastStall > STALL_FREE_MS) hls.targetLatency = LIVE_SYNC_SECONDS;
    }, 500);
    const stop = () => {
      clearInterval(timer);
      hls.destroy();
      if (this.#hls === hls) this.#hls = null;
    };
    this.#stopAttempt = stop;

    hls.on(HlsJs.Events.MANIFEST_PARSED, () => void this.#video.play().catch(() => {}));
    hls.on(HlsJs.Events.FRAG_BUFFERED, () => (this.#failedAttempts = 0));
    // hls.js picks its own track (none: the rendition is not DEFAULT) right after this event; choose after it.
    hls.on(HlsJs.Events.SUBTITLE_TRACKS_UPDATED, () => queueMicrotask(() => this.#applyCaptions()));
    hls.on(HlsJs.Events.ERROR, (_e, data: ErrorData) => {
      if (data.details === HlsJs.ErrorDetails.BUFFER_STALLED_ERROR) lastStall = Date.now();
      if (!data.fatal) return;
      // A decoder hiccup (e.g. across an encoder restart) is worth one recovery attempt.
      if (data.type === HlsJs.ErrorTypes.MEDIA_ERROR && !recovered) {
        recovered = true;
        hls.recoverMediaError();
        return;
      }
      stop();
      this.#onCaptions([]);
      // hls.js gives up on a playlist or part after a retry or two; a live show that is still starting,
      // or a network that dropped for a while, comes back: start over after a growing pause.
      if (data.type === HlsJs.ErrorTypes.NETWORK_ERROR) {
        const delay = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** this.#failedAttempts++);
        this.#retryTimer = setTimeout(() => this.#playWithHlsJs(HlsJs, src), delay);
      } else {
        this.fatalError = `${data.type}: ${data.details}`;
      }
    });

    hls.loadSource(src);
    hls.attachMedia(this.#video);
  }

  #playNatively(src: string): void {
    const video = this.#video;
    this.mode = 'native';
    const listen = this.#listen;
    listen(video, 'timeupdate', () => {
      const live = video.duration === Infinity && video.seekable.length > 0;
      this.latencySeconds = live ? Math.max(0, video.seekable.end(video.seekable.length - 1) - video.currentTime) : null;
    });
    listen(video, 'error', () => {
      this.fatalError = video.error?.message || 'The video could not be played.';
      this.#onCaptions([]);
    });
    video.src = src;
    this.#cleanup.push(() => {
      video.removeAttribute('src');
      video.load();
    });
    void video.play().catch(() => {});
  }

  readonly #listen = <T extends EventTarget>(target: T, type: string, fn: (e: Event) => void): void => {
    target.addEventListener(type, fn);
    this.#cleanup.push(() => target.removeEventListener(type, fn));
  };

  #applyCaptions(): void {
    const hls = this.#hls;
    if (hls) {
      hls.subtitleDisplay = false;
      hls.subtitleTrack = this.#captions && hls.subtitleTracks.length > 0 ? 0 : -1;
    } else {
      for (const track of Array.from(this.#video.textTracks)) if (isCaptionTrack(track)) track.mode = this.#captions ? 'hidden' : 'disabled';
    }
    if (!this.#captions) this.#onCaptions([]);
  }

  /** Reports the subtitle cues playing now each time they change (hls.js and Safari both fill a text track). */
  #watchCaptionTracks(): void {
    const watch = (track: TextTrack) => {
      if (!isCaptionTrack(track)) return;
      // Safari may show a default rendition by itself; the page's overlay draws captions instead.
      if (track.mode === 'showing' || (!this.#hls && this.#captions)) track.mode = this.#captions ? 'hidden' : 'disabled';
      this.#listen(track, 'cuechange', () => {
        if (!this.#captions || track.mode === 'disabled') return;
        const cues = Array.from(track.activeCues ?? []).map((cue, i) => ({ id: cue.id || `${cue.startTime}:${i}`, text: cueText(cue) }));
        this.#onCaptions(cues);
      });
    };
    for (const track of Array.from(this.#video.textTracks)) watch(track);
    this.#listen(this.#video.textTracks, 'addtrack', (e) => {
      const track = (e as TrackEvent).track;
      if (track instanceof TextTrack) watch(track);
    });
  }

  /** Reports each metadata cue once when the player adds it (checked twice a second) and once when playback enters it. */
  #watchMetadataTracks(): void {
    const added = new WeakSet<TextTrackCue>();
    const entered = new WeakSet<TextTrackCue>();
    const report = (cues: TextTrackCueList | null, seen: WeakSet<TextTrackCue>, phase: MetadataCue['phase']) => {
      for (const cue of Array.from(cues ?? [])) {
        if (seen.has(cue)) continue;
        seen.add(cue);
        const value = (cue as TextTrackCue & { value?: { key?: unknown; data?: unknown } }).value;
        if (typeof value?.key === 'string') this.#onMetadata({ phase, id: cue.id, key: value.key, data: value.data, startTime: cue.startTime });
      }
    };
    const watch = (track: TextTrack) => {
      if (track.kind !== 'metadata') return;
      if (track.mode === 'disabled') track.mode = 'hidden'; // cues fire without being rendered
      const scan = setInterval(() => report(track.cues, added, 'added'), 500);
      this.#cleanup.push(() => clearInterval(scan));
      this.#listen(track, 'cuechange', () => {
        report(track.cues, added, 'added');
        report(track.activeCues, entered, 'entered');
      });
    };
    for (const track of Array.from(this.#video.textTracks)) watch(track);
    this.#listen(this.#video.textTracks, 'addtrack', (e) => {
      const track = (e as TrackEvent).track;
      if (track instanceof TextTrack) watch(track);
    });
  }
}

const isCaptionTrack = (track: TextTrack): boolean => track.kind === 'subtitles' || track.kind === 'captions';

/** A WebVTT cue's words without its markup (voice and class tags). */
const cueText = (cue: TextTrackCue): string => ((cue as TextTrackCue & { text?: string }).text ?? '').replace(/<[^>]*>/g, '');
