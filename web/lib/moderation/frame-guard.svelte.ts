import { acquireClassifier, frameFrom, releaseClassifier, type Classifier } from './classifier';
import type { Scores } from './protocol';
import { DEFAULT_THRESHOLD, unsafeScore } from './rule';

export { classifyImageFile } from './classifier';
export { DEFAULT_THRESHOLD, unsafeScore } from './rule';

export interface FrameGuardOptions {
  /** Flag when unsafeScore(frame) >= threshold (see rule.ts). Also settable later via `guard.threshold`. */
  threshold?: number;
  /** Time between frame grabs, measured start to start. */
  intervalMs?: number;
  /** Consecutive safe frames needed before a flag clears. */
  clearAfter?: number;
  /** Once per incident, with the score of the frame that tripped it. */
  onFlag?: (score: number) => void;
  /** When the frames have been safe again for `clearAfter` grabs. */
  onClear?: () => void;
}

/**
 * Watches the host's outgoing video with the on-device classifier. Samples one frame every
 * `intervalMs` and never has more than one in flight, so a slow device samples less often
 * instead of falling behind or stalling the preview.
 */
export class FrameGuard {
  ready = $state(false);
  backend = $state<string | null>(null);
  error = $state<string | null>(null);
  lastScores = $state<Scores | null>(null);
  /** unsafeScore of the last frame. */
  lastScore = $state<number | null>(null);
  lastMs = $state<number | null>(null);
  flagged = $state(false);
  threshold = $state(DEFAULT_THRESHOLD);
  onFlag: ((score: number) => void) | undefined;
  onClear: (() => void) | undefined;

  readonly #intervalMs: number;
  readonly #clearAfter: number;
  #classifier: Classifier | null = null;
  #video: HTMLVideoElement | null = null;
  #ownsVideo = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #generation = 0;
  #safeStreak = 0;

  constructor(options: FrameGuardOptions = {}) {
    this.threshold = options.threshold ?? DEFAULT_THRESHOLD;
    this.#intervalMs = options.intervalMs ?? 1500;
    this.#clearAfter = options.clearAfter ?? 2;
    this.onFlag = options.onFlag;
    this.onClear = options.onClear;
  }

  /**
   * Starts watching a stream (read through a hidden muted <video>) or an existing video
   * element; null pauses. The flag state carries over, so a new stream must prove safe too.
   * Reads the raw frames, so a CSS blur on the preview does not hide them from the guard.
   */
  watch(source: MediaStream | HTMLVideoElement | null): void {
    this.#detach();
    if (!source) return;
    if (!this.#classifier) {
      const classifier = (this.#classifier = acquireClassifier());
      classifier.ready.then(
        ({ backend }) => {
          this.ready = true;
          this.backend = backend;
        },
        (err: unknown) => (this.error = err instanceof Error ? err.message : String(err))
      );
    }
    if (source instanceof HTMLVideoElement) {
      this.#video = source;
    } else {
      const video = document.createElement('video');
      video.muted = true;
      video.playsInline = true;
      video.srcObject = source;
      void video.play().catch(() => {});
      this.#video = video;
      this.#ownsVideo = true;
    }
    const generation = this.#generation;
    void this.#tick(generation);
  }

  /** Stops watching and lets the shared worker go. */
  stop(): void {
    this.#detach();
    if (this.#classifier) releaseClassifier();
    this.#classifier = null;
  }

  #detach(): void {
    this.#generation++;
    clearTimeout(this.#timer);
    if (this.#ownsVideo && this.#video) this.#video.srcObject = null;
    this.#video = null;
    this.#ownsVideo = false;
  }

  async #tick(generation: number): Promise<void> {
    const started = performance.now();
    const video = this.#video;
    const hasFrame = !!video && video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA && video.videoWidth > 0;
    if (hasFrame && this.#classifier) {
      try {
        const { scores, ms } = await this.#classifier.classify(await frameFrom(video));
        if (generation !== this.#generation) return;
        this.error = null;
        this.#record(scores, ms);
      } catch (err) {
        if (generation !== this.#generation) return;
        this.error = err instanceof Error ? err.message : String(err);
      }
    }
    // Poll soon while the video has no frame yet; otherwise keep the sampling interval.
    const delay = hasFrame ? Math.max(0, this.#intervalMs - (performance.now() - started)) : 250;
    this.#timer = setTimeout(() => void this.#tick(generation), delay);
  }

  #record(scores: Scores, ms: number): void {
    const score = unsafeScore(scores);
    this.lastScores = scores;
    this.lastScore = score;
    this.lastMs = ms;
    if (score >= this.threshold) {
      this.#safeStreak = 0;
      if (!this.flagged) {
        this.flagged = true;
        this.onFlag?.(score);
      }
    } else if (this.flagged && ++this.#safeStreak >= this.#clearAfter) {
      this.#safeStreak = 0;
      this.flagged = false;
      this.onClear?.();
    }
  }
}
