/**
 * Keeps a show's PCM on the wall clock, so a speech engine's offsets ("1.2 s into the audio written")
 * become the moments the words were spoken. FFmpeg's output has no gaps of its own: when the audio
 * stops (a restarted FFmpeg, a host who reconnects, lost packets) the PCM simply pauses. The clock
 * notices the pause when audio comes back and asks for that much silence first, so offset and wall
 * clock stay one line: `at(ms) = origin + ms`.
 */
import { PCM_BYTES_PER_MS } from './engines/speech-to-text.ts';

/** Lateness tolerated before silence is put in: jitter in FFmpeg's output and the event loop. */
export const GAP_TOLERANCE_MS = 400;
/** A longer pause starts a new timeline (and speech stream) instead of feeding minutes of silence. */
export const MAX_GAP_FILL_MS = 30_000;

/** What to do with a chunk: write `silenceBytes` of zeros before it, or start over (`restart`). */
export type ClockStep = { restart: false; silenceBytes: number } | { restart: true };

export class PcmClock {
  /** Wall-clock time of the first sample; null before any. */
  #origin: number | null = null;
  #written = 0;

  /** The epoch ms of an offset in the PCM (ms since the first sample). */
  at(offsetMs: number): number {
    return Math.round((this.#origin ?? Date.now()) + offsetMs);
  }

  /**
   * Accounts for `bytes` of PCM that arrived at `now` (its last sample was just decoded). The first
   * chunk sets the origin; later ones are checked against where the clock says they belong.
   */
  push(bytes: number, now: number): ClockStep {
    if (this.#origin === null) {
      this.#origin = now - bytes / PCM_BYTES_PER_MS;
      this.#written = bytes;
      return { restart: false, silenceBytes: 0 };
    }
    const lateMs = now - (this.#origin + (this.#written + bytes) / PCM_BYTES_PER_MS);
    if (lateMs > MAX_GAP_FILL_MS) return { restart: true };
    // Whole samples only: the stream is 16-bit.
    const silenceBytes = lateMs > GAP_TOLERANCE_MS ? Math.round(lateMs * PCM_BYTES_PER_MS) & ~1 : 0;
    this.#written += silenceBytes + bytes;
    return { restart: false, silenceBytes };
  }
}
